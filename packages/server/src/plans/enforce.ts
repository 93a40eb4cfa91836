import type { JsonObject } from '../protocol/index.js'
import {
  ruleKey,
  selectVersion,
  type CompiledPlan,
  type CompiledPlanRule,
} from './enforce-compile.js'
import { violationsFromAjv, type ViolationType } from './enforce-violations.js'
import type { Enforcement, Verdict, Violation } from './model.js'

/** A source's compiled plan with its enforcement: what {@link enforce} checks against. */
export interface SourceEnforcement {
  sourceId: string
  compiled: CompiledPlan
  enforcement: Enforcement
}

/** What {@link enforce} decided for one event. */
export interface EnforceResult {
  /** True when the event must go to quarantine instead of the store. */
  blocked: boolean
  /**
   * The event to store: the input object, changed in place when fields were omitted or
   * `context.protocols` was written. Meaningless when `blocked` (quarantine keeps the event as
   * received).
   */
  payload: JsonObject
  /** True when `payload` differs from the input (it must be serialized again). */
  changed: boolean
  /** Every finding, in the order found: standard controls first, then the common schema. */
  violations: Violation[]
  /** Dotted paths removed as unplanned (`properties.x`, `traits.y`). */
  omitted: string[]
  /** Dotted paths removed because they violated a schema with `omit`. */
  omittedOnViolation: string[]
}

type Mutable = Record<string, unknown>

