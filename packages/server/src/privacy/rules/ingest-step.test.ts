import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  appendGateStep,
  OPEN_GATE,
  runGate,
  type Gate,
  type GateInput,
  type GateProvider,
  type GateStep,
} from '../../plans/index.js'
import type { JsonObject } from '../../protocol/index.js'
import { buildLogRecord } from '../../testing/builders.js'
import { piiConfigSchema } from '../config.js'
import { createPiiIngestStep, piiIngestRules, type PiiIngestRules } from './ingest-step.js'

const SALT = 'unit-pii-salt-0123456789'
type Json = Record<string, unknown>

/** Rules of a config: restricted blocked, personal hashed, `phone` keys sensitive and masked. */
function rules(overrides: Json = {}): PiiIngestRules | null {
  const config = piiConfigSchema.parse({
    matchers: [{ name: 'phone', on: 'key', pattern: 'phone', class: 'sensitive', kind: 'phone' }],
    rules: [
      { class: 'restricted', action: 'block' },
      { class: 'personal', action: 'hash' },
      { class: 'sensitive', action: 'mask' },
      { class: 'personal', action: 'allow', destinations: ['webhook'] },
    ],
    ...overrides,
  })
  return piiIngestRules(config, SALT)
}

function input(offset: number, payload: JsonObject): GateInput {
  const record = buildLogRecord({ sourceId: 'web', messageId: `m-${offset}` })
  return { offset, record: { ...record, payload: JSON.stringify(payload) } }
}

const identify = (): JsonObject => ({
  type: 'identify',
  userId: 'jane@example.com',
  anonymousId: 'anon-1',
  messageId: 'm-1',
  traits: { email: 'Jane@Example.com', phone: '+1 415 555 0100', plan: 'pro' },
  properties: { card: '4242 4242 4242 4242', sku: 'G-32' },
  context: { library: { name: 'analytics.js' }, privacy: { note: 'kept' } },
})

function stored(outcome: ReturnType<typeof runGate>, i = 0): Json {
  return JSON.parse(outcome.events[i]!.record.payload) as Json
}

function pii(): GateStep {
  const step = createPiiIngestStep(rules())
  if (step === null) throw new Error('expected a pii step')
  return step
}

describe('the pii gate step', () => {
  it('hashes, blocks and masks by class and leaves allowed fields and ids as sent', () => {
    const outcome = runGate({ steps: [pii()] }, [input(1, identify())])
    const event = stored(outcome)
    const traits = event.traits as Json
    expect(traits.email).toBe(createHmac('sha256', SALT).update('jane@example.com').digest('hex'))
    expect(traits.phone).toBe('+* *** *** 0100')
    expect(traits.plan).toBe('pro')
    expect(event.properties).toEqual({ sku: 'G-32' })
    expect(event.userId).toBe('jane@example.com')
    expect(event.anonymousId).toBe('anon-1')
    expect(event.messageId).toBe('m-1')
    expect(outcome.quarantined).toEqual([])
  })

  it('records what it did in context.privacy.pii, by generic path, never values', () => {
    const payload = identify()
    payload.properties = { products: [{ email: 'a@b.com' }, { email: 'c@d.com' }] }
    const event = stored(runGate({ steps: [pii()] }, [input(1, payload)]))
    const context = event.context as { privacy: Json; library: Json }
    expect(context.library).toEqual({ name: 'analytics.js' })
    expect(context.privacy.note).toBe('kept')
    expect(context.privacy.pii).toEqual(
      expect.arrayContaining([
        { field: 'traits.email', class: 'personal', action: 'hash' },
        { field: 'traits.phone', class: 'sensitive', action: 'mask' },
        { field: 'properties.products.$.email', class: 'personal', action: 'hash' },
      ]),
    )
    expect(context.privacy.pii).toHaveLength(3)
    expect(JSON.stringify(context.privacy.pii)).not.toContain('example.com')
  })

  it('adds a context to an event that had none when it changes it', () => {
    const event = stored(
      runGate({ steps: [pii()] }, [
        input(1, { type: 'track', properties: { ssn: '123-45-6789' } }),
      ]),
    )
    expect(event.properties).toEqual({})
    expect(event.context).toEqual({
      privacy: { pii: [{ field: 'properties.ssn', class: 'restricted', action: 'block' }] },
    })
  })

  it('passes an event without PII as it came (no new serialization)', () => {
    const batch = [input(1, { type: 'track', event: 'Viewed', properties: { sku: 'G-32' } })]
    const outcome = runGate({ steps: [pii()] }, batch)
    expect(outcome.events[0]).toBe(batch[0])
  })

  it('is deterministic: the same batch run twice stores the same payloads', () => {
    const batch = [input(1, identify()), input(2, identify())]
    const first = runGate({ steps: [pii()] }, batch)
    const second = runGate({ steps: [pii()] }, batch)
    expect(second.events.map((e) => e.record.payload)).toEqual(
      first.events.map((e) => e.record.payload),
    )
  })
})

