import type { Clock } from '../platform/clock.js'
import type { AuditStore } from './audit-store.js'
import type { NewAuditEntry } from './model.js'

/** An entry to record; `at` defaults to the recorder clock's now. */
export type AuditRecord = Omit<NewAuditEntry, 'at'> & { at?: number }

/** Observes the recorder (Prometheus in `app/`). */
export interface AuditRecorderObserver {
  onAppended(count: number): void
  onDropped(count: number): void
}

/**
 * Records audit entries off the request path: `record` only buffers; a timer appends the
 * buffer in small batches. Entries keep their order. `close` flushes everything, so a clean
 * stop loses nothing; a crash loses what was buffered and not yet appended (at most about one
 * flush interval of entries, see audit/README.md).
 */
export interface AuditRecorder {
  /** Buffers `entry`; never throws and never waits. */
  record(entry: AuditRecord): void
  /** Appends everything buffered so far; resolves when it is stored (or failed and kept). */
  flush(): Promise<void>
  /** Stops the timer and flushes; later `record` calls are appended at once by `flush`. */
  close(): Promise<void>
  /** Entries buffered and not yet appended. */
  pending(): number
}

export interface AuditRecorderOptions {
  /** Where batches are appended (the store, or a relay to the thread that writes it). */
  store: Pick<AuditStore, 'append'>
  clock: Clock
  /** Append failures (the entries stay buffered and are retried at the next flush). */
  onError: (error: unknown) => void
  observer?: AuditRecorderObserver
  /** How often the buffer is appended, in ms. Default 200. */
  flushEveryMs?: number
  /** Entries per append transaction. Default 200. */
  batchSize?: number
  /**
   * Entries kept while the store fails; beyond it the oldest are dropped (counted by the
   * observer). Default 10 000.
   */
  maxBuffered?: number
}

/** See {@link AuditRecorder}. */
export function createAuditRecorder(options: AuditRecorderOptions): AuditRecorder {
  const { store, clock, onError } = options
  const batchSize = options.batchSize ?? 200
  const maxBuffered = options.maxBuffered ?? 10_000
  let buffer: NewAuditEntry[] = []
  let running: Promise<void> | null = null
  let closed = false

  const drain = async (): Promise<void> => {
    while (buffer.length > 0) {
      const batch = buffer.slice(0, batchSize)
      try {
        await store.append(batch)
      } catch (error) {
        onError(error)
        return
      }
      buffer = buffer.slice(batch.length)
      options.observer?.onAppended(batch.length)
    }
  }
  const flush = async (): Promise<void> => {
    // One append at a time, so entries reach the chain in the order they were recorded.
    while (running !== null) await running
    running = drain().finally(() => {
      running = null
    })
    await running
  }
  const timer = setInterval(() => {
    if (buffer.length > 0 && running === null) void flush()
  }, options.flushEveryMs ?? 200)
  timer.unref()

  return {
    record(entry) {
      buffer.push({ ...entry, at: entry.at ?? clock.now() })
      if (buffer.length > maxBuffered) {
        const dropped = buffer.length - maxBuffered
        buffer = buffer.slice(dropped)
        options.observer?.onDropped(dropped)
      }
      if (closed) void flush()
    },
    flush,
    async close() {
      closed = true
      clearInterval(timer)
      await flush()
    },
    pending: () => buffer.length,
  }
}
