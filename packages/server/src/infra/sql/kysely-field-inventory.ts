import { sql, type Kysely } from 'kysely'
import type {
  EventKey,
  EventRow,
  FieldFilter,
  FieldInventoryStore,
  FieldRow,
  InventoryBatch,
  InventoryInput,
  JsonType,
  PiiClass,
} from '../../privacy/index.js'
import { PII_CLASSES } from '../../privacy/index.js'
import type { TesseraDatabase } from './database.js'
import { chunks, storedEventsAfter } from './stored-events.js'

/** Tables of migrations `0005_field_inventory` (SQLite) and `0007_field_inventory` (PostgreSQL). */
export type FieldInventoryTables = {
  field_inventory_events: {
    source_id: string
    event_type: string
    event_name: string
    count: number
    first_seen: number
    last_seen: number
    dropped_fields: number
  }
  field_inventory: {
    source_id: string
    event_type: string
    event_name: string
    path: string
    count: number
    events: number
    n_string: number
    n_integer: number
    n_number: number
    n_boolean: number
    n_null: number
    n_object: number
    n_array: number
    first_seen: number
    last_seen: number
    /** Index in PII_CLASSES (0 = restricted), 3 = no PII. */
    pii_rank: number
    pii_kind: string | null
  }
}

type Db = Kysely<TesseraDatabase & FieldInventoryTables>

const CONSUMER = 'fields'
const NO_PII = PII_CLASSES.length
const CHUNK = 200
const TYPE_COLUMNS: readonly [JsonType, `n_${JsonType}`][] = [
  ['string', 'n_string'],
  ['integer', 'n_integer'],
  ['number', 'n_number'],
  ['boolean', 'n_boolean'],
  ['null', 'n_null'],
  ['object', 'n_object'],
  ['array', 'n_array'],
]

const rankOf = (c: PiiClass | null): number => (c === null ? NO_PII : PII_CLASSES.indexOf(c))

/** {@link FieldInventoryStore} on the shared SQL schema (SQLite and PostgreSQL). */
export class KyselyFieldInventory implements FieldInventoryStore {
  readonly #db: Db

  constructor(db: Kysely<TesseraDatabase>) {
    this.#db = db.withTables<FieldInventoryTables>()
  }

  async position(): Promise<number> {
    const row = await this.#db
      .selectFrom('consumer_offsets')
      .select('offset')
      .where('consumer', '=', CONSUMER)
      .executeTakeFirst()
    return row ? Number(row.offset) : 0
  }

