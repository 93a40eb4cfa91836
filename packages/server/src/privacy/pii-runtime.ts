/**
 * Everything the platform needs from `privacy.pii`, built once from the config: the classifier
 * (defaults plus custom matchers), the global transform for the ingest gate (null when no
 * global rule does anything), and the per-destination payload scope of the delivery engine
 * (undefined when no rule names a destination).
 */
import type { PiiConfig } from './config.js'
import { createClassifier, type PiiClassifier } from './pii/classifier.js'
import { createPiiDeliveryScope, type PiiDeliveryScope } from './rules/delivery-scope.js'
import { actionsForScope } from './rules/rules.js'
import { createPiiTransform, type PiiTransformResult } from './rules/transform.js'

export interface PiiRuntime {
  classifier: PiiClassifier
  /**
   * The global rules as an ingest gate step: the payload with restricted fields blocked,
   * hashed or masked as configured, before it is stored. Pure; never throws on a JSON object.
   */
  ingest: ((payload: Record<string, unknown>, sourceId: string) => PiiTransformResult) | null
  delivery: PiiDeliveryScope | undefined
}

export function createPiiRuntime(config: PiiConfig, salt: string): PiiRuntime {
  const classifier = createClassifier(config.matchers)
  const global = actionsForScope(config.rules, undefined)
  const transform = createPiiTransform(config.rules, classifier, { salt })
  const perDestination = config.rules.some((r) => r.destinations !== undefined)
  return {
    classifier,
    ingest: global === null ? null : (payload, sourceId) => transform(payload, { sourceId }),
    delivery: perDestination
      ? createPiiDeliveryScope(config.rules, classifier, { salt })
      : undefined,
  }
}
