import type { AppendResult, EventLog, LogItem, PreparedItems } from './event-log.js'

/** Observes commits, e.g. for metrics and to wake consumers. */
export interface CommitObserver {
  /** Called after each durable append with its item count and offsets. */
  onFlush(info: { count: number; result: AppendResult; durationMs: number }): void
}

/**
 * Group commit in front of an {@link EventLog}: `submit` calls from concurrent requests are
 * gathered and written in one `append`. A flush starts on the next turn of the event loop
 * after the first submission when an append slot is free, and again as soon as an append ends
 * when more arrived meanwhile; there is never a timed wait. Each submitter's promise
 * resolves with its own items' offsets once they are durable, or rejects if that append failed
 * (nothing of a failed append is stored, so clients may retry safely).
 *
 * `submit` prepares the items at once ({@link EventLog.prepare}; the embedded log encodes them
 * to bytes) and keeps only that, so a request waiting for the disk holds no per-event objects:
 * the young generation's collections have little to copy.
 */
export interface GroupCommitter {
  submit(items: readonly LogItem[]): Promise<AppendResult>
  /** Resolves when everything submitted so far is flushed. */
  drain(): Promise<void>
  /** Number of items waiting for the next flush. */
  pending(): number
}

interface Waiter {
  start: number
  count: number
  resolve: (result: AppendResult) => void
  reject: (error: unknown) => void
}

/**
 * @param maxInFlight how many appends may be in flight at once (default 2). With more than
 *   one, the log must complete appends in order (the segment log does); a new flush then
 *   starts while the previous one is still syncing, which halves the wait on slow disks.
 */
export function createGroupCommitter(
  log: EventLog,
  observer?: CommitObserver,
  maxInFlight = 2,
): GroupCommitter {
  let batches: PreparedItems[] = []
  let count = 0
  let waiters: Waiter[] = []
  let inFlight = 0
  let scheduled = false
  let idle: Array<() => void> = []

  function startFlush(): void {
    if (waiters.length === 0 || inFlight >= maxInFlight) return
    const batch = batches
    const batchCount = count
    const batchWaiters = waiters
    batches = []
    count = 0
    waiters = []
    inFlight += 1
    const started = performance.now()
    log
      .appendPrepared(batch)
      .then(
        (result) => {
          observer?.onFlush({ count: batchCount, result, durationMs: performance.now() - started })
          for (const w of batchWaiters) {
            const first = result.first + w.start
            w.resolve({ first, last: first + w.count - 1 })
          }
        },
        (error: unknown) => {
          for (const w of batchWaiters) w.reject(error)
        },
      )
      .finally(() => {
        inFlight -= 1
        // As soon as an append ends, whatever arrived meanwhile goes out.
        startFlush()
        if (inFlight === 0 && waiters.length === 0) {
          const resolvers = idle
          idle = []
          for (const resolve of resolvers) resolve()
        }
      })
  }

  function schedule(): void {
    if (scheduled || inFlight >= maxInFlight) return
    scheduled = true
    setImmediate(() => {
      scheduled = false
      startFlush()
    })
  }

  return {
    submit(newItems) {
      let prepared: PreparedItems
      try {
        prepared = log.prepare(newItems)
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)))
      }
      return new Promise<AppendResult>((resolve, reject) => {
        waiters.push({ start: count, count: prepared.count, resolve, reject })
        batches.push(prepared)
        count += prepared.count
        schedule()
      })
    },
    drain() {
      if (inFlight === 0 && waiters.length === 0 && !scheduled) return Promise.resolve()
      return new Promise<void>((resolve) => idle.push(resolve))
    },
    pending: () => count,
  }
}
