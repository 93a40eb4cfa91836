/**
 * Worker-thread entry of the embedded pipeline. It opens its own connections to the SQLite
 * store and a read-only view of the segment log, applies the log to the store (`store`
 * consumer), and resolves stored events into profiles (`identity` consumer, poked after every
 * store batch), on a second core while the main thread serves HTTP. Messages in:
 * `{type:'poke', head}`, `{type:'rules', config}` (identity rules changed), `{type:'stop'}`.
 * Messages out: `{type:'ready', position, identityPosition}`, `{type:'applied', offset,
 * stored, duplicates, rejected}`, `{type:'identity', position, events, rebuilds}`,
 * `{type:'error', message}`, `{type:'stopped'}`.
 */
import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'
import { parentPort, workerData } from 'node:worker_threads'
import { SegmentLog } from '../infra/embedded/segment-log.js'
import { openSqliteStorage } from '../infra/sqlite/open-sqlite-storage.js'
import {
  createIdentityRulesHolder,
  startIdentityRunner,
  type IdentityConfig,
} from '../identity/index.js'
import { startPipelineRunner } from '../pipeline/index.js'
import { systemClock } from '../platform/clock.js'
import { IDENTITY_CONSUMER, STORE_CONSUMER } from './pipeline-host.js'

/** Nice value of the pipeline thread (0 is normal, 19 lowest). */
const PIPELINE_NICE = 10

interface WorkerInput {
  dataDir: string
  logDir: string
  durableHead: number
  batchSize: number
  identityConfig: IdentityConfig
  identityManaged: boolean
}

/** How often the identity position is reported when it moves without a batch (empty reads). */
const IDENTITY_REPORT_MS = 20

/**
 * Lowers this thread's scheduling priority (Linux: a thread is a task with its own nice
 * value), so that under a burst the request path gets the CPU first and the pipeline catches up
 * when it eases; the durable log absorbs the difference. Best effort elsewhere.
 */
function lowerThreadPriority(): void {
  try {
    const tid = Number(/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'))?.[1])
    if (Number.isInteger(tid)) setPriority(tid, PIPELINE_NICE)
  } catch {
    // Not Linux, or not permitted: run at normal priority.
  }
}

async function main(): Promise<void> {
  lowerThreadPriority()
  const port = parentPort
  if (!port) throw new Error('pipeline-worker must run in a worker thread')
  const input = workerData as WorkerInput
  const storage = openSqliteStorage({ dataDir: input.dataDir })
  const log = await SegmentLog.open({ dir: input.logDir, readOnly: true })
  const report = (error: unknown): void =>
    port.postMessage({
      type: 'error',
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    })
  const rules = createIdentityRulesHolder({
    config: input.identityConfig,
    managed: input.identityManaged,
  })
  const identity = await startIdentityRunner({
    store: storage.identityStore,
    rules: () => rules.rules(),
    consumer: IDENTITY_CONSUMER,
    batchSize: input.batchSize,
    idleMs: 1000,
    clock: systemClock,
    onApplied: (result) =>
      port.postMessage({
        type: 'identity',
        position: identity.position(),
        events: result.events,
        rebuilds: result.rebuilds,
      }),
    onError: report,
  })
  let reported = identity.position()
  const reporter = setInterval(() => {
    const position = identity.position()
    if (position !== reported) {
      reported = position
      port.postMessage({ type: 'identity', position, events: 0, rebuilds: 0 })
    }
  }, IDENTITY_REPORT_MS)
  const runner = await startPipelineRunner({
    log,
    store: storage.eventStore,
    offsets: storage.offsets,
    consumer: STORE_CONSUMER,
    batchSize: input.batchSize,
    idleMs: 1000,
    durableHead: input.durableHead,
    onApplied: (info) => {
      port.postMessage({ type: 'applied', ...info })
      identity.poke(info.offset)
    },
    onError: report,
  })
  identity.poke(runner.position())
  port.postMessage({
    type: 'ready',
    position: runner.position(),
    identityPosition: identity.position(),
  })
  port.on('message', (message: { type: string; head?: number; config?: IdentityConfig }) => {
    if (message.type === 'poke' && typeof message.head === 'number') runner.poke(message.head)
    if (message.type === 'rules' && message.config) rules.replace(message.config)
    if (message.type === 'stop') {
      void (async () => {
        await runner.stop()
        // Resolve what the store holds before stopping, so a clean stop leaves no lag.
        identity.poke(runner.position())
        await identity.waitFor(runner.position(), 10_000)
        clearInterval(reporter)
        await identity.stop()
        await log.close()
        await storage.close()
        port.postMessage({ type: 'stopped' })
      })()
    }
  })
}

void main().catch((error: unknown) => {
  parentPort?.postMessage({
    type: 'fatal',
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  })
})
