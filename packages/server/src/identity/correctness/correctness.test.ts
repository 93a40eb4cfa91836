/**
 * The identity correctness suite: generated traffic with known truth, resolved by the real
 * batch resolution on the in-memory store in several arrival orders. Against the rules' truth
 * every order must score exactly 1.0 pairwise precision and recall; the report (printed)
 * also shows how far the rules are from the real people.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { MemoryIdentityStore } from '../../testing/memory-identity-store.js'
import { compileIdentityRules, identityConfigSchema } from '../config.js'
import { arrivalOrder, lateOrder, shuffledOrder } from './arrival-orders.js'
import { generateScenarios, SCENARIO_CONFIG } from './generate-scenarios.js'
import { renderReport, scoreResolution, type CorrectnessReport } from './report.js'
import { resolveInOrder } from './run-resolution.js'
import { createSeededRandom } from './seeded-random.js'
import { SCENARIO_KINDS, type ScenarioEvent } from './story.js'

const SEED = 20_260_301
const events = generateScenarios({ seed: SEED, scenarios: 135 })
const rules = compileIdentityRules(identityConfigSchema.parse(SCENARIO_CONFIG))

async function run(
  order: string,
  arrival: ScenarioEvent[],
  seed: number,
): Promise<CorrectnessReport> {
  const store = new MemoryIdentityStore()
  const rng = createSeededRandom(seed)
  const outcome = await resolveInOrder(arrival, {
    store,
    rules,
    batchSize: () => rng.int(1, 200),
    profileEvents: () => store.snapshot().profileEvents.values(),
  })
  return scoreResolution(order, events, outcome)
}

function expectExact(report: CorrectnessReport): void {
  const failures: string[] = []
  for (const [kind, s] of [...report.byKind, ['all', report.all] as const]) {
    for (const [name, score] of [
      ['users', s.users],
      ['accounts', s.accounts],
    ] as const) {
      if (score.precision !== 1 || score.recall !== 1) {
        failures.push(`${kind} ${name}: precision ${score.precision}, recall ${score.recall}`)
      }
      if (score.unresolved + score.unexpectedlyResolved > 0) {
        failures.push(
          `${kind} ${name}: ${score.unresolved} unresolved, ${score.unexpectedlyResolved} resolved without truth`,
        )
      }
    }
  }
  expect(failures, `${report.order}\n${renderReport(report)}`).toEqual([])
}

describe('identity correctness', () => {
  it('generates every scenario kind with truth for each event', () => {
    const kinds = new Set(events.map((e) => e.kind))
    expect([...kinds].sort()).toEqual([...SCENARIO_KINDS].sort())
    expect(events.filter((e) => e.expected === null).length).toBeGreaterThan(0)
    expect(events.filter((e) => e.account !== null).length).toBeGreaterThan(0)
    expect(events.some((e) => e.receivedAt - e.timestamp > 3_600_000)).toBe(true)
    const labels = new Set(events.map((e) => e.expected?.split(':')[1]))
    for (const variant of ['p-email5', 'p-browser6', 'p-ga3', 'p-legacy', 'p-unidentified']) {
      expect(labels.has(variant), variant).toBe(true)
    }
  })

  const orders: Array<[string, () => ScenarioEvent[]]> = [
    ['timestamp order', () => [...events]],
    ['arrival order', () => arrivalOrder(events)],
    ['arrival, 10% late', () => lateOrder(events, createSeededRandom(SEED + 1), 0.1)],
    ['shuffled', () => shuffledOrder(events, createSeededRandom(SEED + 2))],
  ]
  const reports = new Map<string, CorrectnessReport>()

  beforeAll(async () => {
    for (const [i, [order, arrange]] of orders.entries()) {
      const report = await run(order, arrange(), SEED + 10 + i)
      reports.set(order, report)
      console.log(renderReport(report))
    }
  }, 120_000)

  it.each(orders.map(([order]) => order))('resolves in %s exactly as the rules define', (order) => {
    expectExact(reports.get(order) as CorrectnessReport)
  })

  it('rebuilds when events arrive late', () => {
    expect(reports.get('timestamp order')?.rebuilds).toBe(0)
    expect(reports.get('shuffled')?.rebuilds).toBeGreaterThan(0)
  })

  it('makes the same profile ids whatever the order', () => {
    const [first, ...rest] = [...reports.values()].map((r) => r.profileIds)
    expect(first?.length).toBeGreaterThan(0)
    for (const ids of rest) expect(ids).toEqual(first)
  })
})
