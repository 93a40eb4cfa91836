import { createOffsetWaiters, type YieldSignal } from '../pipeline/index.js'
import type { FollowerSettings, Followers } from './followers.js'
import { startSupervisedWorker } from './supervised-worker.js'
import { present } from './thread-heap.js'

/**
 * Runs the store's followers in their own worker thread (embedded mode; see followers.ts).
 * Resolves once the worker loaded its positions. Pokes and settings are relayed in order; a
 * worker that dies is restarted with the last settings and poked with the last head, and
 * resumes from its committed positions. `counters.waitFor` resolves from the positions the
 * worker reports (every 20 ms while they move).
 */
export async function startFollowersWorker(options: {
  dataDir: string
  settings: FollowerSettings
  /** Shared with the worker: its consumers yield to the request path while it is raised. */
  yieldSignal: YieldSignal
  onError: (error: unknown) => void
}): Promise<Followers> {
  let settings = options.settings
  let head = 0
  let counters = -1
  let fields = -1
  const waiters = createOffsetWaiters()
  const worker = await startSupervisedWorker({
    file: 'followers-worker.js',
    name: 'followers',
    data: () => ({ dataDir: options.dataDir, settings, yieldBuffer: options.yieldSignal.buffer }),
    onMessage(m) {
      if (typeof m.fields === 'number') fields = m.fields
      if (typeof m.counters === 'number') {
        counters = m.counters
        waiters.settle(counters)
      }
      // A restarted worker learns how far the store is.
      if (m.type === 'ready' && head > 0) worker.post({ type: 'poke', head })
    },
    onError: options.onError,
  })
  return {
    poke(next) {
      if (next > head) head = next
      worker.post({ type: 'poke', head })
    },
    counters: {
      position: () => counters,
      waitFor: (seq, timeoutMs) => waiters.waitFor(counters, seq, timeoutMs),
    },
    fields: options.settings.pii.inventory.enabled ? { position: () => fields } : null,
    applySettings(next) {
      settings = next
      worker.post({ type: 'settings', settings: next })
    },
    stop: () => worker.stop(),
    threadHeaps: () => present(worker.heap()),
  }
}
