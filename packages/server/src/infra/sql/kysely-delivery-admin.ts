import type { Kysely } from 'kysely'
import {
  DestinationErrors,
  type Backfill,
  type DeadLetter,
  type DeadLetterQuery,
  type DeadLetterSelector,
  type DeliveryAdmin,
  type DeliveryStatsRow,
  type ErrorSample,
  type EventDeliveryFacts,
} from '../../destinations/index.js'
import { decodeCursor, encodeCursor } from '../../events/index.js'
import { newId } from '../../platform/ids.js'
import type { TesseraDatabase } from './database.js'
import { num, parseJson, toBackfill, toDeadLetter, toRetryEntry } from './delivery-rows.js'

type Db = Kysely<TesseraDatabase>

/** {@link DeliveryAdmin} over the shared schema, for SQLite and PostgreSQL. */
export class KyselyDeliveryAdmin implements DeliveryAdmin {
  constructor(private readonly db: Db) {}

  async initLane(destinationId: string, cursor: number): Promise<void> {
    await this.db
      .insertInto('delivery_lanes')
      .values({ destination_id: destinationId, cursor, start_seq: cursor, attempts: 0 })
      .onConflict((oc) => oc.column('destination_id').doNothing())
      .execute()
  }

  async deadLetters(
    destinationId: string,
    query: DeadLetterQuery,
  ): Promise<{ data: DeadLetter[]; next: string | null }> {
    let q = this.selectDeadLetters(destinationId, query)
    if (query.pendingOnly ?? true) q = q.where('replayed_at', 'is', null)
    if (query.cursor !== undefined) q = q.where('id', '<', deadLetterCursor(query.cursor))
    const rows = await q
      .selectAll()
      .orderBy('id', 'desc')
      .limit(query.limit + 1)
      .execute()
    const data = rows.slice(0, query.limit).map(toDeadLetter)
    const last = data.at(-1)
    return { data, next: rows.length > query.limit && last ? encodeCursor(last.id) : null }
  }

