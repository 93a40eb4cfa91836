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
export { camel, generateTrackingModule, type TypegenClient } from './typegen/generate-module.js'
