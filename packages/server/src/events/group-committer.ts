import type { AppendResult, EventLog, LogItem } from './event-log.js'

/** Observes commits, e.g. for metrics and to wake consumers. */
export interface CommitObserver {
  /** Called after each durable append with its items and offsets. */
  onFlush(info: { items: readonly LogItem[]; result: AppendResult; durationMs: number }): void
}

/**
 * Group commit in front of an {@link EventLog}: `submit` calls from concurrent requests are
 * gathered and written in one `append`. A flush starts on the next turn of the event loop
 * after the first submission when an append slot is free, and again as soon as an append ends
 * when more arrived meanwhile; there is never a timed wait. Each submitter's promise
 * resolves with its own items' offsets once they are durable, or rejects if that append failed
 * (nothing of a failed append is stored, so clients may retry safely).
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
  let items: LogItem[] = []
  let waiters: Waiter[] = []
  let inFlight = 0
  let scheduled = false
  let idle: Array<() => void> = []

  function startFlush(): void {
    if (waiters.length === 0 || inFlight >= maxInFlight) return
    const batch = items
    const batchWaiters = waiters
    items = []
    waiters = []
    inFlight += 1
    const started = performance.now()
    log
      .append(batch)
      .then(
        (result) => {
          observer?.onFlush({ items: batch, result, durationMs: performance.now() - started })
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
      return new Promise<AppendResult>((resolve, reject) => {
        waiters.push({ start: items.length, count: newItems.length, resolve, reject })
        for (const item of newItems) items.push(item)
        schedule()
      })
    },
    drain() {
      if (inFlight === 0 && waiters.length === 0 && !scheduled) return Promise.resolve()
      return new Promise<void>((resolve) => idle.push(resolve))
    },
    pending: () => items.length,
  }
}
