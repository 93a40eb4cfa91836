import type { LogRecord, RejectedRecord } from '../protocol/index.js'
import type { AppendResult, EventLog } from './event-log.js'

/** Observes commits, e.g. for metrics. */
export interface CommitObserver {
  /** Called after each durable commit with what it stored (duplicates included). */
  onFlush(info: { records: readonly LogRecord[]; rejected: readonly RejectedRecord[]; durationMs: number }): void
}

/**
 * Group commit in front of an {@link EventLog}: `submit` calls from concurrent requests are
 * gathered and written in one `append`. A flush starts on the next turn of the event loop
 * after the first submission when the log is idle, and again as soon as the previous flush
 * ends when more arrived meanwhile; there is never a timed wait. Each submitter's promise
 * resolves with its own records' outcome once its batch is durable, or rejects if that commit
 * failed (nothing of a failed commit is stored, so clients may retry safely).
 */
export interface GroupCommitter {
  submit(records: LogRecord[], rejected: RejectedRecord[]): Promise<AppendResult>
  /** Resolves when everything submitted so far is flushed. */
  drain(): Promise<void>
  /** Number of records waiting for the next flush. */
  pending(): number
}

interface Waiter {
  start: number
  count: number
  resolve: (result: AppendResult) => void
  reject: (error: unknown) => void
}

export function createGroupCommitter(log: EventLog, observer?: CommitObserver): GroupCommitter {
  let records: LogRecord[] = []
  let rejected: RejectedRecord[] = []
  let waiters: Waiter[] = []
  let flushing: Promise<void> | null = null
  let scheduled = false

  async function flush(): Promise<void> {
    while (waiters.length > 0) {
      const batch = { records, rejected }
      const batchWaiters = waiters
      records = []
      rejected = []
      waiters = []
      const started = performance.now()
      try {
        const result = await log.append(batch)
        observer?.onFlush({
          records: batch.records,
          rejected: batch.rejected,
          durationMs: performance.now() - started,
        })
        for (const w of batchWaiters) {
          w.resolve({ stored: result.stored.slice(w.start, w.start + w.count) })
        }
      } catch (error) {
        for (const w of batchWaiters) w.reject(error)
      }
    }
  }

  function schedule(): void {
    if (scheduled || flushing) return
    scheduled = true
    setImmediate(() => {
      scheduled = false
      flushing = flush().finally(() => {
        flushing = null
        if (waiters.length > 0) schedule()
      })
    })
  }

  return {
    submit(newRecords, newRejected) {
      return new Promise<AppendResult>((resolve, reject) => {
        waiters.push({ start: records.length, count: newRecords.length, resolve, reject })
        for (const r of newRecords) records.push(r)
        for (const r of newRejected) rejected.push(r)
        schedule()
      })
    },
    async drain() {
      while (flushing || scheduled || waiters.length > 0) {
        if (flushing) await flushing
        else await new Promise((r) => setImmediate(r))
      }
    },
    pending: () => records.length,
  }
}
