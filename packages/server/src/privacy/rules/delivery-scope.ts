/**
 * The privacy rules of destinations as the delivery engine's payload scope
 * (`DeliveryEngineOptions.payloadScope`): only destinations named by a rule get a transform;
 * the rules without `destinations` are global and belong to the ingest gate, not here.
 */
import type { PiiClassifier } from '../pii/classifier.js'
import { ruleDestinations, type PiiRule } from './rules.js'
import { createPiiTransform, type PiiTransformOptions } from './transform.js'

export interface PiiDeliveryScope {
  appliesTo(destinationId: string): boolean
  apply(
    payload: Record<string, unknown>,
    scope: { sourceId: string; destinationId: string },
  ): { payload: Record<string, unknown>; changed: boolean }
}

export function createPiiDeliveryScope(
  rules: readonly PiiRule[],
  classifier: PiiClassifier,
  options: PiiTransformOptions,
): PiiDeliveryScope {
  const named = ruleDestinations(rules)
  const transform = createPiiTransform(rules, classifier, options)
  return {
    appliesTo: (destinationId) => named.has(destinationId),
    apply: (payload, scope) => transform(payload, scope),
  }
}
