/**
 * Worker-thread entry of the store's followers in embedded mode (field inventory and
 * data-quality counters; see followers.ts): its own SQLite connections, at the pipeline's low
 * priority. Their writes lock only their own files (fields.db, quality.db), never the store's,
 * so a descheduled follower never holds up the store step. Messages in: `{type:'poke', head}`
 * (the store holds every event up to log offset `head`), `{type:'settings', settings}`,
 * `{type:'stop'}`. Messages out: `{type:'ready', counters, fields}`, `{type:'progress',
 * counters, fields}` (the consumers' positions, when one moved; `fields` is null when the
 * inventory is off), `{type:'error', message}`, `{type:'stopped'}`.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { openSqliteFollowerStores } from '../infra/sqlite/open-sqlite-followers.js'
import { yieldSignalOn } from '../pipeline/index.js'
import { startFollowerConsumers, type FollowerSettings } from './followers.js'
import { lowerThreadPriority, reportTo, runWorker, stopWhenAsked } from './worker-support.js'

interface FollowersWorkerInput {
  dataDir: string
  settings: FollowerSettings
  /** The main thread's yield signal (see pipeline/yield-signal.ts). */
  yieldBuffer: SharedArrayBuffer
}

/** How often the counters' position is reported when it moved. */
const REPORT_MS = 20

async function main(): Promise<void> {
  lowerThreadPriority()
  const port = parentPort
  if (!port) throw new Error('followers-worker must run in a worker thread')
  const input = workerData as FollowersWorkerInput
  // Only the two stores it writes: the main thread opened (and migrated) the storage.
  const storage = openSqliteFollowerStores(input.dataDir)
  const consumers = await startFollowerConsumers(
    storage,
    input.settings,
    reportTo(port),
    yieldSignalOn(input.yieldBuffer),
  )
  const positions = () => ({
    counters: consumers.counters.position(),
    fields: consumers.fields?.position() ?? null,
  })
  let reported = positions()
  const reporter = setInterval(() => {
    const now = positions()
    if (now.counters !== reported.counters || now.fields !== reported.fields) {
      reported = now
      port.postMessage({ type: 'progress', ...now })
    }
  }, REPORT_MS)
  port.postMessage({ type: 'ready', ...reported })
  port.on('message', (message: { type: string; head?: number; settings?: FollowerSettings }) => {
    if (message.type === 'poke' && typeof message.head === 'number') consumers.poke(message.head)
    if (message.type === 'settings' && message.settings) consumers.applySettings(message.settings)
    stopWhenAsked(port, message, async () => {
      clearInterval(reporter)
      await consumers.stop()
      await storage.close()
    })
  })
}

runWorker(main)
