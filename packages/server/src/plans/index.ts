/**
 * Tracking plans (Segment Protocols). See README.md. This surface holds the shared model and
 * enforcement: the gate the store step runs before events are stored, quarantine and
 * violations.
 */
export type {
  ActivePlan,
  ActivePlans,
  Enforcement,
  PlanRevision,
  PlanRule,
  RuleType,
  SourcePlan,
  TrackingPlan,
  Verdict,
  Violation,
} from './model.js'
export { createRuleCompiler, type RuleCompiler } from './compile-rule.js'
export {
  compilePlan,
  selectVersion,
  type CompiledPlan,
  type CompiledRule,
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
export { createPlanGateProvider, MemoryActivePlans, type GateProvider } from './plan-gate.js'
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
