import { startFollowLoop, type YieldSignal } from '../pipeline/index.js'
import { aggregate, EventNames, type RequiredProperties } from './counters.js'
import type { CounterDelta, QualityCounters } from './quality-store.js'

/** Default pause after a short batch (see `coalesceMs`). */
const COALESCE_MS = 200

const EMPTY: CounterDelta = { volume: [], completeness: [], newNames: [] }

/** A running counters consumer. */
export interface CountersConsumer {
  /** New events were stored: look for them now. */
  poke(): void
  /** The last `seq` folded in. */
  position(): number
  /** Resolves once the position reached `seq` or `timeoutMs` passed; true when reached. */
  waitFor(seq: number, timeoutMs: number): Promise<boolean>
  stop(): Promise<void>
}

export interface CountersConsumerOptions {
  counters: QualityCounters
  /** Read at every batch, so a config reload applies to the next events. */
  required: () => readonly RequiredProperties[]
  maxEventNames: number
  /**
   * The store consumer's committed log offset: every event at or below it is stored. Lets the
   * position pass log entries that are not events (rejections), so waits end.
   */
  storeHead?: () => number
  /** Events per transaction (default: see `startCountersConsumer`). */
  batchSize?: number
  idleMs?: number
  /**
   * After a short batch, wait this long before the next read (default 200 ms), so that under a
   * steady trickle the consumer commits a few larger batches a second rather than one per store
   * batch: the per-batch cost (queries, transaction) would otherwise take CPU from ingest.
   */
  coalesceMs?: number
  /** Yield to the request path while it is under pressure (see `FollowLoopOptions.yieldTo`). */
  yieldTo?: YieldSignal | undefined
  onError: (error: unknown) => void
}

/**
 * Follows the event store by `seq` (duplicates are already gone) and maintains the per-minute
 * volume and completeness counters. Each batch is folded and committed with the new position
 * in one transaction that applies only if the position did not move meanwhile, so replays
 * and restarts never count an event twice; a failed batch is retried from the same position.
 * Runs with the store's other followers (`app/followers.ts`: embedded, in their worker thread;
 * on PostgreSQL, in process), poked after every store batch; after a short batch it pauses
 * `coalesceMs` so a trickle is folded in a few transactions a second.
 */
export async function startCountersConsumer(
  options: CountersConsumerOptions,
): Promise<CountersConsumer> {
  const { counters } = options
  const batchSize = options.batchSize ?? 500
  const names = new EventNames(options.maxEventNames)
  for (const n of await counters.eventNames()) names.add(n.sourceId, n.eventType, n.eventName)
  let position = await counters.position()
  let waiters: Array<{ seq: number; resolve: (reached: boolean) => void }> = []
  const release = (): void => {
    const still: typeof waiters = []
    for (const w of waiters) {
      if (w.seq <= position) w.resolve(true)
      else still.push(w)
    }
    waiters = still
  }
  const move = async (upTo: number, delta: CounterDelta): Promise<void> => {
    const applied = await counters.apply(position, upTo, delta)
    // Not applied: another writer moved the position; continue from the stored one (the
    // names admitted here are harmless, that writer counted them).
    position = applied ? upTo : await counters.position()
    release()
  }
  const loop = startFollowLoop({
    batchSize,
    idleMs: options.idleMs ?? 1000,
    coalesceMs: options.coalesceMs ?? COALESCE_MS,
    yieldTo: options.yieldTo,
    onError: options.onError,
    step: async () => {
      // Read before the events: everything at or below it is already in the store.
      const head = options.storeHead?.() ?? 0
      const events = await counters.eventsAfter(position, batchSize)
      const last = events.at(-1)
      if (!last) {
        if (head > position) await move(head, EMPTY)
        return 0
      }
      const upTo = events.length < batchSize ? Math.max(last.seq, head) : last.seq
      await move(upTo, aggregate(events, options.required(), names))
      return events.length
    },
  })
  return {
    poke: () => loop.wake(),
    position: () => position,
    waitFor(seq, timeoutMs) {
      if (seq <= position) return Promise.resolve(true)
      return new Promise((resolve) => {
        const waiter = { seq, resolve }
        waiters.push(waiter)
        loop.wake()
        setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter)
          resolve(false)
        }, timeoutMs).unref()
      })
    },
    async stop() {
      await loop.stop()
      for (const w of waiters) w.resolve(false)
      waiters = []
    },
  }
}
