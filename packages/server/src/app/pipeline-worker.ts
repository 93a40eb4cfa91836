/**
 * Worker-thread entry of the embedded `store` consumer. It opens its own connection to the
 * SQLite store and a read-only view of the segment log, and applies the log to the store on a
 * second core while the main thread serves HTTP. Messages in: `{type:'poke', head}`,
 * `{type:'plans', stamp, active}` (tracking plans changed), `{type:'pii', pii}` (global PII
 * rules changed; null: none), `{type:'relay', id, target, method, args}` (a background write
 * of the main thread, see store-relay.ts), `{type:'stop'}`. Messages out:
 * `{type:'ready', position}`, `{type:'applied', offset, stored, duplicates, rejected,
 * quarantined}`, `{type:'relayed', id, value?, error?}`, `{type:'error', message}`,
 * `{type:'stopped'}`.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { SegmentLog } from '../infra/embedded/segment-log.js'
import { openSqliteStorage, STORE_WRITER_CACHE_MB } from '../infra/sqlite/open-sqlite-storage.js'
import { startPipelineRunner, yieldSignalOn } from '../pipeline/index.js'
import {
  appendGateStep,
  createPlanGateProvider,
  MemoryActivePlans,
  type ActivePlan,
} from '../plans/index.js'
import { createPiiIngestStep, type PiiIngestRules } from '../privacy/index.js'
import { STORE_CONSUMER } from './pipeline-host.js'
import { answerRelayRequest, erasureByName, isRelayRequest } from './store-relay.js'
import {
  FLOW_NICE,
  lowerThreadPriority,
  reportTo,
  runWorker,
  stopWhenAsked,
} from './worker-support.js'

interface WorkerInput {
  dataDir: string
  logDir: string
  durableHead: number
  batchSize: number
  /** The tracking plans at start; later ones arrive as `{type:'plans', stamp, active}`. */
  plans: { stamp: number; active: ActivePlan[] }
  /** The global PII rules at start (null: none); later ones arrive as `{type:'pii', pii}`. */
  pii: PiiIngestRules | null
  /** The main thread's yield signal (see pipeline/yield-signal.ts). */
  yieldBuffer: SharedArrayBuffer
}

interface WorkerMessage {
  type: string
  head?: number
  stamp?: number
  active?: ActivePlan[]
  pii?: PiiIngestRules | null
}

/** How often the store worker checkpoints identity.db's WAL. */
const IDENTITY_CHECKPOINT_MS = 1000

async function main(): Promise<void> {
  lowerThreadPriority(FLOW_NICE)
  const port = parentPort
  if (!port) throw new Error('pipeline-worker must run in a worker thread')
  const input = workerData as WorkerInput
  const storage = openSqliteStorage({
    dataDir: input.dataDir,
    pageCacheMb: STORE_WRITER_CACHE_MB,
  })
  const log = await SegmentLog.open({ dir: input.logDir, readOnly: true })
  const plans = new MemoryActivePlans(input.plans.active, input.plans.stamp)
  let piiStep = createPiiIngestStep(input.pii)
  const runner = await startPipelineRunner({
    log,
    store: storage.eventStore,
    offsets: storage.offsets,
    consumer: STORE_CONSUMER,
    batchSize: input.batchSize,
    idleMs: 1000,
    durableHead: input.durableHead,
    yieldTo: yieldSignalOn(input.yieldBuffer),
    gate: appendGateStep(
      createPlanGateProvider(plans, {
        onProblem: (message) => reportTo(port)(new Error(message)),
      }),
      () => piiStep,
    ),
    onApplied: (info) => port.postMessage({ type: 'applied', ...info }),
    onError: reportTo(port),
  })
  // Identity resolution's WAL is checkpointed from here, off the resolver's path (see
  // SqliteStorage.checkpointIdentity); a failed checkpoint loses nothing and is tried again.
  const checkpoints = setInterval(() => {
    try {
      storage.checkpointIdentity()
    } catch (error) {
      reportTo(port)(error)
    }
  }, IDENTITY_CHECKPOINT_MS)
  const relayTargets = {
    audit: storage.audit,
    retention: storage.retention,
    regulations: storage.regulations,
    outbox: storage.violationOutbox,
    qualityAlerts: storage.qualityAlerts,
    erasure: erasureByName(storage.erasure.targets),
  }
  port.postMessage({ type: 'ready', position: runner.position() })
  port.on('message', (message: WorkerMessage) => {
    if (message.type === 'plans' && message.active && typeof message.stamp === 'number') {
      // Messages arrive in order: plans sent before a poke apply to the batches it starts.
      plans.set(message.active, message.stamp)
    }
    // Likewise, PII rules sent before a poke apply to the batches it starts.
    if (message.type === 'pii' && message.pii !== undefined) {
      piiStep = createPiiIngestStep(message.pii)
    }
    if (message.type === 'poke' && typeof message.head === 'number') runner.poke(message.head)
    // Run on this thread's connections between store batches (both are synchronous
    // better-sqlite3 work, so neither runs inside the other); the answer follows the commit.
    if (isRelayRequest(message)) {
      answerRelayRequest(message, relayTargets, (answer) => port.postMessage(answer))
    }
    stopWhenAsked(port, message, async () => {
      clearInterval(checkpoints)
      await runner.stop()
      await log.close()
      await storage.close()
    })
  })
}

runWorker(main)