  async replayDeadLetters(
    destinationId: string,
    selector: DeadLetterSelector,
    now: number,
  ): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      // Mark first (a write), so SQLite takes the write lock before reading.
      const marked = await selectBy(
        trx.updateTable('delivery_dead_letters'),
        destinationId,
        selector,
      )
        .set({ replayed_at: now })
        .where('replayed_at', 'is', null)
        .returningAll()
        .execute()
      for (const row of marked) {
        const dead = toDeadLetter(row)
        const entry = {
          destination_id: destinationId,
          seq: dead.seq,
          message_id: dead.messageId,
          source_id: dead.sourceId,
          received_at: dead.receivedAt,
          user_key: null,
          attempts: '[]',
          first_attempt_at: now,
          next_at: now,
          payload: dead.payload,
        }
        await trx
          .insertInto('delivery_retries')
          .values(entry)
          .onConflict((oc) =>
            oc.columns(['destination_id', 'seq']).doUpdateSet({
              next_at: now,
              first_attempt_at: now,
              attempts: '[]',
              payload: dead.payload,
            }),
          )
          .execute()
      }
      return marked.length
    })
  }

  async deleteDeadLetters(destinationId: string, selector: DeadLetterSelector): Promise<number> {
    const result = await selectBy(
      this.db.deleteFrom('delivery_dead_letters'),
      destinationId,
      selector,
    ).executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  async createBackfill(
    destinationId: string,
    range: { from: number; to: number },
    now: number,
  ): Promise<Backfill> {
    const bounds = await this.db
      .selectFrom('events')
      .select((eb) => [eb.fn.min('seq').as('first'), eb.fn.max('seq').as('last')])
      .where('received_at', '>=', range.from)
      .where('received_at', '<', range.to)
      .executeTakeFirst()
    const first = bounds?.first === null || bounds?.first === undefined ? null : num(bounds.first)
    const last = first === null ? 0 : num(bounds?.last)
    const row = {
      id: newId('bf'),
      destination_id: destinationId,
      from_at: range.from,
      to_at: range.to,
      start_seq: first === null ? 0 : first - 1,
      end_seq: last,
      position: first === null ? 0 : first - 1,
      status: first === null ? 'done' : 'running',
      events: 0,
      created_at: now,
      finished_at: first === null ? now : null,
    }
    await this.db.insertInto('delivery_backfills').values(row).execute()
    return toBackfill(row)
  }

  async backfills(destinationId: string): Promise<Backfill[]> {
    const rows = await this.db
      .selectFrom('delivery_backfills')
      .selectAll()
      .where('destination_id', '=', destinationId)
      .orderBy('created_at', 'desc')
      .limit(100)
      .execute()
    return rows.map(toBackfill)
  }

  async stats(
    destinationId: string | null,
    since: number,
    until: number,
  ): Promise<DeliveryStatsRow[]> {
    let q = this.db
      .selectFrom('delivery_stats')
      .selectAll()
      .where('minute', '>=', since)
      .where('minute', '<', until)
    if (destinationId !== null) q = q.where('destination_id', '=', destinationId)
    const rows = await q.orderBy('minute').execute()
    return rows.map((row) => ({
      destinationId: row.destination_id,
      minute: num(row.minute),
      delivered: num(row.delivered),
      retried: num(row.retried),
      failed: num(row.failed),
      filtered: num(row.filtered),
      filteredConsent: num(row.filtered_consent),
      filteredPreference: num(row.filtered_preference),
      filteredRestriction: num(row.filtered_restriction),
      deadLettered: num(row.dead_lettered),
      latency: parseJson<number[]>(row.latency, []),
    }))
  }

  async recentErrors(destinationId: string, limit: number): Promise<ErrorSample[]> {
    const rows = await this.db
      .selectFrom('delivery_errors')
      .selectAll()
      .where('destination_id', '=', destinationId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute()
    return rows.map((row) => ({
      id: num(row.id),
      destinationId: row.destination_id,
      at: num(row.at),
      messageId: row.message_id,
      error: {
        code: row.code,
        message: row.message,
        ...(row.http_status === null ? {} : { httpStatus: num(row.http_status) }),
        ...(row.sample === null ? {} : { sample: parseJson(row.sample, undefined) }),
      },
    }))
  }

  async traceEvent(messageId: string): Promise<EventDeliveryFacts | null> {
    const event = await this.db
      .selectFrom('events')
      .select(['seq', 'source_id', 'payload'])
      .where('message_id', '=', messageId)
      .executeTakeFirst()
    if (!event) return null
    const seq = num(event.seq)
    const [lanes, retries, dead, backfills] = await Promise.all([
      this.db
        .selectFrom('delivery_lanes')
        .select(['destination_id', 'cursor', 'start_seq'])
        .execute(),
      this.db.selectFrom('delivery_retries').selectAll().where('seq', '=', seq).execute(),
      this.db
        .selectFrom('delivery_dead_letters')
        .selectAll()
        .where('message_id', '=', messageId)
        .orderBy('id')
        .execute(),
      this.db
        .selectFrom('delivery_backfills')
        .select(['destination_id', 'start_seq', 'position'])
        .where('start_seq', '<', seq)
        .where('position', '>=', seq)
        .execute(),
    ])
    return {
      seq,
      sourceId: event.source_id,
      payload: event.payload,
      lanes: lanes.map((lane) => {
        const retry = retries.find((r) => r.destination_id === lane.destination_id)
        return {
          destinationId: lane.destination_id,
          cursor: num(lane.cursor),
          startSeq: num(lane.start_seq),
          backfilled: backfills.some((b) => b.destination_id === lane.destination_id),
          retry: retry
            ? toRetryEntry(
                { ...retry, payload: retry.payload ?? event.payload },
                retry.payload !== null,
              )
            : null,
          deadLetters: dead
            .filter((d) => d.destination_id === lane.destination_id)
            .map(toDeadLetter),
        }
      }),
    }
  }

  private selectDeadLetters(destinationId: string, query: Omit<DeadLetterQuery, 'limit'>) {
    let q = this.db.selectFrom('delivery_dead_letters').where('destination_id', '=', destinationId)
    if (query.from !== undefined) q = q.where('failed_at', '>=', query.from)
    if (query.to !== undefined) q = q.where('failed_at', '<', query.to)
    if (query.errorCode !== undefined) q = q.where('error_code', '=', query.errorCode)
    return q
  }
}

/** The position a dead-letter cursor stands for; `DESTINATIONS_INVALID_CURSOR` otherwise. */
function deadLetterCursor(cursor: string): number {
  try {
    return decodeCursor(cursor)
  } catch (cause) {
    throw DestinationErrors.invalidCursor(undefined, { cause })
  }
}

interface Whereable<T> {
  where(column: string, op: string, value: unknown): T
}

/** Adds the selector's conditions to an update or delete of dead letters. */
function selectBy<T extends Whereable<T>>(
  query: T,
  destinationId: string,
  selector: DeadLetterSelector,
): T {
  let q = query.where('destination_id', '=', destinationId)
  if ('ids' in selector) return q.where('id', 'in', selector.ids.length > 0 ? selector.ids : [-1])
  if (selector.from !== undefined) q = q.where('failed_at', '>=', selector.from)
  if (selector.to !== undefined) q = q.where('failed_at', '<', selector.to)
  if (selector.errorCode !== undefined) q = q.where('error_code', '=', selector.errorCode)
  return q
}
