/**
 * Tracking plans: the shared model, config and validation of plans, the Ajv setup the
 * enforcement step reuses, the plan store port, the plan service behind the API, and code
 * generation. See README.md.
 */
export * from './model.js'
export * from './errors.js'
export * from './config.js'
export * from './plan-store.js'
export { newPlanId } from './ids.js'
export {
  compileRule,
  createPlanAjv,
  createRuleCompiler,
  type RuleCompiler,
  schemaDialect,
  type CompiledRule,
  type SchemaDialect,
} from './ajv.js'
export {
  MAX_RULES_PER_PLAN,
  MAX_RULES_PER_UPDATE,
  validateFilePlan,
  validatePlan,
  validateRuleList,
  type PlanIssue,
  type PlanValidation,
} from './validate-plan.js'
export { canonical, diffRules, removeRules, ruleKey, upsertRules } from './rule-key.js'
export {
  CONFIG_AUTHOR,
  checkPlanLinks,
  checkTrackingPlans,
  fileConnections,
  toManagedPlan,
} from './file-plans.js'
export {
  createActivePlans,
  type ActivePlansOptions,
  type FileAwareActivePlans,
} from './active-plans.js'
export {
  createPlanService,
  type PlanService,
  type PlanServiceOptions,
  type RuleRef,
} from './plan-service.js'
export { createEnforcementCompiler, type EnforcementCompiler } from './compile-rule.js'
export { camel, generateTrackingModule, type TypegenClient } from './typegen/generate-module.js'
export {
  compilePlan,
  selectVersion,
  type CompiledPlan,
  type CompiledPlanRule,
} from './enforce-compile.js'
export { enforce, omitField, type EnforceResult, type SourceEnforcement } from './enforce.js'
export { VIOLATION_TYPES, type ViolationType } from './enforce-violations.js'
export {
  OPEN_GATE,
  runGate,
  type BlockReason,
  type Gate,
  type GateEvent,
  type GateInput,
  type GateOutcome,
  type GateSink,
  type GateStep,
  type GateVerdict,
  type OutboxInsert,
  type PlanStatsIncrement,
  type QuarantineInsert,
  type ViolationCount,
} from './gate.js'
export {
  appendGateStep,
  createPlanGateProvider,
  MemoryActivePlans,
  type GateProvider,
} from './plan-gate.js'
export {
  createPlanStep,
  violationEvent,
  violationMessageId,
  VIOLATION_EVENT,
  VIOLATION_USER_ID,
} from './plan-step.js'
export {
  QUARANTINE_STATUSES,
  type OutboxItem,
  type PlanStatsRow,
  type QuarantineFilter,
  type QuarantineStatus,
  type QuarantineStore,
  type QuarantinedEvent,
  type ViolationGroup,
  type ViolationOutbox,
} from './quarantine-store.js'
export { QuarantineErrors } from './enforcement-errors.js'
export { toLogRecord, type RequeueResult } from './requeue.js'
