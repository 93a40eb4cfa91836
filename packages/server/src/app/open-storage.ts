import { join, resolve } from 'node:path'
import type { EventLog } from '../events/index.js'
import { startIdentityRunner, type IdentityRulesHolder } from '../identity/index.js'
import { SegmentLog } from '../infra/embedded/segment-log.js'
import { openSqliteStorage } from '../infra/sqlite/open-sqlite-storage.js'
import type { Storage } from '../infra/storage.js'
import { startPipelineRunner, type YieldSignal } from '../pipeline/index.js'
import { appendGateStep, createPlanGateProvider, type ActivePlans } from '../plans/index.js'
import { createPiiIngestStep, type PiiIngestRules } from '../privacy/index.js'
import { systemClock } from '../platform/clock.js'
import { startFollowerConsumers, type FollowerSettings, type Followers } from './followers.js'
import { startFollowersWorker } from './followers-host.js'
import {
  IDENTITY_CONSUMER,
  startWorkerPipeline,
  STORE_CONSUMER,
  type PipelineHooks,
  type Pipelines,
} from './pipeline-host.js'

export type { PipelineHooks, Pipelines } from './pipeline-host.js'

/**
 * Log entries applied to the store per transaction: large batches write each index page once
 * for many rows (about half the bytes per event of 2,000-entry batches).
 */
const STORE_BATCH = 10_000
/** Events resolved per identity transaction (each holds the write lock while it runs). */
const IDENTITY_BATCH = 2000

/** What the pipeline starts with; later changes go through {@link Pipelines}. */
export interface PipelineInputs {
  /** The identity rules (in process: read per batch; a worker gets `Pipelines.setIdentityRules`). */
  identityRules: IdentityRulesHolder
  /** The tracking plans the store step enforces (read per batch in process, relayed to a worker). */
  activePlans: ActivePlans
  /** The global PII rules at start, null when none (changes: `Pipelines.setPiiRules`). */
  pii: PiiIngestRules | null
  /**
   * Raised by the main thread while the request path is under pressure: every consumer holds
   * its next batch while it is (bounded by its `maxPauseMs`), wherever it runs.
   */
  yieldSignal: YieldSignal
}

/** The store, the log in front of it, and how to run the pipeline between them. */
export interface OpenedStores {
  storage: Storage
  log: EventLog
  /**
   * Starts the `store` consumer and identity resolution after it: in a worker thread
   * (embedded) or in process (PostgreSQL). The store step's gate is the tracking-plan step,
   * then the global PII rules' step when there are any.
   */
  startPipeline(hooks: PipelineHooks, inputs: PipelineInputs): Promise<Pipelines>
  /**
   * Starts the store's followers (field inventory, data-quality counters): in a worker thread
   * (embedded) or in process (PostgreSQL). Poke them after every store batch.
   */
  startFollowers(
    settings: FollowerSettings,
    onError: (error: unknown) => void,
    yieldSignal: YieldSignal,
  ): Promise<Followers>
  /** Closes the log, then the store. Call after the pipeline stopped. */
  close(): Promise<void>
}

/**
 * In-process pipeline (PostgreSQL): the `store` runner pokes the identity runner after each
 * batch; both share the rules holder with the identity service, so a rules change is seen at
 * the next batch.
 */
async function startInProcess(
  storage: Storage & { eventLog: EventLog },
  hooks: PipelineHooks,
  { identityRules: rules, activePlans, pii, yieldSignal }: PipelineInputs,
): Promise<Pipelines> {
  let piiStep = createPiiIngestStep(pii)
  const identity = await startIdentityRunner({
    store: storage.identityStore,
    rules: () => rules.rules(),
    consumer: IDENTITY_CONSUMER,
    batchSize: IDENTITY_BATCH,
    idleMs: 250,
    clock: systemClock,
    yieldTo: yieldSignal,
    onApplied: (result) => hooks.onIdentity?.({ events: result.events, rebuilds: result.rebuilds }),
    onError: hooks.onError,
  })
  const store = await startPipelineRunner({
    log: storage.eventLog,
    store: storage.eventStore,
    offsets: storage.offsets,
    consumer: STORE_CONSUMER,
    batchSize: STORE_BATCH,
    idleMs: 250,
    yieldTo: yieldSignal,
    gate: appendGateStep(
      createPlanGateProvider(activePlans, {
        onProblem: (message) => hooks.onError(new Error(message)),
      }),
      () => piiStep,
    ),
    onError: hooks.onError,
    onApplied: (info) => {
      hooks.onApplied(info)
      identity.poke(info.offset)
    },
  })
  identity.poke(store.position())
  return {
    store: {
      ...store,
      async stop() {
        await store.stop()
        identity.poke(store.position())
        await identity.waitFor(store.position(), 10_000)
        await identity.stop()
      },
    },
    identity,
    setIdentityRules: () => undefined,
    // The in-process step reads the stamp before every batch.
    refreshPlans: () => Promise.resolve(),
    // Read when the next batch starts.
    setPiiRules(next) {
      piiStep = createPiiIngestStep(next)
    },
  }
}

/**
 * Opens what the config selects: PostgreSQL (store and `event_log` table) when
 * `storage.databaseUrl` is set; else the embedded SQLite file `<dataDir>/tessera.db` and the
 * segment log in `<dataDir>/log/`. The PostgreSQL adapter is loaded only when used.
 */
export async function openStores(options: {
  dataDir: string
  databaseUrl?: string | undefined
  databaseSchema?: string | undefined
}): Promise<OpenedStores> {
  if (options.databaseUrl !== undefined) {
    const { openPostgresStorage } = await import('../infra/postgres/open-postgres-storage.js')
    const storage = await openPostgresStorage({
      url: options.databaseUrl,
      ...(options.databaseSchema === undefined ? {} : { schema: options.databaseSchema }),
    })
    return {
      storage,
      log: storage.eventLog,
      startPipeline: (hooks, inputs) => startInProcess(storage, hooks, inputs),
      startFollowers: (settings, onError, yieldSignal) =>
        startFollowerConsumers(storage, settings, onError, yieldSignal),
      close: () => storage.close(),
    }
  }
  const dataDir = resolve(options.dataDir)
  const logDir = join(dataDir, 'log')
  const storage = openSqliteStorage({ dataDir })
  try {
    const log = await SegmentLog.open({
      dir: logDir,
      minHead: await storage.offsets.get(STORE_CONSUMER),
    })
    return {
      storage,
      log,
      startPipeline: async (hooks, { identityRules, activePlans, pii, yieldSignal }) =>
        startWorkerPipeline({
          dataDir,
          logDir,
          durableHead: await log.head(),
          batchSize: STORE_BATCH,
          identityBatchSize: IDENTITY_BATCH,
          identityConfig: identityRules.config(),
          identityManaged: identityRules.managed,
          activePlans,
          pii,
          yieldSignal,
          ...hooks,
        }),
      startFollowers: (settings, onError, yieldSignal) =>
        startFollowersWorker({ dataDir, settings, yieldSignal, onError }),
      close: async () => {
        await log.close()
        await storage.close()
      },
    }
  } catch (error) {
    await storage.close()
    throw error
  }
}
