/**
 * The central invariant (README.md, Invariants): the graph after a set of events is the same
 * whatever their arrival order and batch boundaries. A seeded generator makes a few hundred
 * events of people with several devices, shared devices, changing emails, traits (with `null`
 * and `""`) and accounts; they are resolved in order-key order one at a time, then in 20
 * shuffled arrival orders with random batch sizes, and every result must equal the first.
 */
import { describe, expect, it } from 'vitest'
import { ManualClock } from '../platform/clock.js'
import {
  buildIdentityEvent,
  canonicalIdentityState,
  DAY,
  MemoryIdentityStore,
  rulesWith,
  type IdentityEventInput,
} from '../testing/memory-identity-store.js'
import { orderKey } from './model.js'
import { resolveBatch, type ResolveBatchResult } from './resolve-batch.js'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const rules = rulesWith({
  identifiers: { anonymous_id: { limit: 3, window: 'weekly' }, email: { limit: 2 } },
  mergeCap: 4,
})
const clock = new ManualClock(T0)

/** mulberry32: a small seeded generator, so failures reproduce. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

function generate(random: () => number, count: number): IdentityEventInput[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const people = Array.from({ length: 24 }, (_, i) => ({
    userId: `u${i}`,
    emails: [`p${i}@x.io`, `p${i}.work@x.io`, `p${i}.old@x.io`],
    devices: Array.from({ length: 1 + Math.floor(random() * 4) }, (_, k) => `a${i}-${k}`),
  }))
  const shared = ['kiosk-1', 'kiosk-2', 'family-ipad']
  const plans = ['free', 'pro', null, '', 'team']
  const events: IdentityEventInput[] = []
  for (let n = 0; n < count; n++) {
    const person = pick(people)
    const device = random() < 0.08 ? pick(shared) : pick(person.devices)
    // Coarse times over 30 days, so some events share a timestamp (messageId breaks the tie).
    const timestamp = T0 + Math.floor(random() * 30 * 24) * (DAY / 24)
    const base = { messageId: `m${String(n).padStart(4, '0')}`, timestamp }
    const roll = random()
    if (roll < 0.35) events.push({ ...base, anonymousId: device })
    else if (roll < 0.55) {
      const traits = { email: pick(person.emails), plan: pick(plans), visits: n }
      events.push({ ...base, type: 'identify', userId: person.userId, anonymousId: device, traits })
    } else if (roll < 0.7) {
      events.push({
        ...base,
        type: 'identify',
        anonymousId: device,
        traits: { email: pick(person.emails) },
      })
    } else if (roll < 0.85) events.push({ ...base, userId: person.userId })
    else {
      const groupId = pick(['acme', 'globex', 'initech', 'umbrella'])
      const traits = { name: groupId.toUpperCase(), tier: pick(plans) }
      events.push({ ...base, type: 'group', userId: person.userId, groupId, traits })
    }
  }
  return events
}

async function resolveInBatches(
  store: MemoryIdentityStore,
  nextSize: () => number,
): Promise<ResolveBatchResult[]> {
  const results: ResolveBatchResult[] = []
  for (;;) {
    const offset = await store.transact((tx) => tx.offset('identity'))
    const events = await store.readEvents(offset, nextSize())
    if (events.length === 0) return results
    results.push(await resolveBatch({ store, rules, consumer: 'identity', events, clock }))
  }
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

const total = (results: ResolveBatchResult[], key: 'rebuilds' | 'merges' | 'events') =>
  results.reduce((sum, r) => sum + r[key], 0)

describe('order independence', () => {
  const random = seeded(20_260_101)
  const events = generate(random, 320)
  const byKey = [...events].sort((a, b) =>
    orderKey(a.timestamp, a.messageId) < orderKey(b.timestamp, b.messageId) ? -1 : 1,
  )

  it('gives the same graph for 20 arrival orders and random batch sizes', async () => {
    const reference = new MemoryIdentityStore()
    reference.appendEvents(byKey.map(buildIdentityEvent))
    const inOrder = await resolveInBatches(reference, () => 1)
    expect(total(inOrder, 'rebuilds')).toBe(0)
    expect(total(inOrder, 'merges')).toBeGreaterThan(0)
    const expected = canonicalIdentityState(reference)
    const snapshot = reference.snapshot()
    expect(snapshot.edges.some((e) => e.kind === 'drop')).toBe(true)
    expect([...snapshot.profiles.values()].some((p) => p.collection === 'accounts')).toBe(true)

    let rebuilds = 0
    for (let run = 0; run < 20; run++) {
      const store = new MemoryIdentityStore()
      store.appendEvents(shuffled(events, random).map(buildIdentityEvent))
      const results = await resolveInBatches(store, () => 1 + Math.floor(random() * 60))
      expect(total(results, 'events')).toBe(events.length)
      rebuilds += total(results, 'rebuilds')
      expect(canonicalIdentityState(store), `arrival order ${run}`).toEqual(expected)
    }
    expect(rebuilds).toBeGreaterThan(20)
  }, 30_000)

  it('gives the same graph when late events arrive in batches after the rest', async () => {
    const reference = new MemoryIdentityStore()
    reference.appendEvents(byKey.map(buildIdentityEvent))
    await resolveInBatches(reference, () => 500)
    const store = new MemoryIdentityStore()
    const late = byKey.filter((_, i) => i % 7 === 3)
    store.appendEvents(byKey.filter((_, i) => i % 7 !== 3).map(buildIdentityEvent))
    await resolveInBatches(store, () => 100)
    for (let i = 0; i < late.length; i += 5) {
      store.appendEvents(late.slice(i, i + 5).map(buildIdentityEvent))
      await resolveInBatches(store, () => 5)
    }
    expect(canonicalIdentityState(store)).toEqual(canonicalIdentityState(reference))
  })
})
