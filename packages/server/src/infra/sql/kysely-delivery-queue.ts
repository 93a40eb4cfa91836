import { sql, type Kysely } from 'kysely'
import type {
  Backfill,
  DeliveryQueue,
  DeliveryStatsDelta,
  LaneCommit,
  LaneState,
  QueuedEvent,
  RetryEntry,
} from '../../destinations/index.js'
import type { TesseraDatabase } from './database.js'
import {
  eventTypeAndName,
  num,
  numOrNull,
  parseJson,
  toBackfill,
  toRetryEntry,
} from './delivery-rows.js'

/**
 * {@link DeliveryQueue} over the shared schema, for SQLite and PostgreSQL. `commit` runs in one
 * transaction whose first statement writes (the lane row), so on SQLite the write lock is
 * taken at once rather than upgraded from a read snapshot.
 */
export class KyselyDeliveryQueue implements DeliveryQueue {
  constructor(private readonly db: Kysely<TesseraDatabase>) {}

  async readEvents(
    afterSeq: number,
    limit: number,
    range: { toSeq?: number; from?: number; to?: number } = {},
  ): Promise<QueuedEvent[]> {
    let query = this.db
      .selectFrom('events')
      .select(['seq', 'message_id', 'source_id', 'received_at', 'payload'])
      .where('seq', '>', afterSeq)
    if (range.toSeq !== undefined) query = query.where('seq', '<=', range.toSeq)
    if (range.from !== undefined) query = query.where('received_at', '>=', range.from)
    if (range.to !== undefined) query = query.where('received_at', '<', range.to)
    const rows = await query.orderBy('seq').limit(limit).execute()
    return rows.map((row) => ({
      seq: num(row.seq),
      messageId: row.message_id,
      sourceId: row.source_id,
      receivedAt: num(row.received_at),
      payload: row.payload,
    }))
  }

