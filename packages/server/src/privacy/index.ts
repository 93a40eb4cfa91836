/**
 * Privacy: PII classification of event fields, the rules applied per class (block, hash, mask,
 * allow) globally (the store step's `pii` gate step) or per destination (delivery), and the
 * field inventory with the observed schema.
 * See README.md. The only import surface of this folder for other folders.
 */
export {
  createClassifier,
  type FieldPath,
  type MatcherDescription,
  type PiiClassifier,
} from './pii/classifier.js'
export type { CustomMatcherConfig } from './pii/custom-matchers.js'
export {
  DEFAULT_CLASS_OF,
  PII_CLASSES,
  type PiiClass,
  type PiiDetection,
  type PiiKind,
} from './pii/model.js'
export {
  createPiiTransform,
  SCANNED_SECTIONS,
  type PiiFieldAction,
  type PiiTransform,
  type PiiTransformOptions,
  type PiiTransformResult,
} from './rules/transform.js'
export {
  actionsForScope,
  PII_ACTIONS,
  type PiiAction,
  type PiiRule,
  type PiiScope,
} from './rules/rules.js'
export { createPiiDeliveryScope, type PiiDeliveryScope } from './rules/delivery-scope.js'
export {
  createPiiGateStep,
  createPiiIngestStep,
  PII_STEP,
  piiIngestRules,
  type PiiIngestRules,
  type PiiIngestTransform,
} from './rules/ingest-step.js'
export { maskValue } from './rules/mask.js'
export { hashValue } from './rules/hash.js'
export {
  customMatcherSchema,
  MAX_CUSTOM_MATCHERS,
  piiConfigSchema,
  piiRuleSchema,
  type PiiConfig,
} from './config.js'
export { createPiiRuntime, type PiiRuntime } from './pii-runtime.js'
export type { FieldInventoryStore } from './fields/field-inventory-store.js'
export type {
  EventDelta,
  EventKey,
  EventRow,
  FieldDelta,
  FieldFilter,
  FieldRow,
  InventoryBatch,
  InventoryInput,
  TypeCounts,
} from './fields/model.js'
export { JSON_TYPES, jsonTypeOf, walkFields, type JsonType } from './fields/walk.js'
export { FieldAggregator } from './fields/aggregate.js'
export {
  MAX_EVENTS_PER_SOURCE,
  startFieldsConsumer,
  type FieldsConsumer,
  type FieldsConsumerOptions,
} from './fields/fields-consumer.js'
export { PrivacyErrors } from './errors.js'
export { draftPlan, REQUIRED_SHARE, type DraftPlan } from './fields/draft-plan.js'
export {
  MAX_PROPERTIES_SHOWN,
  observedSchema,
  type ObservedEvent,
  type ObservedProperty,
} from './fields/observed-schema.js'
