/**
 * The `fields` consumer: follows the event store by seq and keeps the field inventory (and so
 * the observed schema) up to date. It runs in process on the main thread in small batches
 * (`inventory.batchSize`, 500 by default), woken by `poke()` after each store batch; it is not
 * on the ingest path, so a slow inventory never delays acknowledgements, only the inventory.
 *
 * Failure: a failed step is retried after the idle wait, from the same position (nothing is
 * skipped); a crash between steps redoes at most one batch, which the store ignores (its
 * position already moved) or counts once (it had not).
 */
import { startFollowLoop, type YieldSignal } from '../../pipeline/index.js'
import type { PiiClassifier } from '../pii/classifier.js'
import { FieldAggregator } from './aggregate.js'
import type { FieldInventoryStore } from './field-inventory-store.js'

/** Default pause after a short batch (see `coalesceMs`). */
const COALESCE_MS = 200

/** Segment's schema shows the first 4,000 events of a source. */
export const MAX_EVENTS_PER_SOURCE = 4_000

export interface FieldsConsumerOptions {
  store: FieldInventoryStore
  /** The classifier of the current config, read at every batch (a reload applies next batch). */
  classifier: () => PiiClassifier
  batchSize: number
  valueSamplesPerHour: number
  maxFieldsPerEvent: number
  /**
   * The store's committed log offset: every event at or below it is stored. When a read comes
   * back short, the consumer has seen everything up to it (so `position` passes log entries
   * that are not events, and the lag it reports ends at 0).
   */
  storeHead?: () => number
  /** Longest wait when idle (pokes end it sooner). Default 1 s. */
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

export interface FieldsConsumer {
  /** New events were stored. */
  poke(): void
  /**
   * The seq counted so far (after the last applied batch), or the store head it last found
   * nothing beyond, whichever is higher.
   */
  position(): number
  stop(): Promise<void>
}

export async function startFieldsConsumer(options: FieldsConsumerOptions): Promise<FieldsConsumer> {
  const { store } = options
  let position = await store.position()
  let caughtUp = 0
  const aggregator = new FieldAggregator(
    {
      classifier: options.classifier(),
      valueSamplesPerHour: options.valueSamplesPerHour,
      maxFieldsPerEvent: options.maxFieldsPerEvent,
      maxEventsPerSource: MAX_EVENTS_PER_SOURCE,
    },
    {
      paths: (event) => store.paths(event),
      events: async (sourceId) => store.events({ sourceId }),
    },
  )
  const loop = startFollowLoop({
    batchSize: options.batchSize,
    idleMs: options.idleMs ?? 1_000,
    coalesceMs: options.coalesceMs ?? COALESCE_MS,
    yieldTo: options.yieldTo,
    onError: options.onError,
    async step() {
      // Read before the events: everything at or below it is already in the store.
      const head = options.storeHead?.() ?? 0
      const inputs = await store.readEvents(position, options.batchSize)
      if (inputs.length < options.batchSize) caughtUp = Math.max(caughtUp, head)
      if (inputs.length === 0) return 0
      aggregator.useClassifier(options.classifier())
      const batch = await aggregator.aggregate(inputs)
      await store.apply(batch)
      position = batch.toSeq
      return inputs.length
    },
  })
  return {
    poke: () => loop.wake(),
    position: () => Math.max(position, caughtUp),
    stop: () => loop.stop(),
  }
}
