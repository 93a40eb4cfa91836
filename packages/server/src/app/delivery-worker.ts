/**
 * Worker-thread entry of the delivery engine in embedded mode: its own SQLite connection, one
 * lane per destination, at a lower priority than the request path but above store and identity. Messages in:
 * `{type:'poke'}` (new events stored), `{type:'configure', configs}`,
 * `{type:'opt-outs', entries}` (the preference opt-out index, whole), `{type:'restricted',
 * identifiers}` (restricted people, whole), `{type:'stop'}`.
 * Messages out: `{type:'ready'}`, `{type:'commit', summary}`, `{type:'applied', ack}` (an
 * opt-out or restriction list is in use), `{type:'status', status}` (every
 * 500 ms), `{type:'error', message}`, `{type:'stopped'}`.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { ConsentPolicy, OptOutEntry } from '../consent/index.js'
import type { DestinationConfig } from '../destinations/index.js'
import { openSqliteStorage } from '../infra/sqlite/open-sqlite-storage.js'
import { createLogger } from '../platform/logger/index.js'
import {
  startDeliveryRuntime,
  type DeliveryPrivacy,
  type EgressOptions,
  deliveryRoutePolicy,
  type RestrictedIdentifier,
} from './delivery-runtime.js'
import {
  FLOW_NICE,
  lowerThreadPriority,
  reportTo,
  runWorker,
  stopWhenAsked,
} from './worker-support.js'

interface DeliveryWorkerInput {
  dataDir: string
  configs: DestinationConfig[]
  egress: EgressOptions
  privacy?: DeliveryPrivacy
  consent: ConsentPolicy
  optOuts: OptOutEntry[]
  restricted?: RestrictedIdentifier[]
}

interface WorkerMessage {
  type: string
  configs?: DestinationConfig[]
  entries?: OptOutEntry[]
  identifiers?: RestrictedIdentifier[]
  ack?: number
}

const STATUS_MS = 500

async function main(): Promise<void> {
  lowerThreadPriority(FLOW_NICE)
  const port = parentPort
  if (!port) throw new Error('delivery-worker must run in a worker thread')
  const input = workerData as DeliveryWorkerInput
  const storage = openSqliteStorage({ dataDir: input.dataDir })
  const report = reportTo(port)
  const routing = deliveryRoutePolicy(input.consent, input.optOuts, input.restricted ?? [])
  const { policy, preferences } = routing
  const runtime = await startDeliveryRuntime({
    policy,
    queue: storage.deliveryQueue,
    configs: input.configs,
    egress: input.egress,
    ...(input.privacy ? { privacy: input.privacy } : {}),
    logger: createLogger({ level: 'warn' }),
    onCommit: (summary) => port.postMessage({ type: 'commit', summary }),
    onError: (destinationId, error) =>
      report(
        new Error(
          `destination ${destinationId}: ${error instanceof Error ? error.message : String(error)}`,
        ),
      ),
  })
  const status = setInterval(
    () => port.postMessage({ type: 'status', status: runtime.engine.status() }),
    STATUS_MS,
  )
  port.postMessage({ type: 'ready', status: runtime.engine.status() })
  port.on('message', (message: WorkerMessage) => {
    if (message.type === 'poke') runtime.engine.poke()
    if (message.type === 'opt-outs' && message.entries) {
      preferences.replace(message.entries)
      port.postMessage({ type: 'applied', ack: message.ack })
    }
    if (message.type === 'restricted' && message.identifiers) {
      routing.restricted.replace(message.identifiers)
      port.postMessage({ type: 'applied', ack: message.ack })
    }
    if (message.type === 'configure' && message.configs) {
      void runtime.engine
        .configure(message.configs)
        .then(() => port.postMessage({ type: 'status', status: runtime.engine.status() }))
        .catch(report)
    }
    stopWhenAsked(port, message, async () => {
      clearInterval(status)
      await runtime.close()
      await storage.close()
    })
  })
}

runWorker(main)
