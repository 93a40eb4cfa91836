/**
 * The audit log: who did what and when, append-only, hash-chained, queryable and exportable.
 * See README.md.
 */
export * from './model.js'
export type { AuditStore, ChainedAuditEntry } from './audit-store.js'
export { canonicalEntry, chainHash, GENESIS_HASH } from './chain.js'
export { verifyAuditChain } from './verify-chain.js'
export {
  createAuditRecorder,
  type AuditRecord,
  type AuditRecorder,
  type AuditRecorderObserver,
  type AuditRecorderOptions,
} from './audit-recorder.js'
export { DeniedThrottle, TokenUseTracker, type DeniedWindow } from './throttles.js'
export { changedKeys, outcomeOf, routeAction, type RouteAction } from './route-action.js'
export { AuditErrors } from './errors.js'
