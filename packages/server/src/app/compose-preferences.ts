/**
 * The preference centre's wiring: the service over the store and the profiles, and the
 * opt-out index handed to the delivery engine. The index is rebuilt after every change made
 * through the service (the API answers once the new index was handed to the engine, so an
 * event sent after the answer is routed with it) and every minute (so merges and splits of profiles, which change whose
 * identifiers an opt-out covers, reach routing within a minute). Rebuilds are serialized and
 * coalesced; a failed rebuild keeps the previous index and is reported to `onError`.
 */
import {
  createPreferenceService,
  type OptOutEntry,
  type PreferenceService,
} from '../consent/index.js'
import type { Storage } from '../infra/storage.js'
import type { Clock } from '../platform/clock.js'

const REFRESH_MS = 60_000

export interface PreferenceWiring {
  service: PreferenceService
  /** The opt-outs at start (hand them to the delivery engine before it routes). */
  initial: OptOutEntry[]
  /** Where rebuilt indexes go (the delivery side); set once it exists. */
  connect(sink: (entries: OptOutEntry[]) => Promise<void>): void
  stop(): Promise<void>
}

export async function composePreferences(options: {
  storage: Storage
  clock: Clock
  onError: (error: unknown) => void
}): Promise<PreferenceWiring> {
  let sink: ((entries: OptOutEntry[]) => Promise<void>) | null = null
  let running: Promise<void> | null = null
  let again = false
  /** Resolves when an index built after this call was handed over (or the build failed). */
  const refresh = (): Promise<void> => {
    if (running !== null) {
      again = true
      return running
    }
    running = (async () => {
      do {
        again = false
        const entries = await service.optOuts()
        await sink?.(entries)
      } while (again)
    })()
      .catch(options.onError)
      .finally(() => {
        running = null
      })
    return running
  }
  const service = createPreferenceService({
    store: options.storage.preferences,
    profiles: options.storage.profileQuery,
    events: options.storage.consentHistory,
    now: () => options.clock.now(),
    onChange: refresh,
  })
  const initial = await service.optOuts()
  const timer = setInterval(() => void refresh(), REFRESH_MS)
  timer.unref()
  return {
    service,
    initial,
    connect(next) {
      sink = next
    },
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
