/**
 * Worker-thread entry of the store's followers in embedded mode (field inventory and
 * data-quality counters; see followers.ts): its own SQLite connections, at the pipeline's low
 * priority. Messages in: `{type:'poke', head}` (the store holds every event up to log offset
 * `head`), `{type:'settings', settings}`, `{type:'stop'}`. Messages out: `{type:'ready',
 * counters}`, `{type:'progress', counters}` (the counters' position, when it moved),
 * `{type:'error', message}`, `{type:'stopped'}`.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { openSqliteStorage } from '../infra/sqlite/open-sqlite-storage.js'
import { startFollowerConsumers, type FollowerSettings } from './followers.js'
import { lowerThreadPriority, reportTo, runWorker, stopWhenAsked } from './worker-support.js'

interface FollowersWorkerInput {
  dataDir: string
  settings: FollowerSettings
}

/** How often the counters' position is reported when it moved. */
const REPORT_MS = 20

async function main(): Promise<void> {
  lowerThreadPriority()
  const port = parentPort
  if (!port) throw new Error('followers-worker must run in a worker thread')
  const input = workerData as FollowersWorkerInput
  const storage = openSqliteStorage({ dataDir: input.dataDir })
  const consumers = await startFollowerConsumers(storage, input.settings, reportTo(port))
  let reported = consumers.counters.position()
  const reporter = setInterval(() => {
    const position = consumers.counters.position()
    if (position !== reported) {
      reported = position
      port.postMessage({ type: 'progress', counters: position })
    }
  }, REPORT_MS)
  port.postMessage({ type: 'ready', counters: reported })
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
