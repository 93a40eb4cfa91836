/**
 * The privacy side of the platform: the PII runtime built from `privacy.pii` (classifier, the
 * global rules the store step applies, per-destination payload scope) and the admin routes'
 * dependencies. A reload replaces the runtime, and the app hands the new global rules to the
 * pipeline. The `fields` consumer that fills the inventory runs with the store's other
 * followers (followers.ts).
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
}): Privacy {
  const { config, storage } = options
  const salt = resolvePiiSalt(config.privacy.pii.salt, config.storage.dataDir)
  let runtime = createPiiRuntime(config.privacy.pii, salt)
  let rules = config.privacy.pii.rules
  return {
    runtime: () => runtime,
    routes: {
      inventory: storage.fieldInventory,
      classifier: () => runtime.classifier,
      rules: () => rules,
      sourceName: (id) => options.sources.get(id)?.name ?? null,
    },
    applyConfig(next) {
      runtime = createPiiRuntime(
        next.privacy.pii,
        resolvePiiSalt(next.privacy.pii.salt, next.storage.dataDir),
      )
      rules = next.privacy.pii.rules
    },
  }
}
