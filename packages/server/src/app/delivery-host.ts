/**
 * Runs the delivery engine: in a supervised worker thread on the embedded store, in process on
 * PostgreSQL. The app pokes it after every store batch and hands it every config change.
 */
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
} from './delivery-runtime.js'
import { startSupervisedWorker } from './supervised-worker.js'

export interface DeliveryHost {
  /** New events were stored. */
  poke(): void
  /** The destinations changed (secrets in clear). */
  configure(configs: DestinationConfig[]): void
  /** The last known state of every destination's lane. */
  status(): EngineDestinationStatus[]
  /** Stops the lanes (in-flight requests are aborted and redone at the next start). */
  stop(): Promise<void>
}

export interface DeliveryHostOptions {
  configs: DestinationConfig[]
  egress: EgressOptions
  /** PII rules for the lanes (plain data: it crosses to the worker). */
  privacy?: DeliveryPrivacy
  onCommit: (summary: CommitSummary) => void
  onError: (error: unknown) => void
}

export async function startWorkerDelivery(
  options: DeliveryHostOptions & { dataDir: string },
): Promise<DeliveryHost> {
  let configs = options.configs
  let status: EngineDestinationStatus[] = []
  const worker = await startSupervisedWorker({
    file: 'delivery-worker.js',
    name: 'delivery',
    data: () => ({
      dataDir: options.dataDir,
      configs,
      egress: options.egress,
      privacy: options.privacy,
    }),
    onMessage(m) {
      if (m.type === 'commit') options.onCommit(m.summary as CommitSummary)
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
    status: () => status,
    stop: () => worker.stop(),
  }
}

export async function startInProcessDelivery(
  options: DeliveryHostOptions & { queue: DeliveryQueue; logger: Logger },
): Promise<DeliveryHost> {
  const runtime = await startDeliveryRuntime({
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
    status: () => runtime.engine.status(),
    stop: () => runtime.close(),
  }
}
