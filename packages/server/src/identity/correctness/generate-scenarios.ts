/**
 * The seeded scenario generator: realistic Segment traffic with known truth. See README.md.
 */
import {
  accounts,
  blockedValues,
  limitViolation,
  PLACEHOLDER_EMAIL,
  sharedDevice,
} from './scenarios-conflicts.js'
import {
  aliasScenario,
  anonymousOnly,
  changedEmail,
  multiDevice,
  offlineMobile,
} from './scenarios-people.js'
import { createSeededRandom } from './seeded-random.js'
import { SCENARIO_KINDS, Story, type ScenarioEvent, type ScenarioKind } from './story.js'

export { PLACEHOLDER_EMAIL } from './scenarios-conflicts.js'

const WRITERS: Readonly<Record<ScenarioKind, (story: Story) => void>> = {
  'multi-device': multiDevice,
  'anonymous-only': anonymousOnly,
  'shared-device': sharedDevice,
  'changed-email': changedEmail,
  alias: aliasScenario,
  'blocked-values': blockedValues,
  'limit-violation': limitViolation,
  accounts,
  'offline-mobile': offlineMobile,
}

/**
 * The identity config the truth assumes: defaults, plus the placeholder email blocked and
 * `ga_client_id` limited to 2 per 30 days (Segment's advice for rotating ids).
 */
export const SCENARIO_CONFIG = {
  identifiers: { ga_client_id: { limit: 2, window: 'monthly' } },
  blockedValues: { exact: [PLACEHOLDER_EMAIL] },
} as const

export interface GenerateOptions {
  seed: number
  /** Number of scenarios; kinds take turns so each appears about equally often. */
  scenarios: number
  /** Time of the first event (ms). Default 2026-03-01T00:00:00Z. */
  start?: number
  /** Scenarios start within this many ms of `start` (overlapping in time). Default 7 days. */
  spreadMs?: number
}

/**
 * Generates `scenarios` scenarios from `seed`. Deterministic: the same options give the same
 * events, ids and truth. Events are returned in timestamp order (the canonical order) with
 * strictly increasing timestamps within a scenario; `receivedAt` gives the arrival order.
 */
export function generateScenarios(options: GenerateOptions): ScenarioEvent[] {
  const rng = createSeededRandom(options.seed)
  const start = options.start ?? Date.parse('2026-03-01T00:00:00.000Z')
  const spread = options.spreadMs ?? 7 * 86_400_000
  const events: ScenarioEvent[] = []
  for (let index = 0; index < options.scenarios; index++) {
    const kind = SCENARIO_KINDS[index % SCENARIO_KINDS.length] as ScenarioKind
    const story = new Story(rng, kind, index, start + rng.int(0, spread))
    WRITERS[kind](story)
    events.push(...story.events)
  }
  return events.sort(byTimestamp)
}

function byTimestamp(a: ScenarioEvent, b: ScenarioEvent): number {
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp
  return a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0
}