describe('global rules and the gate', () => {
  it('builds no step without global rules that do something', () => {
    expect(rules({ rules: [] })).toBeNull()
    expect(
      rules({ rules: [{ class: 'personal', action: 'hash', destinations: ['d1'] }] }),
    ).toBeNull()
    expect(rules({ rules: [{ class: 'personal', action: 'allow' }] })).toBeNull()
    expect(createPiiIngestStep(null)).toBeNull()
  })

  it('keeps only the global rules for the store step', () => {
    expect(rules()?.rules).toEqual([
      { class: 'restricted', action: 'block' },
      { class: 'personal', action: 'hash' },
      { class: 'sensitive', action: 'mask' },
    ])
  })

  it('without a pii step the gate stays the base gate, so events are never parsed', async () => {
    const base: GateProvider = { current: () => Promise.resolve(OPEN_GATE) }
    const gate = await appendGateStep(base, () => null).current()
    expect(gate).toBe(OPEN_GATE)
    const batch = [{ offset: 1, record: { ...buildLogRecord(), payload: '{not json' } }]
    expect(runGate(gate, batch).events[0]).toBe(batch[0])
  })

  it('runs after the plan step: the plan sees what was sent, a blocked event is kept as sent', async () => {
    const seen: unknown[] = []
    const plan: GateStep = {
      name: 'plan',
      wants: () => true,
      check(event) {
        const payload = event.payload()
        seen.push((payload.traits as Json).email)
        if (payload.messageId === 'blocked') {
          return {
            kind: 'blocked',
            reason: { step: 'plan', violations: [], planId: 'tp', planRevision: 1 },
          }
        }
        return { kind: 'pass' }
      },
    }
    const base: GateProvider = { current: () => Promise.resolve({ steps: [plan] }) }
    const gate = await appendGateStep(base, pii).current()
    expect(gate.steps.map((s) => s.name)).toEqual(['plan', 'pii'])
    const blocked = { ...identify(), messageId: 'blocked' }
    const outcome = runGate(gate, [input(1, identify()), input(2, blocked)])
    expect(seen).toEqual(['Jane@Example.com', 'Jane@Example.com'])
    expect((stored(outcome).traits as Json).email).not.toBe('Jane@Example.com')
    expect(outcome.quarantined).toHaveLength(1)
    expect(JSON.parse(outcome.quarantined[0]!.payload)).toEqual(blocked)
  })

  it('rebuilds the combined gate only when the base gate or the step changes', async () => {
    let baseGate: Gate = OPEN_GATE
    let step: GateStep | null = pii()
    const provider = appendGateStep({ current: () => Promise.resolve(baseGate) }, () => step)
    const first = await provider.current()
    expect(await provider.current()).toBe(first)
    step = pii()
    const second = await provider.current()
    expect(second).not.toBe(first)
    expect(second.steps).toEqual([step])
    baseGate = { steps: [] }
    expect(await provider.current()).not.toBe(second)
    step = null
    expect(await provider.current()).toBe(baseGate)
  })
})
