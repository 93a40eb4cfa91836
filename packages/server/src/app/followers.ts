/**
 * Followers of the event store that are not on the delivery or identity path: the `fields`
 * consumer (field inventory, observed schema) and the data-quality counters. Both follow the
 * store by event seq, are poked after every store batch, and keep their own positions, so a
 * restart resumes where they stopped and counts nothing twice (see each consumer).
 *
 * Embedded, they run in one worker thread of their own (`followers-worker.ts`), at the
 * pipeline's low priority: under load they lag (`tessera_log_consumer_lag_events`) and catch
 * up when it eases. Their writes lock only fields.db and quality.db, never the store file, so
 * the store step never waits for them, and their classification never holds the request
 * path's thread. On PostgreSQL they run in process (no
 * file lock to wait on, and the database does the heavy part).
 */
import type { Storage } from '../infra/storage.js'
import type { YieldSignal } from '../pipeline/index.js'
import {
  createClassifier,
  startFieldsConsumer,
  type FieldsConsumer,
  type PiiConfig,
} from '../privacy/index.js'
import {
  startCountersConsumer,
  type CountersConsumer,
  type DataQualityConfig,
} from '../quality/index.js'
import type { ThreadHeap } from './thread-heap.js'

/** What the followers read from the config (plain data: it crosses to the worker thread). */
export interface FollowerSettings {
  pii: Pick<PiiConfig, 'matchers' | 'inventory'>
  quality: Pick<DataQualityConfig, 'requiredProperties' | 'maxEventNames'>
}

/** The running followers, wherever they run. */
export interface Followers {
  /** The store holds every event up to log offset `head`: read on. */
  poke(head: number): void
  /** The data-quality counters' progress (`waitFor` bounds API reads). */
  counters: Pick<CountersConsumer, 'position' | 'waitFor'>
  /** The field inventory's progress (seq), or null when the inventory is off. */
  fields: { position(): number } | null
  /**
   * New settings: required properties apply from the next counters batch, custom matchers
   * from the next inventory batch. The inventory's on/off and limits apply at the next start.
   */
  applySettings(settings: FollowerSettings): void
  /** Stops both consumers after their batch in progress; what they did not read waits. */
  stop(): Promise<void>
  /** The V8 heaps of the worker threads it runs, as they last reported them (none in process). */
  threadHeaps?(): ThreadHeap[]
}

export function followerSettings(config: {
  privacy: { pii: PiiConfig }
  dataQuality: DataQualityConfig
}): FollowerSettings {
  const { pii } = config.privacy
  const quality = config.dataQuality
  return {
    pii: { matchers: pii.matchers, inventory: pii.inventory },
    quality: {
      requiredProperties: quality.requiredProperties,
      maxEventNames: quality.maxEventNames,
    },
  }
}

/**
 * Both consumers on `storage`, in the calling thread: the followers worker runs them, and on
 * PostgreSQL they are the platform's followers as they are.
 */
export interface FollowerConsumers extends Followers {
  fields: FieldsConsumer | null
  counters: CountersConsumer
}

export async function startFollowerConsumers(
  storage: Pick<Storage, 'fieldInventory' | 'qualityCounters'>,
  initial: FollowerSettings,
  onError: (error: unknown) => void,
  /** Both consumers yield to the request path while it is raised (see `FollowLoopOptions.yieldTo`). */
  yieldTo?: YieldSignal,
): Promise<FollowerConsumers> {
  let settings = initial
  let classifier = createClassifier(settings.pii.matchers)
  let storeHead = 0
  const { inventory } = settings.pii
  const fields = inventory.enabled
    ? await startFieldsConsumer({
        store: storage.fieldInventory,
        // Read at every batch, so a reload's matchers reach the next batch.
        classifier: () => classifier,
        batchSize: inventory.batchSize,
        valueSamplesPerHour: inventory.valueSamplesPerHour,
        maxFieldsPerEvent: inventory.maxFieldsPerEvent,
        storeHead: () => storeHead,
        yieldTo,
        onError,
      })
    : null
  const counters = await startCountersConsumer({
    counters: storage.qualityCounters,
    required: () => settings.quality.requiredProperties,
    maxEventNames: settings.quality.maxEventNames,
    storeHead: () => storeHead,
    yieldTo,
    onError,
  }).catch(async (error: unknown) => {
    await fields?.stop()
    throw error
  })
  return {
    fields,
    counters,
    poke(head) {
      if (head > storeHead) storeHead = head
      fields?.poke()
      counters.poke()
    },
    applySettings(next) {
      classifier = createClassifier(next.pii.matchers)
      settings = next
    },
    async stop() {
      await Promise.all([fields?.stop(), counters.stop()])
    },
  }
}
