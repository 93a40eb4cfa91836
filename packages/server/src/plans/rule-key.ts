import type { PlanRule, PlanRevision } from './model.js'

/** A rule's identity within a plan: `type:key:version` (`TRACK:Order Completed:2`, `IDENTIFY::1`). */
export function ruleKey(rule: Pick<PlanRule, 'type' | 'key' | 'version'>): string {
  return `${rule.type}:${rule.key ?? ''}:${rule.version ?? 1}`
}

/** Compares two rule lists by {@link ruleKey}; `changed` holds rules whose content differs. */
export function diffRules(
  before: readonly PlanRule[],
  after: readonly PlanRule[],
): PlanRevision['diff'] {
  const old = new Map(before.map((r) => [ruleKey(r), canonical(r)]))
  const next = new Map(after.map((r) => [ruleKey(r), canonical(r)]))
  const added: string[] = []
  const changed: string[] = []
  for (const [key, text] of next) {
    const previous = old.get(key)
    if (previous === undefined) added.push(key)
    else if (previous !== text) changed.push(key)
  }
  const removed = [...old.keys()].filter((key) => !next.has(key))
  return { added, removed, changed }
}

/** JSON with object keys sorted, so key order never counts as a change. */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  )
}

/**
 * Applies an upsert: rules with a key already present replace it in place, new ones are
 * appended in the order given.
 */
export function upsertRules(
  current: readonly PlanRule[],
  incoming: readonly PlanRule[],
): PlanRule[] {
  const out = [...current]
  const index = new Map(out.map((r, i) => [ruleKey(r), i]))
  for (const rule of incoming) {
    const at = index.get(ruleKey(rule))
    if (at === undefined) {
      index.set(ruleKey(rule), out.length)
      out.push(rule)
    } else {
      out[at] = rule
    }
  }
  return out
}

/** Removes the rules with the given identities; returns the rest in order. */
export function removeRules(
  current: readonly PlanRule[],
  which: ReadonlyArray<Pick<PlanRule, 'type' | 'key' | 'version'>>,
): PlanRule[] {
  const gone = new Set(which.map(ruleKey))
  return current.filter((r) => !gone.has(ruleKey(r)))
}
