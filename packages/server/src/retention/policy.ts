import type { RetentionConfig } from './config.js'

/** Which events a policy covers; null means every value. */
export interface EventSelector {
  sources: readonly string[] | null
  types: readonly string[] | null
  events: readonly string[] | null
}

/**
 * One deletion to run: events matching `match` and none of `exclude` (the policies before it),
 * received before `before` (epoch ms).
 */
export interface RetentionRule {
  /** Policy label (metrics): its name, `policy_<n>` (1-based), or `default`. */
  label: string
  match: EventSelector
  exclude: EventSelector[]
  before: number
  days: number
}

const DAY_MS = 86_400_000

function selectorOf(policy: RetentionConfig['policies'][number]): EventSelector {
  return {
    sources: policy.sources.includes('*') ? null : policy.sources,
    types: policy.types.includes('*') ? null : policy.types,
    events: policy.events ?? null,
  }
}

const EVERYTHING: EventSelector = { sources: null, types: null, events: null }

/**
 * Turns the ordered policies into deletions at time `now`: the first policy matching an event
 * decides, so each rule excludes what earlier policies match; `defaultDays` covers events no
 * policy matches. Pure; the same config and time always give the same rules.
 */
export function compileRetention(config: RetentionConfig, now: number): RetentionRule[] {
  const rules: RetentionRule[] = []
  const earlier: EventSelector[] = []
  config.policies.forEach((policy, index) => {
    const match = selectorOf(policy)
    rules.push({
      label: policy.name ?? `policy_${index + 1}`,
      match,
      exclude: [...earlier],
      before: now - policy.days * DAY_MS,
      days: policy.days,
    })
    earlier.push(match)
  })
  if (config.defaultDays !== undefined) {
    rules.push({
      label: 'default',
      match: EVERYTHING,
      exclude: [...earlier],
      before: now - config.defaultDays * DAY_MS,
      days: config.defaultDays,
    })
  }
  return rules
}

/** The cutoff for rejected events at `now`, or null when they are kept. */
export function rejectedCutoff(config: RetentionConfig, now: number): number | null {
  const days = config.rejectedDays ?? config.defaultDays
  return days === undefined ? null : now - days * DAY_MS
}

/** The cutoff for quarantined events at `now`, or null when they are kept. */
export function quarantinedCutoff(config: RetentionConfig, now: number): number | null {
  const days = config.quarantinedDays ?? config.defaultDays
  return days === undefined ? null : now - days * DAY_MS
}

/** Whether an event falls under `selector` (the same test the stores run in SQL). */
export function selects(
  selector: EventSelector,
  event: { sourceId: string; type: string; name: string | null },
): boolean {
  return (
    (selector.sources === null || selector.sources.includes(event.sourceId)) &&
    (selector.types === null || selector.types.includes(event.type)) &&
    (selector.events === null || (event.name !== null && selector.events.includes(event.name)))
  )
}
