import type { EventLog, LogEntry } from './event-log.js'

/**
 * Follows the head of an {@link EventLog} and hands new entries to subscribers (the live
 * debugger stream). It starts at the head when created, reads after every `poke()` (called
 * after each local commit) and on an interval, so appends from other processes show up too.
 * While nobody is subscribed it reads nothing (pokes cost nothing on the ingest path); the
 * first subscriber starts from the head at the time it subscribes. Delivery to subscribers is
 * in log order, at most once, best effort: a subscriber that throws is removed. Read failures
 * are reported to `onError` and retried on the next tick.
 */
export interface LogTailer {
  subscribe(listener: (entries: LogEntry[]) => void): () => void
  poke(): void
  /** The last offset read, or null before the first read. */
  position(): number | null
  stop(): void
}

export function createLogTailer(
  log: EventLog,
  options: { intervalMs: number; onError: (error: unknown) => void },
): LogTailer {
  const listeners = new Set<(entries: LogEntry[]) => void>()
  let position: number | null = null
  /** Entries may have been appended since `position` while nobody was subscribed. */
  let stale = false
  let reading = false
  let again = false

  async function readNew(): Promise<void> {
    if (reading) {
      again = true
      return
    }
    reading = true
    try {
      do {
        again = false
        if (position === null || stale) {
          stale = false
          position = await log.head()
          continue
        }
        for (;;) {
          const entries = await log.read(position, 1000)
          const last = entries.at(-1)
          if (!last) break
          position = last.offset
          dispatch(entries)
        }
      } while (again)
    } catch (error) {
      options.onError(error)
    } finally {
      reading = false
    }
  }

  /** Reads now when someone listens; otherwise only notes that the head moved on. */
  function wake(): void {
    if (listeners.size === 0) stale = true
    else void readNew()
  }

  function dispatch(entries: LogEntry[]): void {
    for (const listener of listeners) {
      try {
        listener(entries)
      } catch (error) {
        listeners.delete(listener)
        options.onError(error)
      }
    }
  }

  const timer = setInterval(wake, options.intervalMs)
  timer.unref()
  void readNew()

  return {
    subscribe(listener) {
      listeners.add(listener)
      // The first subscriber after a quiet spell starts from the current head.
      if (stale) void readNew()
      return () => listeners.delete(listener)
    },
    poke: wake,
    position: () => position,
    stop: () => clearInterval(timer),
  }
}
