import type { Database, Statement } from 'better-sqlite3'
import type { AppendBatch, AppendResult, EventLog, LogEntry } from '../../events/index.js'
import { summarizeCommit } from '../sql/ingest-stats.js'
import { toLogEntry, type EventRow } from '../sql/rows.js'

/**
 * {@link EventLog} on the embedded SQLite database. Each append is one transaction with
 * prepared statements; the database runs in WAL mode with `synchronous = FULL`, so a commit
 * has reached the disk when `append` returns. Calls are synchronous under the promise, so
 * appends are naturally serialized within the process.
 */
export class SqliteEventLog implements EventLog {
  private readonly insertEvent: Statement
  private readonly insertRejected: Statement
  private readonly upsertStats: Statement
  private readonly readAfter: Statement
  private readonly headQuery: Statement
  private readonly appendTx: (batch: AppendBatch) => AppendResult

  constructor(private readonly db: Database) {
    this.insertEvent = db.prepare(
      `INSERT INTO events (message_id, source_id, type, name, user_id, anonymous_id, received_at, timestamp, payload)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING`,
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
    this.readAfter = db.prepare(`SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?`)
    // Not sqlite_sequence: an INSERT that ends in ON CONFLICT DO NOTHING still bumps it, so it
    // can name an offset that was never stored.
    this.headQuery = db.prepare(`SELECT coalesce(max(seq), 0) FROM events`).pluck()
    this.appendTx = db.transaction((batch: AppendBatch) => this.appendSync(batch))
  }

  private appendSync(batch: AppendBatch): AppendResult {
    const stored: boolean[] = new Array<boolean>(batch.records.length)
    batch.records.forEach((r, i) => {
      const info = this.insertEvent.run(
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
      stored[i] = info.changes > 0
    })
    for (const r of batch.rejected) {
      this.insertRejected.run(r.sourceId, r.receivedAt, r.code, r.reason, r.messageId, r.payload)
    }
    for (const s of summarizeCommit(batch.records, stored, batch.rejected)) {
      this.upsertStats.run(s.sourceId, s.minute, s.accepted, s.duplicates, s.rejected, s.bytes)
    }
    return { stored }
  }

  async append(batch: AppendBatch): Promise<AppendResult> {
    // Kysely (sources, offsets) shares this connection and its transactions span several
    // awaits. A better-sqlite3 transaction started while one is open becomes a SAVEPOINT
    // inside it: the append would resolve, then vanish if that transaction rolled back. So
    // wait for it to end; it only needs the event loop to progress.
    while (this.db.inTransaction) await new Promise<void>((resolve) => setImmediate(resolve))
    return this.appendTx(batch)
  }

  read(after: number, limit: number): Promise<LogEntry[]> {
    const rows = this.readAfter.all(after, limit) as EventRow[]
    return Promise.resolve(rows.map(toLogEntry))
  }

  head(): Promise<number> {
    const value = this.headQuery.get() as number | undefined
    return Promise.resolve(value ?? 0)
  }
}
