/**
 * Rules per PII class: what happens to a field of a class, globally (in the store step's gate,
 * before storing) or for chosen destinations (in their delivery lane). When several rules of one scope name the same class,
 * the strictest wins: block, then hash, then mask, then allow. A class without a rule is allowed.
 */
import { PII_CLASSES, type PiiClass } from '../pii/model.js'

export const PII_ACTIONS = ['block', 'hash', 'mask', 'allow'] as const
export type PiiAction = (typeof PII_ACTIONS)[number]

export interface PiiRule {
  class: PiiClass
  action: PiiAction
  /** Destinations the rule applies to; absent: the rule is global (applied before storing). */
  destinations?: readonly string[]
}

/** Where a transform runs: at ingest (no destination) or on the way to one destination. */
export interface PiiScope {
  sourceId: string
  destinationId?: string
}

/** The action per class for a scope; null when every class is allowed (nothing to do). */
export function actionsForScope(
  rules: readonly PiiRule[],
  destinationId: string | undefined,
): Partial<Record<PiiClass, PiiAction>> | null {
  const out: Partial<Record<PiiClass, PiiAction>> = {}
  for (const rule of rules) {
    const applies =
      destinationId === undefined
        ? rule.destinations === undefined
        : (rule.destinations?.includes(destinationId) ?? false)
    if (!applies) continue
    const current = out[rule.class]
    if (current === undefined || PII_ACTIONS.indexOf(rule.action) < PII_ACTIONS.indexOf(current)) {
      out[rule.class] = rule.action
    }
  }
  return PII_CLASSES.some((c) => out[c] !== undefined && out[c] !== 'allow') ? out : null
}

/** Destinations named by at least one rule. */
export function ruleDestinations(rules: readonly PiiRule[]): Set<string> {
  return new Set(rules.flatMap((r) => r.destinations ?? []))
}