  readEvents(afterSeq: number, limit: number): Promise<InventoryInput[]> {
    return storedEventsAfter(this.#db, afterSeq, limit)
  }

  async apply(batch: InventoryBatch): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      const at = await trx
        .selectFrom('consumer_offsets')
        .select('offset')
        .where('consumer', '=', CONSUMER)
        .executeTakeFirst()
      if (at && Number(at.offset) >= batch.toSeq) return
      for (const part of chunks(batch.events, CHUNK)) {
        await trx
          .insertInto('field_inventory_events')
          .values(
            part.map((e) => ({
              source_id: e.sourceId,
              event_type: e.eventType,
              event_name: e.eventName,
              count: e.count,
              first_seen: e.firstSeen,
              last_seen: e.lastSeen,
              dropped_fields: e.droppedFields,
            })),
          )
          .onConflict((oc) =>
            oc.columns(['source_id', 'event_type', 'event_name']).doUpdateSet({
              count: sql`field_inventory_events.count + excluded.count`,
              dropped_fields: sql`field_inventory_events.dropped_fields + excluded.dropped_fields`,
              first_seen: sql`CASE WHEN excluded.first_seen < field_inventory_events.first_seen THEN excluded.first_seen ELSE field_inventory_events.first_seen END`,
              last_seen: sql`CASE WHEN excluded.last_seen > field_inventory_events.last_seen THEN excluded.last_seen ELSE field_inventory_events.last_seen END`,
            }),
          )
          .execute()
      }
      for (const part of chunks(batch.fields, CHUNK)) {
        await trx
          .insertInto('field_inventory')
          .values(
            part.map((f) => ({
              source_id: f.sourceId,
              event_type: f.eventType,
              event_name: f.eventName,
              path: f.path,
              count: f.count,
              events: f.events,
              ...Object.fromEntries(TYPE_COLUMNS.map(([t, col]) => [col, f.types[t] ?? 0])),
              first_seen: f.firstSeen,
              last_seen: f.lastSeen,
              pii_rank: rankOf(f.piiClass),
              pii_kind: f.piiKind,
            })) as FieldInventoryTables['field_inventory'][],
          )
          .onConflict((oc) =>
            oc.columns(['source_id', 'event_type', 'event_name', 'path']).doUpdateSet({
              count: sql`field_inventory.count + excluded.count`,
              events: sql`field_inventory.events + excluded.events`,
              ...Object.fromEntries(
                TYPE_COLUMNS.map(([, col]) => [
                  col,
                  sql.raw(`field_inventory.${col} + excluded.${col}`),
                ]),
              ),
              first_seen: sql`CASE WHEN excluded.first_seen < field_inventory.first_seen THEN excluded.first_seen ELSE field_inventory.first_seen END`,
              last_seen: sql`CASE WHEN excluded.last_seen > field_inventory.last_seen THEN excluded.last_seen ELSE field_inventory.last_seen END`,
              pii_kind: sql`CASE WHEN excluded.pii_rank < field_inventory.pii_rank THEN excluded.pii_kind ELSE field_inventory.pii_kind END`,
              pii_rank: sql`CASE WHEN excluded.pii_rank < field_inventory.pii_rank THEN excluded.pii_rank ELSE field_inventory.pii_rank END`,
            }),
          )
          .execute()
      }
      await trx
        .insertInto('consumer_offsets')
        .values({ consumer: CONSUMER, offset: batch.toSeq })
        .onConflict((oc) => oc.column('consumer').doUpdateSet({ offset: batch.toSeq }))
        .execute()
    })
  }

  async paths(event: EventKey): Promise<string[]> {
    const rows = await this.#db
      .selectFrom('field_inventory')
      .select('path')
      .where('source_id', '=', event.sourceId)
      .where('event_type', '=', event.eventType)
      .where('event_name', '=', event.eventName)
      .execute()
    return rows.map((r) => r.path)
  }

  async fields(filter: FieldFilter): Promise<FieldRow[]> {
    let q = this.#db.selectFrom('field_inventory').selectAll()
    if (filter.sourceId !== undefined) q = q.where('source_id', '=', filter.sourceId)
    if (filter.eventType !== undefined) q = q.where('event_type', '=', filter.eventType)
    if (filter.eventName !== undefined) q = q.where('event_name', '=', filter.eventName)
    if (filter.piiClass !== undefined) {
      q = q.where('pii_rank', '=', filter.piiClass === 'none' ? NO_PII : rankOf(filter.piiClass))
    }
    if (filter.piiOnly) q = q.where('pii_rank', '<', NO_PII)
    if (filter.after) {
      const [s, t, n, p] = filter.after
      q = q.where((eb) =>
        eb(eb.refTuple('source_id', 'event_type', 'event_name', 'path'), '>', eb.tuple(s, t, n, p)),
      )
    }
    const rows = await q
      .orderBy('source_id')
      .orderBy('event_type')
      .orderBy('event_name')
      .orderBy('path')
      .limit(filter.limit)
      .execute()
    return rows.map((r) => ({
      sourceId: r.source_id,
      eventType: r.event_type,
      eventName: r.event_name,
      path: r.path,
      count: Number(r.count),
      events: Number(r.events),
      types: Object.fromEntries(
        TYPE_COLUMNS.map(([t, col]) => [t, Number(r[col])] as const).filter(([, n]) => n > 0),
      ),
      firstSeen: Number(r.first_seen),
      lastSeen: Number(r.last_seen),
      piiClass: r.pii_rank < NO_PII ? (PII_CLASSES[r.pii_rank] ?? null) : null,
      piiKind: r.pii_rank < NO_PII ? r.pii_kind : null,
    }))
  }

  async events(filter: { sourceId?: string }): Promise<EventRow[]> {
    let q = this.#db
      .selectFrom('field_inventory_events as e')
      .select([
        'e.source_id',
        'e.event_type',
        'e.event_name',
        'e.count',
        'e.first_seen',
        'e.last_seen',
        'e.dropped_fields',
        (eb) =>
          eb
            .selectFrom('field_inventory as f')
            .select(eb.fn.countAll().as('n'))
            .whereRef('f.source_id', '=', 'e.source_id')
            .whereRef('f.event_type', '=', 'e.event_type')
            .whereRef('f.event_name', '=', 'e.event_name')
            .as('fields'),
      ])
    if (filter.sourceId !== undefined) q = q.where('e.source_id', '=', filter.sourceId)
    const rows = await q
      .orderBy('e.source_id')
      .orderBy('e.event_type')
      .orderBy('e.event_name')
      .execute()
    return rows.map((r) => ({
      sourceId: r.source_id,
      eventType: r.event_type,
      eventName: r.event_name,
      count: Number(r.count),
      firstSeen: Number(r.first_seen),
      lastSeen: Number(r.last_seen),
      droppedFields: Number(r.dropped_fields),
      fields: Number(r.fields ?? 0),
    }))
  }
}