  async eventsHead(): Promise<number> {
    const row = await this.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('seq').as('head'))
      .executeTakeFirst()
    return num(row?.head ?? 0)
  }

  async loadLane(destinationId: string): Promise<LaneState> {
    let lane = await this.db
      .selectFrom('delivery_lanes')
      .selectAll()
      .where('destination_id', '=', destinationId)
      .executeTakeFirst()
    if (!lane) {
      const head = await this.eventsHead()
      await this.db
        .insertInto('delivery_lanes')
        .values({ destination_id: destinationId, cursor: head, start_seq: head, attempts: 0 })
        .onConflict((oc) => oc.column('destination_id').doNothing())
        .execute()
      lane = await this.db
        .selectFrom('delivery_lanes')
        .selectAll()
        .where('destination_id', '=', destinationId)
        .executeTakeFirstOrThrow()
    }
    const blocked = await this.db
      .selectFrom('delivery_retries')
      .select('user_key')
      .distinct()
      .where('destination_id', '=', destinationId)
      .where('user_key', 'is not', null)
      .execute()
    const nextAt = numOrNull(lane.next_at)
    return {
      cursor: num(lane.cursor),
      backoff:
        nextAt === null || lane.last_error === null
          ? null
          : {
              attempts: num(lane.attempts),
              firstFailureAt: num(lane.first_failure_at),
              nextAt,
              ...parseJson(lane.last_error, {
                lastError: { code: 'UNKNOWN', message: '' },
                history: [],
              }),
            },
      blockedUsers: blocked.map((row) => row.user_key as string),
    }
  }

  async dueRetries(destinationId: string, now: number, limit: number): Promise<RetryEntry[]> {
    const rows = await this.db
      .selectFrom('delivery_retries as r')
      .leftJoin('events as e', 'e.seq', 'r.seq')
      .select([
        'r.seq',
        'r.message_id',
        'r.source_id',
        'r.received_at',
        'r.user_key',
        'r.attempts',
        'r.first_attempt_at',
        'r.next_at',
        'r.payload as own_payload',
        'e.payload as event_payload',
      ])
      .where('r.destination_id', '=', destinationId)
      .where('r.next_at', '<=', now)
      .orderBy('r.seq')
      .limit(limit)
      .execute()
    const gone: number[] = []
    const entries: RetryEntry[] = []
    for (const row of rows) {
      const payload = row.own_payload ?? row.event_payload
      if (payload === null) gone.push(num(row.seq))
      else entries.push(toRetryEntry({ ...row, payload }, row.own_payload !== null))
    }
    if (gone.length > 0) {
      await this.db
        .deleteFrom('delivery_retries')
        .where('destination_id', '=', destinationId)
        .where('seq', 'in', gone)
        .execute()
    }
    return entries
  }

  async nextRetryAt(destinationId: string): Promise<number | null> {
    const row = await this.db
      .selectFrom('delivery_retries')
      .select((eb) => eb.fn.min('next_at').as('next'))
      .where('destination_id', '=', destinationId)
      .executeTakeFirst()
    return numOrNull(row?.next ?? null)
  }

  async commit(destinationId: string, commit: LaneCommit): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await writeLane(trx, destinationId, commit)
      for (const retry of commit.retries) {
        const row = {
          destination_id: destinationId,
          seq: retry.seq,
          message_id: retry.messageId,
          source_id: retry.sourceId,
          received_at: retry.receivedAt,
          user_key: retry.userKey,
          attempts: JSON.stringify(retry.attempts),
          first_attempt_at: retry.firstAttemptAt,
          next_at: retry.nextAt,
          payload: retry.ownPayload ? retry.payload : null,
        }
        await trx
          .insertInto('delivery_retries')
          .values(row)
          .onConflict((oc) =>
            oc.columns(['destination_id', 'seq']).doUpdateSet({
              attempts: row.attempts,
              next_at: row.next_at,
              user_key: row.user_key,
            }),
          )
          .execute()
      }
      for (let i = 0; i < commit.retriesDone.length; i += 500) {
        await trx
          .deleteFrom('delivery_retries')
          .where('destination_id', '=', destinationId)
          .where('seq', 'in', commit.retriesDone.slice(i, i + 500))
          .execute()
      }
      for (const dead of commit.deadLetters) {
        const { type, name } = eventTypeAndName(dead.payload)
        await trx
          .insertInto('delivery_dead_letters')
          .values({
            destination_id: destinationId,
            seq: dead.seq,
            message_id: dead.messageId,
            source_id: dead.sourceId,
            event_type: type,
            event_name: name,
            received_at: dead.receivedAt,
            payload: dead.payload,
            error_code: dead.error.code,
            error_message: dead.error.message,
            http_status: dead.error.httpStatus ?? null,
            sample: dead.error.sample ? JSON.stringify(dead.error.sample) : null,
            attempts: JSON.stringify(dead.attempts),
            first_attempt_at: dead.firstAttemptAt,
            failed_at: dead.failedAt,
            replayed_at: null,
          })
          .execute()
      }
      for (const delta of commit.stats) await addStats(trx, destinationId, delta)
      for (const sample of commit.errors) {
        await trx
          .insertInto('delivery_errors')
          .values({
            destination_id: destinationId,
            at: sample.at,
            message_id: sample.messageId,
            code: sample.error.code,
            message: sample.error.message,
            http_status: sample.error.httpStatus ?? null,
            sample: sample.error.sample ? JSON.stringify(sample.error.sample) : null,
          })
          .execute()
      }
      if (commit.errors.length > 0) await trimErrors(trx, destinationId)
      if (commit.backfill) {
        const progress = commit.backfill
        await trx
          .updateTable('delivery_backfills')
          .set((eb) => ({
            position: progress.position,
            events: eb('events', '+', progress.events),
            ...(progress.done ? { status: 'done', finished_at: Date.now() } : {}),
          }))
          .where('id', '=', progress.id)
          .where('status', '=', 'running')
          .execute()
      }
    })
  }

  async runningBackfills(destinationId: string): Promise<Backfill[]> {
    const rows = await this.db
      .selectFrom('delivery_backfills')
      .selectAll()
      .where('destination_id', '=', destinationId)
      .where('status', '=', 'running')
      .orderBy('created_at')
      .execute()
    return rows.map(toBackfill)
  }
}

