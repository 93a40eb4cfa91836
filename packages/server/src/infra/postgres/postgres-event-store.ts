import type { ApplyResult, EventStore, LogEntry } from '../../events/index.js'
import { OPEN_GATE, runGate, type Gate } from '../../plans/index.js'
import type { RejectedRecord } from '../../protocol/index.js'
import { applyResult, planApply, type PlannedEvent } from '../sql/apply-plan.js'
import { summarizeCommit, type StatsIncrement } from '../sql/ingest-stats.js'
import { writeGateOutcome } from './postgres-gate-writes.js'
import { withTransaction, type PostgresPool, type PostgresPoolClient } from './postgres-pool.js'

// Creates the consumer's row if needed and locks it either way (DO UPDATE locks the row even
// when it changes nothing), returning the committed offset as of the lock: concurrent applies
// for one consumer run one after the other and the later one skips what the first applied.
const LOCK_CONSUMER = `
  INSERT INTO consumer_offsets AS c (consumer, "offset") VALUES ($1, 0)
  ON CONFLICT (consumer) DO UPDATE SET "offset" = c."offset"
  RETURNING "offset"`

const SET_OFFSET = `UPDATE consumer_offsets SET "offset" = $2 WHERE consumer = $1`

// One statement per table whatever the batch size: columns travel as arrays, so there is no
// bind-parameter limit.
const INSERT_EVENTS = `
  INSERT INTO events
    (seq, message_id, source_id, type, name, user_id, anonymous_id, received_at, "timestamp",
     payload)
  SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                       $7::text[], $8::bigint[], $9::bigint[], $10::text[])
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

/**
 * Inserts the events unless their `messageId` is stored; `stored[i]` tells whether
 * `events[i]` was. Within the batch the first occurrence of a `messageId` is the one inserted
 * (later repeats are duplicates of it), so only first occurrences go to the database.
 */
async function insertEvents(
  client: PostgresPoolClient,
  events: readonly PlannedEvent[],
): Promise<boolean[]> {
  const seen = new Set<string>()
  const candidates = events.filter(({ record }) => {
    if (seen.has(record.messageId)) return false
    seen.add(record.messageId)
    return true
  })
  const stored = new Array<boolean>(events.length).fill(false)
  if (candidates.length === 0) return stored
  const column = <T>(pick: (e: PlannedEvent) => T): T[] => candidates.map(pick)
  const result = await client.query<{ message_id: string }>(INSERT_EVENTS, [
    column((e) => e.offset),
    column((e) => e.record.messageId),
    column((e) => e.record.sourceId),
    column((e) => e.record.type),
    column((e) => e.record.name),
    column((e) => e.record.userId),
    column((e) => e.record.anonymousId),
    column((e) => e.record.receivedAt),
    column((e) => e.record.timestamp),
    column((e) => e.record.payload),
  ])
  const inserted = new Set(result.rows.map((row) => row.message_id))
  // `delete` marks only the first occurrence: a repeat within the batch is a duplicate.
  events.forEach(({ record }, i) => {
    if (inserted.delete(record.messageId)) stored[i] = true
  })
  return stored
}

async function insertRejections(
  client: PostgresPoolClient,
  rejections: readonly RejectedRecord[],
): Promise<void> {
  if (rejections.length === 0) return
  await client.query(INSERT_REJECTED, [
    rejections.map((r) => r.sourceId),
    rejections.map((r) => r.receivedAt),
    rejections.map((r) => r.code),
    rejections.map((r) => r.reason),
    rejections.map((r) => r.messageId),
    rejections.map((r) => r.payload),
  ])
}

async function upsertStats(
  client: PostgresPoolClient,
  stats: readonly StatsIncrement[],
): Promise<void> {
  if (stats.length === 0) return
  await client.query(UPSERT_STATS, [
    stats.map((s) => s.sourceId),
    stats.map((s) => s.minute),
    stats.map((s) => s.accepted),
    stats.map((s) => s.duplicates),
    stats.map((s) => s.rejected),
    stats.map((s) => s.bytes),
  ])
}

/**
 * {@link EventStore} on PostgreSQL, using the driver directly (one array-based statement per
 * table). Each `apply` is one transaction that first locks the consumer's `consumer_offsets`
 * row, so the skip decision, the writes and the new offset commit together, and two processes
 * applying the same entries for one consumer apply them once. Events get `seq` = their log
 * offset; dedupe is the unique index on `events.message_id`.
 */
export class PostgresEventStore implements EventStore {
  constructor(private readonly pool: PostgresPool) {}

  apply(
    consumer: string,
    entries: readonly LogEntry[],
    gate: Gate = OPEN_GATE,
  ): Promise<ApplyResult> {
    return withTransaction(this.pool, async (client) => {
      const locked = await client.query<{ offset: number | string }>(LOCK_CONSUMER, [consumer])
      const committed = Number(locked.rows[0]?.offset ?? 0)
      const plan = planApply(entries, committed)
      const outcome = runGate(gate, plan.events)
      if (gate.steps.length > 0) await writeGateOutcome(client, outcome, Date.now())
      const stored = await insertEvents(client, outcome.events)
      await insertRejections(client, plan.rejections)
      const records = outcome.events.map((e) => e.record)
      await upsertStats(client, summarizeCommit(records, stored, plan.rejections))
      if (plan.offset > committed) await client.query(SET_OFFSET, [consumer, plan.offset])
      return applyResult(plan, stored, outcome.quarantined.length)
    })
  }
}
