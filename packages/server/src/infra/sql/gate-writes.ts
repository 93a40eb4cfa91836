import type { GateOutcome } from '../../plans/index.js'

/**
 * The statements that write a gate outcome (shared text; SQLite binds `?`, PostgreSQL is given
 * its own array forms in postgres-gate-writes.ts). Every write is an insert or an additive
 * upsert, so the outcome of a batch is written exactly once with the batch's offset.
 */
export const QUARANTINE_COLUMNS =
  'source_id, message_id, received_at, type, name, payload, violations, step, plan_id, plan_revision, status, quarantined_at, updated_at'

/**
 * Row values of the quarantine inserts of `outcome`, in {@link QUARANTINE_COLUMNS} order, then
 * the replay flag (1 or 0): adapters insert a row that is not a replay only when no row of the
 * same source and `messageId` is still `quarantined` (a client's retry is kept once).
 */
export function quarantineRows(outcome: GateOutcome, now: number): unknown[][] {
  return outcome.quarantined.map((q) => [
    q.sourceId,
    q.messageId,
    q.receivedAt,
    q.type,
    q.name,
    q.payload,
    JSON.stringify(q.reason.violations),
    q.reason.step,
    q.reason.planId,
    q.reason.planRevision,
    'quarantined',
    now,
    now,
    q.replay ? 1 : 0,
  ])
}

/** Upsert tail of `plan_violations`: counts add up, the latest occurrence wins. */
export const VIOLATIONS_CONFLICT = `
  ON CONFLICT (source_id, bucket, event_type, event_name, field, violation_type) DO UPDATE SET
    count = plan_violations.count + excluded.count,
    first_seen = CASE WHEN excluded.first_seen < plan_violations.first_seen
      THEN excluded.first_seen ELSE plan_violations.first_seen END,
    last_message_id = CASE WHEN excluded.last_seen >= plan_violations.last_seen
      THEN excluded.last_message_id ELSE plan_violations.last_message_id END,
    last_description = CASE WHEN excluded.last_seen >= plan_violations.last_seen
      THEN excluded.last_description ELSE plan_violations.last_description END,
    last_seen = CASE WHEN excluded.last_seen > plan_violations.last_seen
      THEN excluded.last_seen ELSE plan_violations.last_seen END`

/** Upsert tail of `plan_stats`: every counter adds up. */
export const STATS_CONFLICT = `
  ON CONFLICT (source_id, minute, event_type, event_name) DO UPDATE SET
    checked = plan_stats.checked + excluded.checked,
    passed = plan_stats.passed + excluded.passed,
    violated = plan_stats.violated + excluded.violated,
    blocked = plan_stats.blocked + excluded.blocked,
    omitted = plan_stats.omitted + excluded.omitted`
