/**
 * Everything the platform needs from `privacy.pii`, built once from the config: the classifier
 * (defaults plus custom matchers), the global transform and the plain-data rules of the store
 * step's `pii` gate step (null when no global rule does anything), and the per-destination
 * payload scope of the delivery engine (undefined when no rule names a destination).
 */
import type { PiiConfig } from './config.js'
import { createClassifier, type PiiClassifier } from './pii/classifier.js'
import { createPiiDeliveryScope, type PiiDeliveryScope } from './rules/delivery-scope.js'
import { piiIngestRules, type PiiIngestRules } from './rules/ingest-step.js'
import { createPiiTransform, type PiiTransformResult } from './rules/transform.js'

export interface PiiRuntime {
  classifier: PiiClassifier
  /**
   * The global rules as a transform: the payload with restricted fields blocked, hashed or
   * masked as configured. Pure; never throws on a JSON object. Null: no global rule.
   */
  ingest: ((payload: Record<string, unknown>, sourceId: string) => PiiTransformResult) | null
  /**
   * The global rules as plain data for the store step (which may run in a worker thread and
   * builds its `pii` gate step from them with `createPiiIngestStep`). Null: no global rule.
   */
  ingestRules: PiiIngestRules | null
  delivery: PiiDeliveryScope | undefined
}

export function createPiiRuntime(
  config: Pick<PiiConfig, 'rules' | 'matchers'>,
  salt: string,
): PiiRuntime {
  const classifier = createClassifier(config.matchers)
  const ingestRules = piiIngestRules(config, salt)
  const transform = createPiiTransform(config.rules, classifier, { salt })
  const perDestination = config.rules.some((r) => r.destinations !== undefined)
  return {
    classifier,
    ingest: ingestRules === null ? null : (payload, sourceId) => transform(payload, { sourceId }),
    ingestRules,
    delivery: perDestination
      ? createPiiDeliveryScope(config.rules, classifier, { salt })
      : undefined,
  }
}
