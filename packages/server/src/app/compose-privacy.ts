/**
 * The privacy side of the platform: the PII runtime built from `privacy.pii` (classifier,
 * ingest transform, per-destination payload scope), the `fields` consumer (in process, on the
 * main thread, poked after every store batch) and the admin routes' dependencies.
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
  /** Told when the config has global PII rules, which the store step does not apply yet. */
  onUnappliedGlobalRules: () => void
}): Promise<Privacy> {
  const { config, storage } = options
  const salt = resolvePiiSalt(config.privacy.pii.salt, config.storage.dataDir)
  let runtime = createPiiRuntime(config.privacy.pii, salt)
  let rules = config.privacy.pii.rules
  if (runtime.ingest !== null) options.onUnappliedGlobalRules()
  const inventory = config.privacy.pii.inventory
  const consumer: FieldsConsumer | null = inventory.enabled
    ? await startFieldsConsumer({
        store: storage.fieldInventory,
        // The consumer keeps the classifier it started with; a reload applies at the next start.
        classifier: runtime.classifier,
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
      rules: () => rules,
      sourceName: (id) => options.sources.get(id)?.name ?? null,
    },
    poke: () => consumer?.poke(),
    applyConfig(next) {
      runtime = createPiiRuntime(
        next.privacy.pii,
        resolvePiiSalt(next.privacy.pii.salt, next.storage.dataDir),
      )
      rules = next.privacy.pii.rules
      if (runtime.ingest !== null) options.onUnappliedGlobalRules()
    },
    stop: async () => {
      await consumer?.stop()
    },
  }
}
