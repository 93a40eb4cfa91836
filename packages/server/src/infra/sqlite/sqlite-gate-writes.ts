import type { Database, Statement } from 'better-sqlite3'
import type { GateOutcome } from '../../plans/index.js'
import {
  QUARANTINE_COLUMNS,
  quarantineRows,
  STATS_CONFLICT,
  VIOLATIONS_CONFLICT,
} from '../sql/gate-writes.js'

/**
 * Writes a gate outcome on the embedded store with prepared statements; called inside the
 * store's apply transaction (never on its own).
 */
export class SqliteGateWrites {
  private readonly quarantine: Statement
  private readonly stats: Statement
  private readonly violations: Statement
  private readonly outbox: Statement

  constructor(db: Database) {
    this.quarantine = db.prepare(
      `INSERT INTO quarantined_events (${QUARANTINE_COLUMNS})
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
       WHERE ? = 1 OR NOT EXISTS (
         SELECT 1 FROM quarantined_events
         WHERE message_id = ? AND source_id = ? AND status = 'quarantined')`,
    )
    this.stats = db.prepare(
      `INSERT INTO plan_stats (source_id, minute, event_type, event_name, checked, passed, violated, blocked, omitted)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ${STATS_CONFLICT}`,
    )
    this.violations = db.prepare(
      `INSERT INTO plan_violations (source_id, bucket, event_type, event_name, field, violation_type, count, first_seen, last_seen, last_message_id, last_description)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ${VIOLATIONS_CONFLICT}`,
    )
    this.outbox = db.prepare(
      `INSERT INTO violation_outbox (source_id, message_id, payload) VALUES (?, ?, ?)`,
    )
  }

  /** Writes everything but the passed events (the caller stores those). */
  write(outcome: GateOutcome, now: number): void {
    // Row by row in the batch's transaction, so a retry later in the same batch sees the first.
    for (const row of quarantineRows(outcome, now)) this.quarantine.run(...row, row[1], row[0])
    for (const s of outcome.stats) {
      this.stats.run(
        s.sourceId,
        s.minute,
        s.eventType,
        s.eventName,
        s.checked,
        s.passed,
        s.violated,
        s.blocked,
        s.omitted,
      )
    }
    for (const v of outcome.violations) {
      this.violations.run(
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
      )
    }
    for (const o of outcome.outbox) this.outbox.run(o.sourceId, o.messageId, o.payload)
  }
}
