/**
 * Data-subject requests: the regulations API's service (create, status, report), the durable
 * runner that erases a person from every store and forwards deletions to destinations, the
 * suppression list checked at ingest, and the ports adapters implement. See README.md.
 */
export * from './model.js'
export { RegulationErrors } from './errors.js'
export type {
  RegulationStore,
  RestrictedIdentifier,
  SuppressedCount,
  SuppressedIdentifier,
} from './regulation-store.js'
export {
  noAudit,
  noDestinations,
  type DestinationEraser,
  type ErasableDestination,
  type ErasureTarget,
  type RegulationAuditSink,
  type SubjectEventFinder,
  type SubjectEvents,
} from './erasure-target.js'
export type {
  SubjectDelivery,
  SubjectQuarantined,
  SubjectRecords,
  SubjectRejection,
} from './subject-records.js'
export type { NewTraitCorrection, TraitCorrectionStore } from './trait-correction-store.js'
export {
  createCorrectionService,
  type CorrectionResult,
  type CorrectionService,
} from './correction-service.js'
export {
  MAX_CORRECTED_TRAITS,
  MAX_REASON,
  MAX_TRAIT_NAME,
  MAX_TRAIT_VALUE_BYTES,
  parseCorrectTraits,
  type CorrectTraitsInput,
} from './correction-input.js'
export { aggregateStatus, isTaskDone } from './status.js'
export {
  expandSubject,
  identifierTypeOf,
  normalizeSubjectValue,
  valuesOfType,
  type SubjectLookup,
} from './expand-subject.js'
export { createRegulationSchema, parseCreateRegulation } from './create-input.js'
export { SuppressionList, INGEST_CHECKED_TYPES } from './suppression-list.js'
export { RestrictionList } from './restriction-list.js'
export {
  createRestrictionService,
  type RestrictionService,
  type RestrictionState,
} from './restriction-service.js'
export {
  createRegulationService,
  type RegulationService,
  type RegulationServiceDeps,
  type RegulationView,
} from './regulation-service.js'
export {
  MAX_TASK_ATTEMPTS,
  startRegulationRunner,
  type RegulationRunner,
  type RegulationRunnerDeps,
} from './regulation-runner.js'
export { buildReport, type RegulationReport } from './report.js'
