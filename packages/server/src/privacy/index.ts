/**
 * Privacy: PII classification of event fields, the rules applied per class (block, hash, mask,
 * allow) at ingest or per destination, and the field inventory with the observed schema.
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
