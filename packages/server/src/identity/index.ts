/**
 * Identity resolution and unified profiles: the graph's model, its storage and query ports,
 * the rules, the resolution engine and the batch that runs it, and the identity service. See
 * README.md.
 */
export * from './model.js'
export type { ComponentLoad, GraphWrite, IdentityStore, IdentityTx } from './identity-store.js'
export type { ProfileQuery, ProfileTimelineEvent, StoredIdentityEdge } from './profile-query.js'
export type { CustomIdentifier, IdentifierRule, IdentityRules, LimitWindow } from './rules.js'
export type {
  ExplainResult,
  IdentityService,
  SplitRequest,
  SplitResult,
} from './identity-service.js'
export * from './config.js'
export {
  applyTraitCorrections,
  CORRECTION_SOURCE,
  type TraitCorrection,
} from './trait-corrections.js'
export { extractIdentifiers } from './extract-identifiers.js'
export { IdentityErrors } from './errors.js'
export {
  IdentityEngine,
  type EngineStats,
  type IdentityEngineOptions,
  type ResolvableEvent,
  type Resolution,
} from './engine.js'
export { toResolvable } from './engine-input.js'
export { rebuildComponents, type RebuildGroup, type RebuildOutcome } from './engine-rebuild.js'
export { resolveBatch, type ResolveBatchOptions, type ResolveBatchResult } from './resolve-batch.js'
export {
  startIdentityRunner,
  type IdentityRunner,
  type IdentityRunnerOptions,
} from './identity-runner.js'
export {
  buildProfileGraph,
  shortestPath,
  type EdgeEvent,
  type GraphLink,
  type GraphNode,
  type ProfileGraph,
} from './explain.js'
export {
  createIdentityRulesHolder,
  createIdentityService,
  IDENTITY_RULES_SETTING,
  loadIdentityRules,
  type IdentityRulesHolder,
  type IdentityServiceDeps,
} from './identity-service-impl.js'
