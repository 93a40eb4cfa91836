/**
 * The rule checks of one resolution attempt (README.md, "The resolution of one event", step 3).
 * Pure: reads the attempt and the rules, changes nothing.
 */
import type { CollectionGraph, IdentifierNode, OverrideIndex, ProfileNode } from './engine-state.js'
import type { Identifier } from './model.js'
import type { IdentityRules } from './rules.js'

/**
 * One try at resolving an event's identifiers: the first `count` of `ids` (highest priority
 * first; those past `count` were dropped).
 */
export interface Attempt {
  ids: readonly Identifier[]
  /** Keys of `ids`, parallel. */
  keys: readonly string[]
  count: number
  /** The node of each of the first `count` ids, when it exists. */
  nodes: Array<IdentifierNode | undefined>
  /** Distinct profiles holding any of the ids tried, in the order first met. */
  matched: ProfileNode[]
  /** Indexes into `ids` of those tried on no profile (new, or known without a profile). */
  fresh: number[]
}

/**
 * The rule the attempt breaks, or null:
 * - `limit:<type>`: the type's identifiers within its window on the merged profile, plus the
 *   fresh ones, exceed its limit and exceed what one matched profile already holds (a rule
 *   tightened later never blocks an event that adds nothing);
 * - `separated`: both ends of a `separate` override would share the profile (and do not yet);
 * - `merge-cap`: a merge would take the profile past `mergeCap` merges;
 * - `identifier-cap`: a merge would take the profile past `identifierCap` identifiers.
 * Checked in that order; among limits, the type of the highest priority first.
 */
export function brokenRule(
  attempt: Attempt,
  rules: IdentityRules,
  overrides: OverrideIndex,
  timestamp: number,
): string | null {
  const { matched } = attempt
  if (matched.length <= 1 && attempt.fresh.length === 0) return null
  const limit = brokenLimit(attempt, rules, timestamp)
  if (limit !== null) return limit
  if (overrides.separated.size > 0 && isSeparationBroken(attempt, overrides)) return 'separated'
  if (matched.length > 1) {
    let merges = matched.length - 1
    let identifiers = 0
    for (const p of matched) {
      merges += p.record.merges
      identifiers += p.identifiers.length
    }
    if (merges > rules.mergeCap) return 'merge-cap'
    if (identifiers > rules.identifierCap) return 'identifier-cap'
  }
  return null
}

function brokenLimit(attempt: Attempt, rules: IdentityRules, timestamp: number): string | null {
  const counts = new Map<string, { total: number; most: number }>()
  for (const i of attempt.fresh) {
    const type = (attempt.ids[i] as Identifier).type
    const count = counts.get(type)
    if (count === undefined) counts.set(type, { total: 1, most: 0 })
    else count.total++
  }
  const merging = attempt.matched.length > 1
  for (const profile of attempt.matched) {
    const own = windowedCounts(profile, counts, merging, { rules, timestamp })
    for (const [type, n] of own) {
      const count = counts.get(type)
      if (count === undefined) counts.set(type, { total: n, most: n })
      else {
        count.total += n
        if (n > count.most) count.most = n
      }
    }
  }
  return firstBroken(counts, rules)
}

/** The highest-priority type whose count exceeds its limit and what one profile holds. */
function firstBroken(
  counts: ReadonlyMap<string, { total: number; most: number }>,
  rules: IdentityRules,
): string | null {
  let broken: string | null = null
  let brokenPriority = Infinity
  for (const [type, { total, most }] of counts) {
    const rule = rules.ruleFor(type)
    if (total <= rule.limit || total <= most) continue
    const ranksFirst =
      rule.priority < brokenPriority || (rule.priority === brokenPriority && type < (broken ?? ''))
    if (ranksFirst) {
      broken = type
      brokenPriority = rule.priority
    }
  }
  return broken === null ? null : `limit:${broken}`
}

/**
 * Identifiers of `profile` per type, counting those attached within the type's window before
 * `timestamp`; only the types in `wanted` unless `all` (a merge brings every type along).
 */
function windowedCounts(
  profile: ProfileNode,
  wanted: ReadonlyMap<string, unknown>,
  all: boolean,
  at: { rules: IdentityRules; timestamp: number },
): Map<string, number> {
  const counts = new Map<string, number>()
  for (const node of profile.identifiers) {
    if (!all && !wanted.has(node.type)) continue
    const windowMs = at.rules.ruleFor(node.type).windowMs
    if (windowMs !== null && (node.addedAt === null || node.addedAt <= at.timestamp - windowMs)) {
      continue
    }
    counts.set(node.type, (counts.get(node.type) ?? 0) + 1)
  }
  return counts
}

/** True when a `separate` pair would end up on one profile without being on one already. */
function isSeparationBroken(attempt: Attempt, overrides: OverrideIndex): boolean {
  const owner = new Map<string, ProfileNode | null>()
  for (const i of attempt.fresh) owner.set(attempt.keys[i] as string, null)
  for (const profile of attempt.matched) {
    for (const node of profile.identifiers) owner.set(node.key, profile)
  }
  for (const [key, profile] of owner) {
    const partners = overrides.separated.get(key)
    if (partners === undefined) continue
    for (const partner of partners) {
      const other = owner.get(partner)
      if (other === undefined) continue
      if (profile === null || other === null || profile !== other) return true
    }
  }
  return false
}

/**
 * The first `count` of `ids` (keys parallel) matched against the graph: their nodes, the
 * distinct profiles, the fresh ones.
 */
export function match(
  graph: CollectionGraph,
  ids: readonly Identifier[],
  keys: readonly string[],
  count: number,
): Attempt {
  const nodes: Array<IdentifierNode | undefined> = []
  const matched: ProfileNode[] = []
  const fresh: number[] = []
  for (let i = 0; i < count; i++) {
    const node = graph.identifiers.get(keys[i] as string)
    nodes.push(node)
    const profile = node === undefined ? null : node.profile
    if (profile === null) fresh.push(i)
    else if (!matched.includes(profile)) matched.push(profile)
  }
  return { ids, keys, count, nodes, matched, fresh }
}

/** The survivor of a merge sorts first: lowest first order key, then lowest id. */
export function bySurvival(a: ProfileNode, b: ProfileNode): number {
  if (a.firstKey !== b.firstKey) return a.firstKey < b.firstKey ? -1 : 1
  return a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0
}
