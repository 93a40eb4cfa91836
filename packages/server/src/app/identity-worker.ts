/**
 * Worker-thread entry of identity resolution in embedded mode: its own SQLite connections,
 * following the event store from the `identity` consumer's offset, at a lower priority than the
 * request path (like the `store` worker). Messages in: `{type:'poke', head}` (the store holds
 * every event up to `head`), `{type:'rules', config}`, `{type:'stop'}`. Messages out:
 * `{type:'ready', position}`, `{type:'identity', position, events, rebuilds}` (after a batch,
 * or when the position moved without one), `{type:'error', message}`, `{type:'stopped'}`.
 */
import { parentPort, workerData } from 'node:worker_threads'
import {
  createIdentityRulesHolder,
  startIdentityRunner,
  type IdentityConfig,
} from '../identity/index.js'
import { openSqliteIdentityStore } from '../infra/sqlite/sqlite-identity-store.js'
import { yieldSignalOn } from '../pipeline/index.js'
import { systemClock } from '../platform/clock.js'
import { IDENTITY_CONSUMER } from './pipeline-host.js'
import { lowerThreadPriority, reportTo, runWorker, stopWhenAsked } from './worker-support.js'

interface IdentityWorkerInput {
  dataDir: string
  batchSize: number
  identityConfig: IdentityConfig
  identityManaged: boolean
  /** The main thread's yield signal (see pipeline/yield-signal.ts). */
  yieldBuffer: SharedArrayBuffer
}

/** How often the position is reported when it moves without a batch (empty reads). */
const REPORT_MS = 20

async function main(): Promise<void> {
  lowerThreadPriority()
  const port = parentPort
  if (!port) throw new Error('identity-worker must run in a worker thread')
  const input = workerData as IdentityWorkerInput
  // Only the graph's own connection: the main thread opened (and migrated) the storage.
  const identityStore = openSqliteIdentityStore(input.dataDir)
  const rules = createIdentityRulesHolder({
    config: input.identityConfig,
    managed: input.identityManaged,
  })
  const runner = await startIdentityRunner({
    store: identityStore,
    rules: () => rules.rules(),
    consumer: IDENTITY_CONSUMER,
    batchSize: input.batchSize,
    idleMs: 1000,
    clock: systemClock,
    yieldTo: yieldSignalOn(input.yieldBuffer),
    onApplied: (result) =>
      port.postMessage({
        type: 'identity',
        position: runner.position(),
        events: result.events,
        rebuilds: result.rebuilds,
      }),
    onError: reportTo(port),
  })
  let reported = runner.position()
  const reporter = setInterval(() => {
    const position = runner.position()
    if (position !== reported) {
      reported = position
      port.postMessage({ type: 'identity', position, events: 0, rebuilds: 0 })
    }
  }, REPORT_MS)
  port.postMessage({ type: 'ready', position: runner.position() })
  port.on('message', (message: { type: string; head?: number; config?: IdentityConfig }) => {
    if (message.type === 'poke' && typeof message.head === 'number') runner.poke(message.head)
    if (message.type === 'rules' && message.config) rules.replace(message.config)
    stopWhenAsked(port, message, async () => {
      clearInterval(reporter)
      await runner.stop()
      identityStore.close()
    })
  })
}

runWorker(main)
