/**
 * The identity consumer: follows the event store (`IdentityStore.readEvents`, deduplicated)
 * from its committed offset and resolves it batch by batch with {@link resolveBatch}, the way
 * the pipeline runner follows the log.
 */
import type { Clock } from '../platform/clock.js'
import {
  createOffsetWaiters,
  startFollowLoop,
  type PipelineRunner,
  type YieldSignal,
} from '../pipeline/index.js'
import type { IdentityStore } from './identity-store.js'
import { resolveBatch, type ResolveBatchResult } from './resolve-batch.js'
import type { IdentityRules } from './rules.js'

/**
 * Progress and control of the running identity consumer: the pipeline's consumer interface,
 * in event seqs. `poke(head)` says the event store holds every event with `seq <= head`; once
 * nothing is left to read the position counts as `head`, so `waitFor` a log offset resolves
 * even when the last entries were duplicates or rejections.
 */
export type IdentityRunner = PipelineRunner

export interface IdentityRunnerOptions {
  store: IdentityStore
  /** The rules in force, read for every batch (they may change through the API). */
  rules: () => IdentityRules
  /** Consumer name under which the offset is committed. */
  consumer: string
  /** Events read and resolved per transaction (up to about 2,000). */
  batchSize: number
  /** Poll interval when no poke arrives (other processes storing events). */
  idleMs: number
  /** After a batch smaller than `batchSize`, wait this long so small batches coalesce. Default 10 ms. */
  coalesceMs?: number
  clock: Clock
  onApplied?: (result: ResolveBatchResult) => void
  /** Yield to the request path while it is under pressure (see `FollowLoopOptions.yieldTo`). */
  yieldTo?: YieldSignal | undefined
  onError: (error: unknown) => void
}

/**
 * Starts the consumer at its committed offset. Batches run one at a time in seq order, at least
 * once (a batch and its offset commit together, and a replayed event is skipped, so the effect
 * is exactly once). A failed batch is reported to `onError` and retried after `idleMs`; nothing
 * is ever skipped.
 */
export async function startIdentityRunner(options: IdentityRunnerOptions): Promise<IdentityRunner> {
  const { store, consumer, batchSize } = options
  let position = await store.transact((tx) => tx.offset(consumer))
  let head = Math.max(position, await store.eventsHead())
  const waiters = createOffsetWaiters()

  async function step(): Promise<number> {
    if (position >= head) return 0
    const target = head
    const events = await store.readEvents(position, batchSize)
    if (events.length === 0) {
      position = Math.max(position, target)
      waiters.settle(position)
      return 0
    }
    const result = await resolveBatch({
      store,
      rules: options.rules(),
      consumer,
      events,
      clock: options.clock,
    })
    position = Math.max(position, result.offset)
    if (position > head) head = position
    options.onApplied?.(result)
    waiters.settle(position)
    return events.length
  }

  const loop = startFollowLoop({
    step,
    batchSize,
    idleMs: options.idleMs,
    coalesceMs: options.coalesceMs ?? 10,
    yieldTo: options.yieldTo,
    onError: options.onError,
    afterIdle: async () => {
      head = Math.max(head, await store.eventsHead().catch(() => head))
    },
  })

  return {
    poke(newHead) {
      if (newHead > head) head = newHead
      loop.wake()
    },
    position: () => position,
    waitFor: (offset, timeoutMs) => waiters.waitFor(position, offset, timeoutMs),
    stop: () => loop.stop(),
  }
}
