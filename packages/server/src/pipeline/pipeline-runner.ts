import type { ConsumerOffsets, EventLog, EventStore } from '../events/index.js'
import type { GateProvider } from '../plans/index.js'
import { startFollowLoop } from './follow-loop.js'
import type { YieldSignal } from './yield-signal.js'
import { createOffsetWaiters } from './offset-waiters.js'

/** Progress and control of a running pipeline consumer. */
export interface PipelineRunner {
  /** Tells the runner the log has grown to `head` (durable); it reads up to there. */
  poke(head: number): void
  /** The last offset applied, or -1 before the runner has loaded its offset. */
  position(): number
  /** Resolves true once `position() >= offset`, false after `timeoutMs`. */
  waitFor(offset: number, timeoutMs: number): Promise<boolean>
  /** Finishes the batch in progress and stops. */
  stop(): Promise<void>
}

export interface PipelineRunnerOptions {
  log: EventLog
  store: EventStore
  offsets: ConsumerOffsets
  /** Consumer name under which the offset is committed. */
  consumer: string
  /** Entries read and applied per transaction. */
  batchSize: number
  /** Poll interval when no poke arrives (other processes appending). */
  idleMs: number
  /**
   * After a batch smaller than `batchSize`, wait this long before the next one so small
   * appends coalesce into fewer store transactions (each costs a disk sync). Default 10 ms.
   */
  coalesceMs?: number
  /**
   * The highest offset known durable. The runner never applies beyond it, so a crash can
   * never leave the store ahead of the log. Defaults to the log's own head.
   */
  durableHead?: number
  /**
   * The gate (tracking plans, later privacy steps) the store runs each batch's events through;
   * asked once per batch, so a plan change applies from the next batch on. Absent: no gate.
   */
  gate?: GateProvider
  onApplied?: (info: {
    offset: number
    stored: number
    duplicates: number
    rejected: number
    quarantined: number
  }) => void
  /** Yield to the request path while it is under pressure (see `FollowLoopOptions.yieldTo`). */
  yieldTo?: YieldSignal | undefined
  onError: (error: unknown) => void
}

/**
 * Follows the log from the consumer's committed offset and applies entries to the store in
 * batches, in offset order, at least once (the store's apply is idempotent by offset, so the
 * effect is exactly once). A failed batch is retried after `idleMs`; nothing is skipped.
 */
export async function startPipelineRunner(options: PipelineRunnerOptions): Promise<PipelineRunner> {
  const { log, store, consumer, batchSize } = options
  let position = await options.offsets.get(consumer)
  let head = options.durableHead ?? (await log.head())
  const waiters = createOffsetWaiters()

  async function step(): Promise<number> {
    if (position >= head) return 0
    const entries = (await log.read(position, Math.min(batchSize, head - position))).filter(
      (e) => e.offset <= head,
    )
    if (entries.length === 0) return 0
    const gate = options.gate ? await options.gate.current() : undefined
    const result = await store.apply(consumer, entries, gate)
    position = result.offset
    options.onApplied?.({
      offset: position,
      stored: result.stored,
      duplicates: result.duplicates,
      rejected: result.rejected,
      quarantined: result.quarantined,
    })
    waiters.settle(position)
    return entries.length
  }

  const loop = startFollowLoop({
    step,
    batchSize,
    idleMs: options.idleMs,
    coalesceMs: options.coalesceMs ?? 10,
    yieldTo: options.yieldTo,
    onError: options.onError,
    afterIdle: async () => {
      if (options.durableHead === undefined) {
        head = Math.max(head, await log.head().catch(() => head))
      }
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