function isObject(value: unknown): value is Mutable {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Removes the field a violation names, or, when the path goes through an array, the array
 * holding it. Never removes a top-level field (`event`, `userId`, `properties` …) nor anything
 * under `context.protocols`; returns the removed path, or null when nothing was removed
 * (e.g. a missing required field).
 */
export function omitField(payload: Mutable, field: string): string | null {
  const parts = field.split('.')
  if (parts.length < 2 || (parts[0] === 'context' && parts[1] === 'protocols')) return null
  let node = payload
  let i = 0
  while (i < parts.length - 1) {
    const child = node[parts[i] as string]
    if (!isObject(child)) break
    node = child
    i += 1
  }
  const key = parts[i] as string
  if (i === 0 || !Object.prototype.hasOwnProperty.call(node, key)) return null
  delete node[key]
  return parts.slice(0, i + 1).join('.')
}

class Findings {
  readonly violations: Violation[] = []
  readonly omitted: string[] = []
  readonly omittedOnViolation: string[] = []
  blocked = false
  // Allocated on the first violation: most events have none.
  private seen: Set<string> | undefined

  add(v: Violation): void {
    const key = `${v.type}\u0000${v.field}`
    this.seen ??= new Set()
    if (this.seen.has(key)) return
    this.seen.add(key)
    this.violations.push(v)
  }

  /** Applies a verdict to schema violations found by one validation. */
  settle(payload: Mutable, found: readonly Violation[], verdict: Verdict): void {
    for (const v of found) this.add(v)
    if (found.length === 0 || verdict === 'allow') return
    if (verdict === 'block') {
      this.blocked = true
      return
    }
    for (const v of found) {
      const removed = omitField(payload, v.field)
      if (removed !== null && !this.omittedOnViolation.includes(removed)) {
        this.omittedOnViolation.push(removed)
      }
    }
  }
}

interface RuleControls {
  holder: 'properties' | 'traits'
  unplanned: 'allow' | 'omit'
  unplannedType: ViolationType
  violations: Verdict
}

function checkRule(
  payload: Mutable,
  rule: CompiledPlanRule,
  controls: RuleControls,
  f: Findings,
): void {
  const container = payload[controls.holder]
  if (isObject(container)) {
    const noun = controls.holder === 'traits' ? 'trait' : 'property'
    for (const key of Object.keys(container)) {
      if (rule.planned.has(key)) continue
      const field = `${controls.holder}.${key}`
      f.add({ type: controls.unplannedType, field, description: `Unplanned ${noun}: ${key}` })
      if (controls.unplanned === 'omit') {
        delete container[key]
        f.omitted.push(field)
      }
    }
  }
  const found = rule.validate(payload) ? [] : violationsFromAjv(rule.validate.errors, payload)
  f.settle(payload, found, controls.violations)
}

function eventVersionOf(payload: Mutable): unknown {
  const context = payload.context
  if (!isObject(context)) return undefined
  const protocols = context.protocols
  return isObject(protocols) ? protocols.event_version : undefined
}

type Pick = (key: string) => CompiledPlanRule | undefined

/** TRACK: unplanned events, then unplanned properties and the rule's schema. */
function trackControls(payload: Mutable, pick: Pick, e: Enforcement, f: Findings): void {
  const name = typeof payload.event === 'string' ? payload.event : ''
  const rule = pick(ruleKey('TRACK', name))
  if (!rule) {
    f.add({
      type: 'Unplanned Event',
      field: 'event',
      description: `Event ${JSON.stringify(name)} is not in the tracking plan`,
    })
    if (e.unplannedEvents === 'block') f.blocked = true
    return
  }
  const controls: RuleControls = {
    holder: 'properties',
    unplanned: e.unplannedProperties,
    unplannedType: 'Unplanned Property',
    violations: e.trackViolations,
  }
  checkRule(payload, rule, controls, f)
}

/** The standard controls (Segment's Schema Configuration) for the event's type. */
function standardControls(payload: Mutable, target: SourceEnforcement, f: Findings): void {
  const { compiled, enforcement: e } = target
  const version = eventVersionOf(payload)
  const pick: Pick = (key) => {
    const list = compiled.rules.get(key)
    return list ? selectVersion(list, version) : undefined
  }
  const type = payload.type
  if (type === 'track') {
    trackControls(payload, pick, e, f)
  } else if (type === 'identify' || type === 'group') {
    const identify = type === 'identify'
    const rule = pick(identify ? 'IDENTIFY' : 'GROUP')
    if (!rule) return
    const controls: RuleControls = {
      holder: 'traits',
      unplanned: identify ? e.unplannedIdentifyTraits : e.unplannedGroupTraits,
      unplannedType: 'Unplanned Trait',
      violations: identify ? e.identifyViolations : e.groupViolations,
    }
    checkRule(payload, rule, controls, f)
  } else if (type === 'page' || type === 'screen') {
    const name = typeof payload.name === 'string' ? payload.name : ''
    const rule = pick(ruleKey(type === 'page' ? 'PAGE' : 'SCREEN', name))
    // Segment offers no blocking controls for page and screen: their findings are flagged.
    const controls: RuleControls = {
      holder: 'properties',
      unplanned: 'allow',
      unplannedType: 'Unplanned Property',
      violations: 'allow',
    }
    if (rule) checkRule(payload, rule, controls, f)
  }
}

/**
 * Checks one event against its source's plan, in Segment's order:
 *
 * 1. Standard controls by type. TRACK: the rule is picked by event name (exact,
 *    case-sensitive); no rule → `Unplanned Event` (blocked when `unplannedEvents` is `block`,
 *    and then nothing else is checked). IDENTIFY/GROUP: the type's rule. PAGE/SCREEN: the rule
 *    of that name, findings only flagged. The version is `context.protocols.event_version`
 *    when the rule has it, else the oldest. Unplanned top-level properties (traits) are
 *    flagged and, with `omit`, removed (`omitted`); then the schema is validated on what is
 *    left and its violations block, omit the offending field (`omitted_on_violation`) or are
 *    only flagged.
 * 2. The COMMON rule, on the event as left by step 1, with `commonViolations`.
 *
 * When anything was found or removed and the event is not blocked, `context.protocols`
 * receives `{omitted, omitted_on_violation, violations, sourceId}` (all four, arrays possibly
 * empty; other keys there, such as `event_version`, are kept). A clean event is returned
 * untouched (`changed: false`), so the caller keeps its serialized form. Mutates `payload`.
 * Pure otherwise: no I/O, no clock.
 */
export function enforce(payload: JsonObject, target: SourceEnforcement): EnforceResult {
  const event = payload as Mutable
  const f = new Findings()
  standardControls(event, target, f)
  if (!f.blocked) {
    const common = target.compiled.rules.get('COMMON')
    const rule = common ? selectVersion(common, eventVersionOf(event)) : undefined
    if (rule && !rule.validate(event)) {
      f.settle(
        event,
        violationsFromAjv(rule.validate.errors, event),
        target.enforcement.commonViolations,
      )
    }
  }
  const happened =
    f.violations.length > 0 || f.omitted.length > 0 || f.omittedOnViolation.length > 0
  if (happened && !f.blocked) {
    const context = isObject(event.context) ? event.context : (event.context = {})
    const previous = isObject(context.protocols) ? context.protocols : {}
    context.protocols = {
      ...previous,
      omitted: f.omitted,
      omitted_on_violation: f.omittedOnViolation,
      violations: f.violations.map((v) => ({ ...v })),
      sourceId: target.sourceId,
    }
  }
  return {
    blocked: f.blocked,
    payload,
    changed: happened && !f.blocked,
    violations: f.violations,
    omitted: f.omitted,
    omittedOnViolation: f.omittedOnViolation,
  }
}
