/**
 * The privacy side of the platform: the PII runtime built from `privacy.pii` (classifier, the
 * global rules the store step applies, per-destination payload scope), the `fields` consumer
 * (in process, on the main thread, poked after every store batch) and the admin routes'
 * dependencies. A reload replaces the runtime; the `fields` consumer classifies with the new
 * classifier from its next batch on, and the app hands the new global rules to the pipeline.
 */
import type { PrivacyRouteDeps } from '../api/privacy-routes.js'
import type { Storage } from '../infra/storage.js'
import {
  createPiiRuntime,
  startFieldsConsumer,
  type FieldsConsumer,
  type PiiRuntime,
} from '../privacy/index.js'
import type { SourceService } from '../sources/index.js'
import type { TesseraConfig } from './config.js'
import { resolvePiiSalt } from './pii-salt.js'

export interface Privacy {
  /** The PII runtime of the current config (replaced on reload). */
  runtime(): PiiRuntime
  routes: PrivacyRouteDeps
  /** New events were stored. */
  poke(): void
  applyConfig(config: Readonly<TesseraConfig>): void
  stop(): Promise<void>
}

export async function composePrivacy(options: {
  config: Readonly<TesseraConfig>
  storage: Storage
  sources: SourceService
  onError: (error: unknown) => void
}): Promise<Privacy> {
  const { config, storage } = options
  const salt = resolvePiiSalt(config.privacy.pii.salt, config.storage.dataDir)
  let runtime = createPiiRuntime(config.privacy.pii, salt)
  const inventory = config.privacy.pii.inventory
  const consumer: FieldsConsumer | null = inventory.enabled
    ? await startFieldsConsumer({
        store: storage.fieldInventory,
        classifier: () => runtime.classifier,
        batchSize: inventory.batchSize,
        valueSamplesPerHour: inventory.valueSamplesPerHour,
        maxFieldsPerEvent: inventory.maxFieldsPerEvent,
        onError: options.onError,
      })
    : null
  return {
    runtime: () => runtime,
    routes: {
      inventory: storage.fieldInventory,
      classifier: () => runtime.classifier,
      sourceName: (id) => options.sources.get(id)?.name ?? null,
    },
    poke: () => consumer?.poke(),
    applyConfig(next) {
      runtime = createPiiRuntime(
        next.privacy.pii,
        resolvePiiSalt(next.privacy.pii.salt, next.storage.dataDir),
      )
    },
    stop: async () => {
      await consumer?.stop()
    },
  }
}
