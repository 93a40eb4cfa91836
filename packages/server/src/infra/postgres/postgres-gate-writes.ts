import type { GateOutcome } from '../../plans/index.js'
import {
  QUARANTINE_COLUMNS,
  quarantineRows,
  STATS_CONFLICT,
  VIOLATIONS_CONFLICT,
} from '../sql/gate-writes.js'
import type { PostgresPoolClient } from './postgres-pool.js'

// A row that is not a replay is kept only when no row of its source and messageId is still
// quarantined, and once per batch (the first).
const INSERT_QUARANTINE = `
  INSERT INTO quarantined_events (${QUARANTINE_COLUMNS})
  SELECT ${QUARANTINE_COLUMNS} FROM (
    SELECT b.*, row_number() OVER (
      PARTITION BY b.source_id, b.message_id, b.replay ORDER BY b.position) AS n
    FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[],
      $7::text[], $8::text[], $9::text[], $10::bigint[], $11::text[], $12::bigint[],
      $13::bigint[], $14::int[])
      WITH ORDINALITY AS b (source_id, message_id, received_at, type, name, payload, violations,
        step, plan_id, plan_revision, status, quarantined_at, updated_at, replay, position)
  ) x
  WHERE x.replay = 1 OR (x.n = 1 AND NOT EXISTS (
    SELECT 1 FROM quarantined_events q
    WHERE q.message_id = x.message_id AND q.source_id = x.source_id AND q.status = 'quarantined'))
  ORDER BY x.position
 `

const UPSERT_STATS = `
  INSERT INTO plan_stats (source_id, minute, event_type, event_name, checked, passed, violated,
    blocked, omitted)
  SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[],
    $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[])
  ${STATS_CONFLICT}`

const UPSERT_VIOLATIONS = `
  INSERT INTO plan_violations (source_id, bucket, event_type, event_name, field, violation_type,
    count, first_seen, last_seen, last_message_id, last_description)
  SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[],
    $7::bigint[], $8::bigint[], $9::bigint[], $10::text[], $11::text[])
  ${VIOLATIONS_CONFLICT}`

const INSERT_OUTBOX = `
  INSERT INTO violation_outbox (source_id, message_id, payload)
  SELECT source_id, message_id, payload
  FROM unnest($1::text[], $2::text[], $3::text[])
    WITH ORDINALITY AS batch (source_id, message_id, payload, position)
  ORDER BY position`

/** Columns of `rows` as arrays (one array per column), for `unnest`. */
function columns(rows: readonly unknown[][], width: number): unknown[][] {
  return Array.from({ length: width }, (_, i) => rows.map((row) => row[i]))
}

/**
 * Writes a gate outcome on PostgreSQL (one array statement per table), inside the store's
 * apply transaction. Batches aggregate stats and violations by key, so no statement holds a
 * key twice (an `ON CONFLICT DO UPDATE` requirement).
 */
export async function writeGateOutcome(
  client: PostgresPoolClient,
  outcome: GateOutcome,
  now: number,
): Promise<void> {
  if (outcome.quarantined.length > 0) {
    await client.query(INSERT_QUARANTINE, columns(quarantineRows(outcome, now), 14))
  }
  if (outcome.stats.length > 0) {
    const rows = outcome.stats.map((s) => [
      s.sourceId,
      s.minute,
      s.eventType,
      s.eventName,
      s.checked,
      s.passed,
      s.violated,
      s.blocked,
      s.omitted,
    ])
    await client.query(UPSERT_STATS, columns(rows, 9))
  }
  if (outcome.violations.length > 0) {
    const rows = outcome.violations.map((v) => [
      v.sourceId,
      v.bucket,
      v.eventType,
      v.eventName,
      v.field,
      v.violationType,
      v.count,
      v.firstSeen,
      v.lastSeen,
      v.lastMessageId,
      v.lastDescription,
    ])
    await client.query(UPSERT_VIOLATIONS, columns(rows, 11))
  }
  if (outcome.outbox.length > 0) {
    const rows = outcome.outbox.map((o) => [o.sourceId, o.messageId, o.payload])
    await client.query(INSERT_OUTBOX, columns(rows, 3))
  }
}
