/**
 * Scores a resolution against the generated truth, per scenario kind and overall, and
 * renders the report the correctness test prints.
 */
import { scorePairs, type PairwiseScore } from './pairwise.js'
import type { Resolved } from './run-resolution.js'
import { SCENARIO_KINDS, type ScenarioEvent } from './story.js'

/** Scores of one group of events (a kind, or all). */
export interface GroupScores {
  events: number
  /** Users collection against the rules' truth (`expected`). */
  users: PairwiseScore
  /** Accounts collection against the group calls' accounts. */
  accounts: PairwiseScore
  /** Users collection against the real people (`person`): what the rules cannot know. */
  people: PairwiseScore
}

export interface CorrectnessReport {
  order: string
  rebuilds: number
  all: GroupScores
  byKind: Map<string, GroupScores>
  /** Every profile id events resolved to, sorted (deterministic ids: equal across orders). */
  profileIds: string[]
}

function scoreGroup(events: readonly ScenarioEvent[], resolved: Resolved): GroupScores {
  const users = events.map((e) => ({
    truth: e.expected,
    predicted: resolved.get(e.messageId)?.users ?? null,
  }))
  return {
    events: events.length,
    users: scorePairs(users),
    accounts: scorePairs(
      events.map((e) => ({
        truth: e.account,
        predicted: resolved.get(e.messageId)?.accounts ?? null,
      })),
    ),
    people: scorePairs(
      events.map((e, i) => ({ truth: e.person, predicted: users[i]?.predicted ?? null })),
    ),
  }
}

/** Scores the resolution of `events` in one arrival order. */
export function scoreResolution(
  order: string,
  events: readonly ScenarioEvent[],
  run: { resolved: Resolved; rebuilds: number },
): CorrectnessReport {
  const byKind = new Map<string, GroupScores>()
  for (const kind of SCENARIO_KINDS) {
    const ofKind = events.filter((e) => e.kind === kind)
    if (ofKind.length > 0) byKind.set(kind, scoreGroup(ofKind, run.resolved))
  }
  const ids = new Set<string>()
  for (const { users, accounts } of run.resolved.values()) {
    if (users !== null) ids.add(users)
    if (accounts !== null) ids.add(accounts)
  }
  return {
    order,
    rebuilds: run.rebuilds,
    all: scoreGroup(events, run.resolved),
    byKind,
    profileIds: [...ids].sort(),
  }
}

const pct = (x: number): string => x.toFixed(4).padStart(7)

function row(name: string, s: GroupScores): string {
  const cells = [
    name.padEnd(16),
    String(s.events).padStart(6),
    pct(s.users.precision),
    pct(s.users.recall),
    String(s.users.unresolved + s.users.unexpectedlyResolved).padStart(5),
    pct(s.accounts.precision),
    pct(s.accounts.recall),
    pct(s.people.precision),
    pct(s.people.recall),
  ]
  return cells.join('  ')
}

/** A fixed-width table: one row per kind and one for all, for one arrival order. */
export function renderReport(report: CorrectnessReport): string {
  const header = [
    'kind'.padEnd(16),
    'events',
    ' rule-P',
    ' rule-R',
    ' miss',
    ' acct-P',
    ' acct-R',
    'human-P',
    'human-R',
  ].join('  ')
  const lines = [`order: ${report.order} (rebuilds: ${report.rebuilds})`, header]
  for (const [kind, scores] of report.byKind) lines.push(row(kind, scores))
  lines.push(row('all', report.all))
  return lines.join('\n')
}
