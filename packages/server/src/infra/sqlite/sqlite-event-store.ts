import type { Database, Statement, Transaction } from 'better-sqlite3'
import type { ApplyResult, EventStore, LogEntry } from '../../events/index.js'
import { OPEN_GATE, runGate, type Gate } from '../../plans/index.js'
import { applyResult, planApply } from '../sql/apply-plan.js'
import { summarizeCommit } from '../sql/ingest-stats.js'
import { SqliteGateWrites } from './sqlite-gate-writes.js'
import { TAKE_MAIN_WRITE_LOCK } from './sqlite-write-lock.js'

/**
 * {@link EventStore} on the embedded SQLite database: one transaction per `apply`, prepared
 * statements, dedupe by the unique index on `message_id`. Synchronous under the promise; it
 * runs in the pipeline worker thread, on its own connection.
 */
export class SqliteEventStore implements EventStore {
  private readonly insertEvent: Statement
  private readonly insertRejected: Statement
  private readonly upsertStats: Statement
  private readonly getOffset: Statement
  private readonly setOffset: Statement
  private readonly lockStore: Statement
  private readonly gateWrites: SqliteGateWrites
  private readonly applyTx: Transaction<
    (consumer: string, entries: readonly LogEntry[], gate: Gate) => ApplyResult
  >

  constructor(private readonly db: Database) {
    this.insertEvent = db.prepare(
      `INSERT INTO events (seq, message_id, source_id, type, name, user_id, anonymous_id, received_at, timestamp, payload)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING`,
    )
    this.insertRejected = db.prepare(
      `INSERT INTO rejected_events (source_id, received_at, code, reason, message_id, payload)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    this.upsertStats = db.prepare(
      `INSERT INTO ingest_stats (source_id, minute, accepted, duplicates, rejected, bytes)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (source_id, minute) DO UPDATE SET
         accepted = accepted + excluded.accepted, duplicates = duplicates + excluded.duplicates,
         rejected = rejected + excluded.rejected, bytes = bytes + excluded.bytes`,
    )
    this.getOffset = db.prepare(`SELECT "offset" FROM consumer_offsets WHERE consumer = ?`).pluck()
    this.setOffset = db.prepare(
      `INSERT INTO consumer_offsets (consumer, "offset") VALUES (?, ?)
       ON CONFLICT (consumer) DO UPDATE SET "offset" = excluded."offset" WHERE excluded."offset" > "offset"`,
    )
    this.lockStore = db.prepare(TAKE_MAIN_WRITE_LOCK)
    this.gateWrites = new SqliteGateWrites(db)
    this.applyTx = db.transaction((consumer: string, entries: readonly LogEntry[], gate: Gate) =>
      this.applySync(consumer, entries, gate),
    )
  }

  private applySync(consumer: string, entries: readonly LogEntry[], gate: Gate): ApplyResult {
    this.lockStore.run()
    const committed = (this.getOffset.get(consumer) as number | undefined) ?? 0
    const plan = planApply(entries, committed)
    const outcome = runGate(gate, plan.events)
    if (gate.steps.length > 0) this.gateWrites.write(outcome, Date.now())
    const stored = outcome.events.map(({ offset, record: r }) => {
      const info = this.insertEvent.run(
        offset,
        r.messageId,
        r.sourceId,
        r.type,
        r.name,
        r.userId,
        r.anonymousId,
        r.receivedAt,
        r.timestamp,
        r.payload,
      )
      return info.changes > 0
    })
    for (const r of plan.rejections) {
      this.insertRejected.run(r.sourceId, r.receivedAt, r.code, r.reason, r.messageId, r.payload)
    }
    const records = outcome.events.map((e) => e.record)
    for (const s of summarizeCommit(records, stored, plan.rejections)) {
      this.upsertStats.run(s.sourceId, s.minute, s.accepted, s.duplicates, s.rejected, s.bytes)
    }
    if (plan.offset > committed) this.setOffset.run(consumer, plan.offset)
    return applyResult(plan, stored, outcome.quarantined.length)
  }

  /**
   * The connection is shared with Kysely; an apply must never nest inside a transaction Kysely
   * has open (its rollback would undo the apply), so it waits for that transaction to end.
   */
  async apply(
    consumer: string,
    entries: readonly LogEntry[],
    gate: Gate = OPEN_GATE,
  ): Promise<ApplyResult> {
    while (this.db.inTransaction) await new Promise((resolve) => setImmediate(resolve))
    // Deferred; its first statement takes tessera.db's write lock alone (TAKE_MAIN_WRITE_LOCK),
    // so identity.db and quality.db, attached to this connection, stay writable meanwhile.
    return this.applyTx.deferred(consumer, entries, gate)
  }
}
