/**
 * Plan validation: the checks every plan passes before it is stored or served, whether it
 * comes from the API, the config file or `tessera plan validate`. Pure; never throws.
 */
import { createRuleCompiler } from './ajv.js'
import { planInputSchema, planRuleSchema, trackingPlanConfigSchema } from './config.js'
import type { PlanRule } from './model.js'
import { ruleKey } from './rule-key.js'

/** Segment's limit of rules in one plan. */
export const MAX_RULES_PER_PLAN = 2000
/** Segment's limit of rules in one API update (upsert, delete, replace). */
export const MAX_RULES_PER_UPDATE = 200

/** One problem, with a dotted path from the plan's root (`rules.3.jsonSchema.properties`). */
export interface PlanIssue {
  path: string
  message: string
}

/** The outcome: the plan parsed with defaults applied, or every problem found. */
export type PlanValidation<T> =
  { ok: true; value: T; issues: [] } | { ok: false; issues: PlanIssue[] }

type ParsedPlan = ReturnType<typeof planInputSchema.parse>
type ParsedFilePlan = ReturnType<typeof trackingPlanConfigSchema.parse>

/**
 * Checks one plan (API or file shape, `id` optional): the structure (zod), then for every
 * rule: TRACK has a key, COMMON/IDENTIFY/GROUP have none, `(type, key, version)` is unique,
 * `jsonSchema` compiles with Ajv in its dialect; and at most {@link MAX_RULES_PER_PLAN} rules.
 * Reports every problem at once.
 */
export function validatePlan(input: unknown): PlanValidation<ParsedPlan> {
  return validateWith(planInputSchema, input)
}

/** {@link validatePlan} for a plan of the config file (`id` required, `sources` allowed). */
export function validateFilePlan(input: unknown): PlanValidation<ParsedFilePlan> {
  return validateWith(trackingPlanConfigSchema, input)
}

function validateWith<S extends typeof planInputSchema | typeof trackingPlanConfigSchema>(
  schema: S,
  input: unknown,
): PlanValidation<ReturnType<S['parse']>> {
  const parsed = schema.safeParse(input)
  if (!parsed.success) {
    // Structural errors first, but still check the rules that parse, so one run shows all.
    const issues = parsed.error.issues.map((i) => ({
      path: i.path.map(String).join('.'),
      message: i.message,
    }))
    const rules = (input as { rules?: unknown } | null)?.rules
    if (Array.isArray(rules)) issues.push(...validateRules(parsableRules(rules)))
    return { ok: false, issues: dedupe(issues) }
  }
  const issues = validateRules(parsed.data.rules.map((rule, index) => ({ rule, index })))
  return issues.length === 0
    ? { ok: true, value: parsed.data as ReturnType<S['parse']>, issues: [] }
    : { ok: false, issues }
}

/**
 * Checks a list of rules alone (an upsert or a replacement body), with the per-update limit
 * {@link MAX_RULES_PER_UPDATE}. Paths are `rules.<i>…`.
 */
export function validateRuleList(input: unknown): PlanValidation<PlanRule[]> {
  if (!Array.isArray(input)) {
    return { ok: false, issues: [{ path: 'rules', message: 'expected an array of rules' }] }
  }
  const issues: PlanIssue[] = []
  if (input.length > MAX_RULES_PER_UPDATE) {
    issues.push({
      path: 'rules',
      message: `at most ${MAX_RULES_PER_UPDATE} rules per update (got ${input.length})`,
    })
  }
  const rules: Array<{ rule: PlanRule; index: number }> = []
  input.forEach((raw, index) => {
    const parsed = planRuleSchema.safeParse(raw)
    if (parsed.success) rules.push({ rule: parsed.data, index })
    else {
      for (const i of parsed.error.issues) {
        issues.push({ path: ['rules', index, ...i.path].map(String).join('.'), message: i.message })
      }
    }
  })
  issues.push(...validateRules(rules))
  return issues.length === 0
    ? { ok: true, value: rules.map((r) => r.rule), issues: [] }
    : { ok: false, issues }
}

function parsableRules(rules: unknown[]): Array<{ rule: PlanRule; index: number }> {
  const out: Array<{ rule: PlanRule; index: number }> = []
  rules.forEach((raw, index) => {
    const parsed = planRuleSchema.safeParse(raw)
    if (parsed.success) out.push({ rule: parsed.data, index })
  })
  return out
}

/** The semantic checks on rules that passed the structural schema. */
export function validateRules(
  rules: ReadonlyArray<{ rule: PlanRule; index: number }>,
): PlanIssue[] {
  const issues: PlanIssue[] = []
  if (rules.length > MAX_RULES_PER_PLAN) {
    issues.push({
      path: 'rules',
      message: `a plan holds at most ${MAX_RULES_PER_PLAN} rules (got ${rules.length})`,
    })
  }
  const seen = new Map<string, number>()
  const compile = createRuleCompiler()
  for (const { rule, index } of rules) {
    const at = `rules.${index}`
    if (rule.type === 'TRACK' && rule.key === undefined) {
      issues.push({ path: `${at}.key`, message: 'a TRACK rule needs a key (the event name)' })
    }
    if (['COMMON', 'IDENTIFY', 'GROUP'].includes(rule.type) && rule.key !== undefined) {
      issues.push({ path: `${at}.key`, message: `a ${rule.type} rule has no key` })
    }
    const key = ruleKey(rule)
    const first = seen.get(key)
    if (first !== undefined) {
      issues.push({ path: at, message: `duplicate rule ${key} (same as rules.${first})` })
    } else seen.set(key, index)
    const compiled = compile(rule)
    if (!compiled.ok) {
      const where =
        compiled.schemaPath === '' ? `${at}.jsonSchema` : `${at}.jsonSchema.${compiled.schemaPath}`
      issues.push({ path: where, message: compiled.message })
    }
  }
  return issues
}

function dedupe(issues: PlanIssue[]): PlanIssue[] {
  const seen = new Set<string>()
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
