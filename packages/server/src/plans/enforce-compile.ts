import type { ValidateFunction } from 'ajv'
import type { RuleType, TrackingPlan } from './model.js'
import { createEnforcementCompiler, type EnforcementCompiler } from './compile-rule.js'

/** One rule, compiled: its version, its validator and the keys it plans. */
export interface CompiledPlanRule {
  version: number
  validate: ValidateFunction
  /**
   * Top-level keys the rule declares under `properties.properties` (TRACK, PAGE, SCREEN) or
   * `properties.traits` (IDENTIFY, GROUP); empty when it declares none (every key unplanned).
   */
  planned: ReadonlySet<string>
}

/** A plan compiled once per revision, ready for {@link enforce}. */
export interface CompiledPlan {
  planId: string
  planName: string
  revision: number
  /** Rules by `type` + `key` (see {@link ruleKey}), each list sorted by ascending version. */
  rules: ReadonlyMap<string, readonly CompiledPlanRule[]>
  /** Rules whose schema did not compile, skipped (`TYPE:key:version: message`). */
  problems: readonly string[]
}

/** The lookup key of a rule: its type, and its event or page name for TRACK/PAGE/SCREEN. */
export function ruleKey(type: RuleType, key: string | undefined): string {
  return type === 'TRACK' || type === 'PAGE' || type === 'SCREEN'
    ? `${type}\u0000${key ?? ''}`
    : type
}

function objectAt(schema: unknown, ...path: string[]): Record<string, unknown> | undefined {
  let node = schema
  for (const step of path) {
    if (typeof node !== 'object' || node === null) return undefined
    node = (node as Record<string, unknown>)[step]
  }
  return typeof node === 'object' && node !== null && !Array.isArray(node)
    ? (node as Record<string, unknown>)
    : undefined
}

function plannedKeys(type: RuleType, schema: Record<string, unknown>): Set<string> {
  const holder = type === 'IDENTIFY' || type === 'GROUP' ? 'traits' : 'properties'
  return new Set(Object.keys(objectAt(schema, 'properties', holder, 'properties') ?? {}))
}

let sharedCompiler: EnforcementCompiler | undefined

/**
 * Compiles every rule of `plan` (call once per plan revision; the result is immutable and
 * can serve any number of events). A rule whose schema does not compile is skipped and named
 * in `problems` instead of failing the whole plan: the plan store validates schemas when they
 * are saved, so this only guards against a store written by another version.
 */
export function compilePlan(plan: TrackingPlan, compiler?: EnforcementCompiler): CompiledPlan {
  const use = compiler ?? (sharedCompiler ??= createEnforcementCompiler())
  const rules = new Map<string, CompiledPlanRule[]>()
  const problems: string[] = []
  for (const rule of plan.rules) {
    const version = rule.version ?? 1
    try {
      const compiled: CompiledPlanRule = {
        version,
        validate: use.compile(rule.jsonSchema),
        planned: plannedKeys(rule.type, rule.jsonSchema),
      }
      const key = ruleKey(rule.type, rule.key)
      const list = rules.get(key) ?? []
      list.push(compiled)
      rules.set(key, list)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      problems.push(`${rule.type}:${rule.key ?? ''}:${version}: ${message}`)
    }
  }
  for (const list of rules.values()) list.sort((a, b) => a.version - b.version)
  return { planId: plan.id, planName: plan.name, revision: plan.revision, rules, problems }
}

/**
 * The rule version an event is checked against: the one named by
 * `context.protocols.event_version` when it is an integer the rule has, else the oldest
 * (Segment: a missing or invalid version selects the oldest).
 */
export function selectVersion(
  versions: readonly CompiledPlanRule[],
  eventVersion: unknown,
): CompiledPlanRule | undefined {
  if (typeof eventVersion === 'number' && Number.isInteger(eventVersion)) {
    const match = versions.find((r) => r.version === eventVersion)
    if (match) return match
  }
  return versions[0]
}
