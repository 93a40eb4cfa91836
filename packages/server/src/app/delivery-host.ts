/**
 * Runs the delivery engine: in a supervised worker thread on the embedded store, in process on
 * PostgreSQL. The app pokes it after every store batch and hands it every config change.
 */
import type { ConsentPolicy, OptOutEntry } from '../consent/index.js'
import type {
  DeliveryQueue,
  DestinationConfig,
  EngineDestinationStatus,
} from '../destinations/index.js'
import type { Logger } from '../platform/logger/index.js'
import {
  startDeliveryRuntime,
  type CommitSummary,
  type DeliveryPrivacy,
  type EgressOptions,
  deliveryRoutePolicy,
  type RestrictedIdentifier,
} from './delivery-runtime.js'
import { startSupervisedWorker } from './supervised-worker.js'
import { present, type ThreadHeap } from './thread-heap.js'

export interface DeliveryHost {
  /** New events were stored. */
  poke(): void
  /** The destinations changed (secrets in clear). */
  configure(configs: DestinationConfig[]): void
  /**
   * Who opted out of which channels and content types, whole (routing honours it from the
   * next window each lane reads; the previous index stays in use until then).
   */
  setOptOuts(entries: OptOutEntry[]): Promise<void>
  /**
   * The identifiers of people whose processing is restricted, whole: kept out of marketing
   * destinations from each lane's next window.
   */
  setRestricted(identifiers: RestrictedIdentifier[]): Promise<void>
  /** The last known state of every destination's lane. */
  status(): EngineDestinationStatus[]
  /** True while the engine runs (a host that never stops it always says true). */
  running(): boolean
  /** Stops the lanes (in-flight requests are aborted and redone at the next start). */
  stop(): Promise<void>
  /** The V8 heaps of the worker threads it runs, as they last reported them (none in process). */
  threadHeaps?(): ThreadHeap[]
}

const ACK_TIMEOUT_MS = 2_000

export interface DeliveryHostOptions {
  configs: DestinationConfig[]
  egress: EgressOptions
  /** PII rules for the lanes (plain data: it crosses to the worker). */
  privacy?: DeliveryPrivacy
  consent: ConsentPolicy
  optOuts: OptOutEntry[]
  /** People whose processing is restricted, at start (later lists go through `setRestricted`). */
  restricted?: RestrictedIdentifier[]
  onCommit: (summary: CommitSummary) => void
  onError: (error: unknown) => void
}

export async function startWorkerDelivery(
  options: DeliveryHostOptions & { dataDir: string },
): Promise<DeliveryHost> {
  let configs = options.configs
  let optOuts = options.optOuts
  let restricted = options.restricted ?? []
  let status: EngineDestinationStatus[] = []
  // Index updates resolve when the worker acknowledges them (or after ACK_TIMEOUT_MS, when a
  // restarted worker lost the message: it starts from `data()`, which has the new list).
  let lastAck = 0
  const acks = new Map<number, () => void>()
  const post = (message: Record<string, unknown>): Promise<void> =>
    new Promise<void>((resolve) => {
      const ack = ++lastAck
      const timer = setTimeout(() => acks.get(ack)?.(), ACK_TIMEOUT_MS)
      timer.unref()
      acks.set(ack, () => {
        clearTimeout(timer)
        acks.delete(ack)
        resolve()
      })
      worker.post({ ...message, ack })
    })
  const worker = await startSupervisedWorker({
    file: 'delivery-worker.js',
    name: 'delivery',
    data: () => ({
      dataDir: options.dataDir,
      configs,
      egress: options.egress,
      privacy: options.privacy,
      consent: options.consent,
      optOuts,
      restricted,
    }),
    onMessage(m) {
      if (m.type === 'commit') options.onCommit(m.summary as CommitSummary)
      if (m.type === 'applied') acks.get(m.ack as number)?.()
      if ((m.type === 'status' || m.type === 'ready') && Array.isArray(m.status)) {
        status = m.status as EngineDestinationStatus[]
      }
    },
    onError: options.onError,
  })
  return {
    poke: () => worker.post({ type: 'poke' }),
    configure(next) {
      configs = next
      worker.post({ type: 'configure', configs: next })
    },
    setOptOuts(entries) {
      optOuts = entries
      return post({ type: 'opt-outs', entries })
    },
    setRestricted(identifiers) {
      restricted = identifiers
      return post({ type: 'restricted', identifiers })
    },
    status: () => status,
    running: () => true,
    stop: () => worker.stop(),
    threadHeaps: () => present(worker.heap()),
  }
}

export async function startInProcessDelivery(
  options: DeliveryHostOptions & { queue: DeliveryQueue; logger: Logger },
): Promise<DeliveryHost> {
  const routing = deliveryRoutePolicy(options.consent, options.optOuts, options.restricted ?? [])
  const { policy, preferences } = routing
  const runtime = await startDeliveryRuntime({
    policy,
    queue: options.queue,
    configs: options.configs,
    egress: options.egress,
    privacy: options.privacy,
    logger: options.logger,
    onCommit: options.onCommit,
    onError: (id, error) => options.onError(new Error(`destination ${id}`, { cause: error })),
  })
  return {
    poke: () => runtime.engine.poke(),
    configure: (configs) => void runtime.engine.configure(configs).catch(options.onError),
    setOptOuts: (entries) => Promise.resolve(preferences.replace(entries)),
    setRestricted: (identifiers) => Promise.resolve(routing.restricted.replace(identifiers)),
    status: () => runtime.engine.status(),
    running: () => true,
    stop: () => runtime.close(),
  }
}
