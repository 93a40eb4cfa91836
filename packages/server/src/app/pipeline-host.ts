import type { IdentityConfig } from '../identity/index.js'
import type { ActivePlan, ActivePlans } from '../plans/index.js'
import type { PiiIngestRules } from '../privacy/index.js'
import { createOffsetWaiters, type PipelineRunner, type YieldSignal } from '../pipeline/index.js'
import { createStoreRelay, type StoreRelay } from './store-relay.js'
import { startSupervisedWorker, type SupervisedWorker } from './supervised-worker.js'
import { present, type ThreadHeap } from './thread-heap.js'

/** How often the main thread looks for plan changes to hand to the store worker. */
const PLANS_POLL_MS = 500

/** How long a clean stop lets identity resolution catch up with the store. */
const IDENTITY_STOP_WAIT_MS = 10_000

/** Consumer name of the step that applies the log to the queryable store. */
export const STORE_CONSUMER = 'store'
/** Consumer name of identity resolution (it follows the store, by event seq). */
export const IDENTITY_CONSUMER = 'identity'

/** Progress of a consumer that the app only watches. */
export interface ConsumerProgress {
  /** Last offset (event seq) processed, or -1 before it started. */
  position(): number
  /** Resolves true once `position() >= offset`, false after `timeoutMs`. */
  waitFor(offset: number, timeoutMs: number): Promise<boolean>
}

/** The running pipeline: the `store` consumer and the steps after it. */
export interface Pipelines {
  store: PipelineRunner
  identity: ConsumerProgress
  /** Hands new identity rules to the resolver (API edit or config reload). */
  setIdentityRules(config: IdentityConfig): void
  /**
   * Makes the store step use the current tracking plans from its next batch on (the store
   * worker gets them from the main thread; in process the step reads them every batch).
   */
  refreshPlans(): Promise<void>
  /**
   * Hands the global PII rules (null: none) to the store step (config reload). They apply to the
   * batches the store step starts after it gets them; a batch already running keeps the old ones.
   */
  setPiiRules(rules: PiiIngestRules | null): void
  /**
   * Embedded only: runs the main thread's background writes (audit appends, retention
   * deletions, suppressed counts, outbox removals) on the store worker's connections, off the
   * event loop (store-relay.ts). Absent where a write does not block the event loop.
   */
  relay?: StoreRelay
  /** The V8 heaps of the worker threads it runs, as they last reported them (none in process). */
  threadHeaps?(): ThreadHeap[]
}

/** What the pipeline reports besides store batches. */
export interface PipelineHooks {
  onError: (error: unknown) => void
  onApplied: (info: {
    offset: number
    stored: number
    duplicates: number
    rejected: number
    quarantined: number
  }) => void
  onIdentity?: (info: { events: number; rebuilds: number }) => void
}

/**
 * Runs the embedded pipeline in two worker threads: the `store` consumer (log → store, exposed
 * as a {@link PipelineRunner}) and identity resolution (store → profiles), each on its own
 * connections, so a slow identity batch never holds up the store and the two use both cores
 * when the request path leaves them room. The store worker's progress pokes the identity
 * worker. Resolves once both loaded their offsets. A worker that dies is restarted from its
 * committed offset (identity with the rules last set).
 */
