import { join, resolve } from 'node:path'
import type { EventLog } from '../events/index.js'
import { SegmentLog } from '../infra/embedded/segment-log.js'
import { openSqliteStorage } from '../infra/sqlite/open-sqlite-storage.js'
import type { Storage } from '../infra/storage.js'
import { startPipelineRunner, type PipelineRunner } from '../pipeline/index.js'
import { startWorkerPipeline, STORE_CONSUMER } from './pipeline-host.js'

/** Entries applied to the store per transaction. */
const PIPELINE_BATCH = 2000

export interface PipelineHooks {
  onError: (error: unknown) => void
  onApplied: (info: {
    offset: number
    stored: number
    duplicates: number
    rejected: number
  }) => void
}

/** The store, the log in front of it, and how to run the pipeline between them. */
export interface OpenedStores {
  storage: Storage
  log: EventLog
  /** Starts the `store` consumer: a worker thread (embedded) or in process (PostgreSQL). */
  startPipeline(hooks: PipelineHooks): Promise<PipelineRunner>
  /** Closes the log, then the store. Call after the pipeline stopped. */
  close(): Promise<void>
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
      startPipeline: (hooks) =>
        startPipelineRunner({
          log: storage.eventLog,
          store: storage.eventStore,
          offsets: storage.offsets,
          consumer: STORE_CONSUMER,
          batchSize: PIPELINE_BATCH,
          idleMs: 250,
          ...hooks,
        }),
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
      startPipeline: async (hooks) =>
        startWorkerPipeline({
          dataDir,
          logDir,
          durableHead: await log.head(),
          batchSize: PIPELINE_BATCH,
          ...hooks,
        }),
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
