import type { Kysely } from 'kysely'
import type {
  CompletenessRow,
  CounterDelta,
  CounterFilter,
  CountedEvent,
  QualityCounters,
  VolumeRow,
} from '../../quality/index.js'
import type { TesseraDatabase } from './database.js'
import type { QualityTables } from './quality-tables.js'
import { chunks, storedEventsAfter } from './stored-events.js'

/** The counters consumer's row in `quality_position`. */
export const QUALITY_CONSUMER = 'quality'
/** Rows per multi-row insert (below SQLite's 999-parameter limit of old builds). */
const CHUNK = 100

type Db = Kysely<TesseraDatabase & QualityTables>

/**
 * Moves the consumer's position from `after` to `upTo` (creating the row at 0); false, with
 * nothing written, when the stored position is not `after`.
 */
async function movePosition(trx: Db, after: number, upTo: number): Promise<boolean> {
  if (after === 0) {
    const result = await trx
      .insertInto('quality_position')
      .values({ consumer: QUALITY_CONSUMER, position: upTo })
      .onConflict((oc) =>
        oc
          .column('consumer')
          .doUpdateSet({ position: upTo })
          .where('quality_position.position', '=', 0),
      )
      .executeTakeFirst()
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
  }
  const result = await trx
    .updateTable('quality_position')
    .set({ position: upTo })
    .where('consumer', '=', QUALITY_CONSUMER)
    .where('position', '=', after)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/**
 * {@link QualityCounters} over the shared schema (SQLite and PostgreSQL). `apply` starts with
 * the position update, a write, so on SQLite the transaction takes the write lock first (with
 * the busy timeout) instead of failing to upgrade a read snapshot.
 */
export class KyselyQualityCounters implements QualityCounters {
  private readonly db: Db

  constructor(db: Kysely<TesseraDatabase>) {
    this.db = db.withTables<QualityTables>()
  }

  async position(): Promise<number> {
    const row = await this.db
      .selectFrom('quality_position')
      .select('position')
      .where('consumer', '=', QUALITY_CONSUMER)
      .executeTakeFirst()
    return row ? Number(row.position) : 0
  }

  eventsAfter(after: number, limit: number): Promise<CountedEvent[]> {
    return storedEventsAfter(this.db, after, limit)
  }

  async apply(after: number, upTo: number, delta: CounterDelta): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      if (!(await movePosition(trx, after, upTo))) return false
      for (const part of chunks(delta.volume, CHUNK)) {
        await trx
          .insertInto('quality_volume')
          .values(
            part.map((r) => ({
              source_id: r.sourceId,
              minute: r.minute,
              event_type: r.eventType,
              event_name: r.eventName,
              count: r.count,
            })),
          )
          .onConflict((oc) =>
            oc.columns(['source_id', 'minute', 'event_type', 'event_name']).doUpdateSet((eb) => ({
              count: eb('quality_volume.count', '+', eb.ref('excluded.count')),
            })),
          )
          .execute()
      }
      for (const part of chunks(delta.completeness, CHUNK)) {
        await trx
          .insertInto('quality_completeness')
          .values(
            part.map((r) => ({
              source_id: r.sourceId,
              minute: r.minute,
              event_name: r.eventName,
              property: r.property,
              checked: r.checked,
              present: r.present,
            })),
          )
          .onConflict((oc) =>
            oc.columns(['source_id', 'minute', 'event_name', 'property']).doUpdateSet((eb) => ({
              checked: eb('quality_completeness.checked', '+', eb.ref('excluded.checked')),
              present: eb('quality_completeness.present', '+', eb.ref('excluded.present')),
            })),
          )
          .execute()
      }
      for (const part of chunks(delta.newNames, CHUNK)) {
        await trx
          .insertInto('quality_event_names')
          .values(
            part.map((n) => ({
              source_id: n.sourceId,
              event_type: n.eventType,
              event_name: n.eventName,
            })),
          )
          .onConflict((oc) => oc.doNothing())
          .execute()
      }
      return true
    })
  }

  async eventNames(): Promise<Array<{ sourceId: string; eventType: string; eventName: string }>> {
    const rows = await this.db.selectFrom('quality_event_names').selectAll().execute()
    return rows.map((r) => ({
      sourceId: r.source_id,
      eventType: r.event_type,
      eventName: r.event_name,
    }))
  }

  async volume(filter: CounterFilter): Promise<VolumeRow[]> {
    let query = this.db
      .selectFrom('quality_volume')
      .selectAll()
      .where('minute', '>=', filter.since)
      .where('minute', '<', filter.until)
    if (filter.sourceId !== undefined) query = query.where('source_id', '=', filter.sourceId)
    if (filter.eventName !== undefined) query = query.where('event_name', '=', filter.eventName)
    const rows = await query.orderBy('minute').execute()
    return rows.map((r) => ({
      sourceId: r.source_id,
      minute: Number(r.minute),
      eventType: r.event_type,
      eventName: r.event_name,
      count: Number(r.count),
    }))
  }

  async completeness(filter: CounterFilter): Promise<CompletenessRow[]> {
    let query = this.db
      .selectFrom('quality_completeness')
      .selectAll()
      .where('minute', '>=', filter.since)
      .where('minute', '<', filter.until)
    if (filter.sourceId !== undefined) query = query.where('source_id', '=', filter.sourceId)
    if (filter.eventName !== undefined) query = query.where('event_name', '=', filter.eventName)
    const rows = await query.orderBy('minute').execute()
    return rows.map((r) => ({
      sourceId: r.source_id,
      minute: Number(r.minute),
      eventName: r.event_name,
      property: r.property,
      checked: Number(r.checked),
      present: Number(r.present),
    }))
  }

  async duplicates(
    filter: Omit<CounterFilter, 'eventName'>,
  ): Promise<Array<{ minute: number; accepted: number; duplicates: number }>> {
    let query = this.db
      .selectFrom('ingest_stats')
      .select(['minute', 'accepted', 'duplicates'])
      .where('minute', '>=', filter.since)
      .where('minute', '<', filter.until)
    if (filter.sourceId !== undefined) query = query.where('source_id', '=', filter.sourceId)
    const rows = await query.orderBy('minute').execute()
    return rows.map((r) => ({
      minute: Number(r.minute),
      accepted: Number(r.accepted),
      duplicates: Number(r.duplicates),
    }))
  }
}