export async function startWorkerPipeline(
  options: PipelineHooks & {
    dataDir: string
    logDir: string
    durableHead: number
    batchSize: number
    identityBatchSize: number
    identityConfig: IdentityConfig
    identityManaged: boolean
    activePlans: ActivePlans
    /** The global PII rules at start; later ones go through `setPiiRules`. */
    pii: PiiIngestRules | null
    /** Shared with both workers: their consumers yield to the request path while it is raised. */
    yieldSignal: YieldSignal
  },
): Promise<Pipelines> {
  let position = -1
  let identityPosition = -1
  let identityConfig = options.identityConfig
  // A (re)started store worker gets the rules last set.
  let pii = options.pii
  let head = options.durableHead
  const waiters = createOffsetWaiters()
  const identityWaiters = createOffsetWaiters()
  const identityWorker = await startSupervisedWorker({
    file: 'identity-worker.js',
    name: 'identity',
    data: () => ({
      dataDir: options.dataDir,
      batchSize: options.identityBatchSize,
      identityConfig,
      identityManaged: options.identityManaged,
      yieldBuffer: options.yieldSignal.buffer,
    }),
    onMessage(m) {
      identityPosition = typeof m.position === 'number' ? m.position : identityPosition
      identityWaiters.settle(identityPosition)
      if (m.type === 'identity') {
        options.onIdentity?.({ events: Number(m.events ?? 0), rebuilds: Number(m.rebuilds ?? 0) })
      }
      // A (re)started resolver learns how far the store is.
      if (m.type === 'ready' && position > 0) identityWorker.post({ type: 'poke', head: position })
    },
    onError: options.onError,
  })
  // Assigned once started; a restarted store worker is poked from its own `ready` message.
  const ref: { storeWorker?: SupervisedWorker } = {}
  // The store worker cannot call the main thread's ActivePlans: the main thread polls the
  // stamp and sends the plans when it moved; a (re)started worker gets the last ones sent.
  let plans: { stamp: number; active: ActivePlan[] } = {
    stamp: await options.activePlans.stamp(),
    active: await options.activePlans.active(),
  }
  // Syncs run one after another, each reading the stamp afresh, so one asked for after a
  // plan change never returns the answer of a read that started before it.
  let chain: Promise<void> = Promise.resolve()
  const readPlans = async (): Promise<void> => {
    const stamp = await options.activePlans.stamp()
    if (stamp === plans.stamp) return
    plans = { stamp, active: await options.activePlans.active() }
    ref.storeWorker?.post({ type: 'plans', ...plans })
  }
  const syncPlans = (): Promise<void> => (chain = chain.catch(() => undefined).then(readPlans))
  const relay = createStoreRelay((request) => ref.storeWorker?.post(request))
  const started = await startSupervisedWorker({
    file: 'pipeline-worker.js',
    name: 'store',
    data: () => ({
      dataDir: options.dataDir,
      logDir: options.logDir,
      durableHead: head,
      batchSize: options.batchSize,
      plans,
      pii,
      yieldBuffer: options.yieldSignal.buffer,
    }),
    onMessage(m) {
      if (relay.answer(m)) return
      position = Number(m.type === 'applied' ? m.offset : m.position)
      if (m.type === 'applied') {
        options.onApplied({
          offset: position,
          stored: Number(m.stored ?? 0),
          duplicates: Number(m.duplicates ?? 0),
          rejected: Number(m.rejected ?? 0),
          quarantined: Number(m.quarantined ?? 0),
        })
      }
      waiters.settle(position)
      identityWorker.post({ type: 'poke', head: position })
      if (m.type === 'ready' && head > position) ref.storeWorker?.post({ type: 'poke', head })
    },
    onError: options.onError,
    onExit: () => relay.failPending('the store worker ended'),
  }).catch(async (error: unknown) => {
    await identityWorker.stop()
    throw error
  })
  ref.storeWorker = started
  if (head > position) started.post({ type: 'poke', head })
  const plansTimer = setInterval(() => void syncPlans().catch(options.onError), PLANS_POLL_MS)
  plansTimer.unref()
  const store: PipelineRunner = {
    poke(newHead) {
      if (newHead > head) head = newHead
      started.post({ type: 'poke', head })
    },
    position: () => position,
    waitFor: (offset, timeoutMs) => waiters.waitFor(position, offset, timeoutMs),
    async stop() {
      clearInterval(plansTimer)
      await started.stop()
      // Resolve what the store holds before stopping, so a clean stop leaves no identity lag;
      // what is left after the wait is resolved at the next start.
      identityWorker.post({ type: 'poke', head: position })
      await identityWaiters.waitFor(identityPosition, position, IDENTITY_STOP_WAIT_MS)
      await identityWorker.stop()
    },
  }
  return {
    store,
    identity: {
      position: () => identityPosition,
      waitFor: (offset, timeoutMs) => identityWaiters.waitFor(identityPosition, offset, timeoutMs),
    },
    setIdentityRules(config) {
      identityConfig = config
      identityWorker.post({ type: 'rules', config })
    },
    refreshPlans: syncPlans,
    setPiiRules(rules) {
      pii = rules
      started.post({ type: 'pii', pii: rules })
    },
    relay,
    threadHeaps: () => [...present(started.heap()), ...present(identityWorker.heap())],
  }
}
