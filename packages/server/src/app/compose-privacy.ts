/**
 * The privacy side of the platform: the PII runtime built from `privacy.pii` (classifier,
 * ingest transform, per-destination payload scope) and the admin routes' dependencies. The
 * `fields` consumer that fills the inventory runs with the store's other followers
 * (followers.ts).
 */
import type { PrivacyRouteDeps } from '../api/privacy-routes.js'
import type { Storage } from '../infra/storage.js'
import { createPiiRuntime, type PiiRuntime } from '../privacy/index.js'
import type { SourceService } from '../sources/index.js'
import type { TesseraConfig } from './config.js'
import { resolvePiiSalt } from './pii-salt.js'

export interface Privacy {
  /** The PII runtime of the current config (replaced on reload). */
  runtime(): PiiRuntime
  routes: PrivacyRouteDeps
  applyConfig(config: Readonly<TesseraConfig>): void
}

export function composePrivacy(options: {
  config: Readonly<TesseraConfig>
  storage: Storage
  sources: SourceService
  /** Told when the config has global PII rules, which the store step does not apply yet. */
  onUnappliedGlobalRules: () => void
}): Privacy {
  const { config, storage } = options
  const salt = resolvePiiSalt(config.privacy.pii.salt, config.storage.dataDir)
  let runtime = createPiiRuntime(config.privacy.pii, salt)
  if (runtime.ingest !== null) options.onUnappliedGlobalRules()
  return {
    runtime: () => runtime,
    routes: {
      inventory: storage.fieldInventory,
      classifier: () => runtime.classifier,
      sourceName: (id) => options.sources.get(id)?.name ?? null,
    },
    applyConfig(next) {
      runtime = createPiiRuntime(
        next.privacy.pii,
        resolvePiiSalt(next.privacy.pii.salt, next.storage.dataDir),
      )
      if (runtime.ingest !== null) options.onUnappliedGlobalRules()
    },
  }
}
