import { describe, expect, it } from 'vitest'
import { compileIdentityRules, identityConfigSchema } from '../config.js'
import { extractIdentifiers } from '../extract-identifiers.js'
import { arrivalOrder, lateOrder, shuffledOrder } from './arrival-orders.js'
import { generateScenarios, SCENARIO_CONFIG } from './generate-scenarios.js'
import { createSeededRandom } from './seeded-random.js'
import { SCENARIO_KINDS } from './story.js'

const events = generateScenarios({ seed: 7, scenarios: 45 })
const rules = compileIdentityRules(identityConfigSchema.parse(SCENARIO_CONFIG))

describe('generateScenarios', () => {
  it('is deterministic for a seed and varies with it', () => {
    expect(generateScenarios({ seed: 7, scenarios: 45 })).toEqual(events)
    const other = generateScenarios({ seed: 8, scenarios: 45 })
    expect(other.map((e) => e.payload)).not.toEqual(events.map((e) => e.payload))
  })

  it('covers every kind, in turn', () => {
    const kinds = new Map<string, Set<string>>()
    for (const e of events) kinds.set(e.kind, (kinds.get(e.kind) ?? new Set()).add(e.scenario))
    for (const kind of SCENARIO_KINDS) expect(kinds.get(kind)?.size).toBe(5)
  })

  it('gives unique messageIds and strictly increasing timestamps within a scenario', () => {
    expect(new Set(events.map((e) => e.messageId)).size).toBe(events.length)
    const last = new Map<string, number>()
    for (const e of events) {
      expect(e.timestamp).toBeGreaterThan(last.get(e.scenario) ?? 0)
      last.set(e.scenario, e.timestamp)
      expect(e.receivedAt).toBeGreaterThan(e.timestamp)
      expect(e.payload.messageId).toBe(e.messageId)
    }
  })

  it('gives an event no expected profile exactly when it carries no usable identifier', () => {
    for (const e of events) {
      const { users } = extractIdentifiers(e.payload, rules)
      expect(users.length === 0, `${e.messageId} ${JSON.stringify(users)}`).toBe(
        e.expected === null,
      )
    }
  })

  it('gives an account exactly to group calls', () => {
    for (const e of events) expect(e.account !== null).toBe(e.payload.type === 'group')
  })

  it('keeps scenarios apart: no identifier is shared by two scenarios', () => {
    const owner = new Map<string, string>()
    for (const e of events) {
      for (const id of extractIdentifiers(e.payload, rules).users) {
        const key = `${id.type}:${id.value}`
        expect(owner.get(key) ?? e.scenario, key).toBe(e.scenario)
        owner.set(key, e.scenario)
      }
    }
  })
})

describe('arrival orders', () => {
  const ids = (list: readonly { messageId: string }[]): string[] =>
    list.map((e) => e.messageId).sort()

  it('orders arrival by receivedAt', () => {
    const order = arrivalOrder(events)
    for (let i = 1; i < order.length; i++) {
      expect(order[i]?.receivedAt).toBeGreaterThanOrEqual(order[i - 1]?.receivedAt ?? 0)
    }
    expect(order.map((e) => e.messageId)).not.toEqual(events.map((e) => e.messageId))
  })

  it('permutes the events without losing or repeating one', () => {
    const late = lateOrder(events, createSeededRandom(1), 0.2)
    const shuffled = shuffledOrder(events, createSeededRandom(1))
    expect(ids(late)).toEqual(ids(events))
    expect(ids(shuffled)).toEqual(ids(events))
    expect(late.map((e) => e.messageId)).not.toEqual(arrivalOrder(events).map((e) => e.messageId))
  })
})
