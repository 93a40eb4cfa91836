/**
 * Retention: policies per source and event type, and the scheduled job that deletes raw events
 * older than a policy allows (aggregates are kept). See README.md.
 */
export * from './config.js'
export {
  compileRetention,
  quarantinedCutoff,
  rejectedCutoff,
  selects,
  type EventSelector,
  type RetentionRule,
} from './policy.js'
export type { RetentionStore } from './retention-store.js'
export { runRetention, type RetentionRunReport } from './retention-job.js'
export {
  createRetentionService,
  type RetentionObserver,
  type RetentionService,
  type RetentionServiceDeps,
  type RetentionStatus,
} from './retention-service.js'
export { RetentionErrors } from './errors.js'