/** Error samples kept per destination (older ones are deleted). */
export const ERROR_SAMPLES_KEPT = 100

async function writeLane(
  trx: Kysely<TesseraDatabase>,
  destinationId: string,
  commit: LaneCommit,
): Promise<void> {
  const backoff = commit.backoff
  const set = {
    ...(backoff === undefined
      ? {}
      : backoff === null
        ? { attempts: 0, first_failure_at: null, next_at: null, last_error: null }
        : {
            attempts: backoff.attempts,
            first_failure_at: backoff.firstFailureAt,
            next_at: backoff.nextAt,
            last_error: JSON.stringify({ lastError: backoff.lastError, history: backoff.history }),
          }),
  }
  const cursor = commit.cursor
  await trx
    .insertInto('delivery_lanes')
    .values({ destination_id: destinationId, cursor: cursor ?? 0, attempts: 0, ...set })
    .onConflict((oc) =>
      oc.column('destination_id').doUpdateSet((eb) => ({
        ...set,
        cursor:
          cursor === undefined
            ? eb.ref('delivery_lanes.cursor')
            : sql<number>`CASE WHEN delivery_lanes.cursor < ${cursor} THEN ${cursor} ELSE delivery_lanes.cursor END`,
      })),
    )
    .execute()
}

async function addStats(
  trx: Kysely<TesseraDatabase>,
  destinationId: string,
  delta: DeliveryStatsDelta,
): Promise<void> {
  const existing = await trx
    .selectFrom('delivery_stats')
    .select('latency')
    .where('destination_id', '=', destinationId)
    .where('minute', '=', delta.minute)
    .executeTakeFirst()
  const latency = parseJson<number[]>(existing?.latency ?? null, []).slice()
  delta.latency.forEach((count, i) => (latency[i] = (latency[i] ?? 0) + count))
  await trx
    .insertInto('delivery_stats')
    .values({
      destination_id: destinationId,
      minute: delta.minute,
      delivered: delta.delivered,
      retried: delta.retried,
      failed: delta.failed,
      filtered: delta.filtered,
      filtered_consent: delta.filteredConsent,
      filtered_preference: delta.filteredPreference,
      filtered_restriction: delta.filteredRestriction,
      dead_lettered: delta.deadLettered,
      latency: JSON.stringify(latency),
    })
    .onConflict((oc) =>
      oc.columns(['destination_id', 'minute']).doUpdateSet((eb) => ({
        delivered: eb('delivery_stats.delivered', '+', delta.delivered),
        retried: eb('delivery_stats.retried', '+', delta.retried),
        failed: eb('delivery_stats.failed', '+', delta.failed),
        filtered: eb('delivery_stats.filtered', '+', delta.filtered),
        filtered_consent: eb('delivery_stats.filtered_consent', '+', delta.filteredConsent),
        filtered_preference: eb(
          'delivery_stats.filtered_preference',
          '+',
          delta.filteredPreference,
        ),
        filtered_restriction: eb(
          'delivery_stats.filtered_restriction',
          '+',
          delta.filteredRestriction,
        ),
        dead_lettered: eb('delivery_stats.dead_lettered', '+', delta.deadLettered),
        latency: JSON.stringify(latency),
      })),
    )
    .execute()
}

async function trimErrors(trx: Kysely<TesseraDatabase>, destinationId: string): Promise<void> {
  const cutoff = await trx
    .selectFrom('delivery_errors')
    .select('id')
    .where('destination_id', '=', destinationId)
    .orderBy('id', 'desc')
    .offset(ERROR_SAMPLES_KEPT)
    .limit(1)
    .executeTakeFirst()
  if (cutoff) {
    await trx
      .deleteFrom('delivery_errors')
      .where('destination_id', '=', destinationId)
      .where('id', '<=', cutoff.id)
      .execute()
  }
}
