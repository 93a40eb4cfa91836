import type { AppendBatch, AppendResult, EventLog, LogEntry } from '../../events/index.js'
import type { LogRecord } from '../../protocol/index.js'
import { summarizeCommit } from '../sql/ingest-stats.js'
import { toLogEntry, type EventRow } from '../sql/rows.js'
import { withTransaction, type PostgresPool, type PostgresPoolClient } from './postgres-pool.js'

/**
 * Transaction advisory lock key taken first by every append: ASCII "tesslog1" read as a
 * big-endian 64-bit integer. Shared by every process appending to the database.
 */
export const APPEND_LOCK_KEY = '8387236820625090353'

// One statement per table whatever the batch size: columns travel as arrays, so there is no
// bind-parameter limit. WITH ORDINALITY + ORDER BY makes `seq` follow the batch order.
const INSERT_EVENTS = `
  INSERT INTO events
    (message_id, source_id, type, name, user_id, anonymous_id, received_at, "timestamp", payload)
  SELECT message_id, source_id, type, name, user_id, anonymous_id, received_at, ts, payload
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
              $7::bigint[], $8::bigint[], $9::text[])
    WITH ORDINALITY AS batch (message_id, source_id, type, name, user_id, anonymous_id,
                              received_at, ts, payload, position)
  ORDER BY position
  ON CONFLICT (message_id) DO NOTHING
  RETURNING message_id`

const INSERT_REJECTED = `
  INSERT INTO rejected_events (source_id, received_at, code, reason, message_id, payload)
  SELECT source_id, received_at, code, reason, message_id, payload
  FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[])
    WITH ORDINALITY AS batch (source_id, received_at, code, reason, message_id, payload, position)
  ORDER BY position`

const UPSERT_STATS = `
  INSERT INTO ingest_stats AS s (source_id, minute, accepted, duplicates, rejected, bytes)
  SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[],
                       $6::bigint[])
  ON CONFLICT (source_id, minute) DO UPDATE SET
    accepted = s.accepted + excluded.accepted,
    duplicates = s.duplicates + excluded.duplicates,
    rejected = s.rejected + excluded.rejected,
    bytes = s.bytes + excluded.bytes`

const READ_AFTER = `
  SELECT seq, message_id, source_id, type, name, user_id, anonymous_id, received_at,
         "timestamp", payload
  FROM events WHERE seq > $1 ORDER BY seq LIMIT $2`

/**
 * Indexes of the records to insert: the first occurrence of each `messageId` in the batch.
 * Later repeats are duplicates of it whatever the database holds.
 */
function firstOccurrences(records: readonly LogRecord[]): number[] {
  const seen = new Set<string>()
  const first: number[] = []
  records.forEach((record, i) => {
    if (seen.has(record.messageId)) return
    seen.add(record.messageId)
    first.push(i)
  })
  return first
}

async function insertEvents(
  client: PostgresPoolClient,
  records: readonly LogRecord[],
): Promise<boolean[]> {
  const candidates = firstOccurrences(records).map((i) => records[i] as LogRecord)
  const stored = new Array<boolean>(records.length).fill(false)
  if (candidates.length === 0) return stored
  const column = <T>(pick: (r: LogRecord) => T): T[] => candidates.map(pick)
  const result = await client.query<{ message_id: string }>(INSERT_EVENTS, [
    column((r) => r.messageId),
    column((r) => r.sourceId),
    column((r) => r.type),
    column((r) => r.name),
    column((r) => r.userId),
    column((r) => r.anonymousId),
    column((r) => r.receivedAt),
    column((r) => r.timestamp),
    column((r) => r.payload),
  ])
  const inserted = new Set(result.rows.map((row) => row.message_id))
  // Mark only the first occurrence: a repeat within the batch is a duplicate.
  records.forEach((record, i) => {
    if (inserted.delete(record.messageId)) stored[i] = true
  })
  return stored
}

async function insertRejectedAndStats(
  client: PostgresPoolClient,
  batch: AppendBatch,
  stored: readonly boolean[],
): Promise<void> {
  const { rejected } = batch
  if (rejected.length > 0) {
    await client.query(INSERT_REJECTED, [
      rejected.map((r) => r.sourceId),
      rejected.map((r) => r.receivedAt),
      rejected.map((r) => r.code),
      rejected.map((r) => r.reason),
      rejected.map((r) => r.messageId),
      rejected.map((r) => r.payload),
    ])
  }
  const stats = summarizeCommit(batch.records, stored, rejected)
  if (stats.length > 0) {
    await client.query(UPSERT_STATS, [
      stats.map((s) => s.sourceId),
      stats.map((s) => s.minute),
      stats.map((s) => s.accepted),
      stats.map((s) => s.duplicates),
      stats.map((s) => s.rejected),
      stats.map((s) => s.bytes),
    ])
  }
}

/**
 * {@link EventLog} on PostgreSQL, using the driver directly (one round trip per table).
 *
 * Every append is one transaction that first takes `pg_advisory_xact_lock(APPEND_LOCK_KEY)`.
 * `seq` values are drawn from a sequence, which is not transactional: without the lock, a
 * transaction holding seq 7 could commit after another holding seq 8, and a consumer reading
 * `seq > 6` in between would see 8, move its position past 7 and never read it. Holding the
 * lock until commit makes offsets become visible in increasing order, across every process
 * appending to the database. Rolled-back appends leave gaps in `seq`; gaps are never filled,
 * so readers need not wait for them.
 */
export class PostgresEventLog implements EventLog {
  constructor(private readonly pool: PostgresPool) {}

  append(batch: AppendBatch): Promise<AppendResult> {
    return withTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK_KEY])
      const stored = await insertEvents(client, batch.records)
      await insertRejectedAndStats(client, batch, stored)
      return { stored }
    })
  }

  async read(after: number, limit: number): Promise<LogEntry[]> {
    const result = await this.pool.query<EventRow>(READ_AFTER, [after, limit])
    return result.rows.map(toLogEntry)
  }

  async head(): Promise<number> {
    const result = await this.pool.query<{ head: number | string }>(
      'SELECT coalesce(max(seq), 0) AS head FROM events',
    )
    return Number(result.rows[0]?.head ?? 0)
  }
}
