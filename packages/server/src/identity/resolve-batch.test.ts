import { describe, expect, it } from 'vitest'
import { ManualClock } from '../platform/clock.js'
import {
  buildIdentityEvent,
  canonicalIdentityState as canonicalDump,
  MemoryIdentityStore,
  rulesWith,
  type IdentityEventInput,
} from '../testing/memory-identity-store.js'
import type { IdentityStore, IdentityTx } from './identity-store.js'
import { resolveBatch, type ResolveBatchResult } from './resolve-batch.js'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const rules = rulesWith()
const clock = new ManualClock(T0 + 10_000)

async function resolveAll(
  store: MemoryIdentityStore,
  batchSize = 1_000,
): Promise<ResolveBatchResult[]> {
  const results: ResolveBatchResult[] = []
  for (;;) {
    const offset = await store.transact((tx) => tx.offset('identity'))
    const events = await store.readEvents(offset, batchSize)
    if (events.length === 0) return results
    results.push(await resolveBatch({ store, rules, consumer: 'identity', events, clock }))
  }
}

function storeWith(inputs: IdentityEventInput[]): MemoryIdentityStore {
  const store = new MemoryIdentityStore()
  store.appendEvents(inputs.map(buildIdentityEvent))
  return store
}

const profilesOf = (store: MemoryIdentityStore) => [...store.snapshot().profiles.values()]

describe('resolveBatch', () => {
  it('merges two browsers that give the same email into one profile (the textbook example)', async () => {
    const store = storeWith([
      { messageId: 'c1', timestamp: T0, anonymousId: 'ID67980', event: 'Viewed Shoes' },
      {
        messageId: 'c2',
        timestamp: T0 + 1_000,
        type: 'identify',
        anonymousId: 'ID67980',
        traits: { email: 'JDoe@Example.com' },
      },
      { messageId: 's1', timestamp: T0 + 5_000, anonymousId: 'ID34657', event: 'Viewed Hats' },
      {
        messageId: 's2',
        timestamp: T0 + 6_000,
        type: 'identify',
        anonymousId: 'ID34657',
        traits: { email: 'jdoe@example.com' },
      },
    ])
    const [result] = await resolveAll(store)
    expect(result).toEqual({
      offset: 4,
      events: 4,
      skipped: 0,
      profilesCreated: 2,
      merges: 1,
      rebuilds: 0,
    })
    const [profile, ...others] = profilesOf(store)
    expect(others).toEqual([])
    const snapshot = store.snapshot()
    expect([...snapshot.profileEvents.values()].map((e) => e.profileId)).toEqual(
      Array(4).fill(profile?.id),
    )
    expect([...snapshot.identifiers.values()].map((i) => `${i.type}:${i.value}`).sort()).toEqual([
      'anonymous_id:ID34657',
      'anonymous_id:ID67980',
      'email:jdoe@example.com',
    ])
    expect(profile?.counts).toEqual({ track: 2, identify: 2 })
    expect(profile?.traits.email?.value).toBe('jdoe@example.com')
  })

  it('skips events at or below the offset, and a replayed batch changes nothing', async () => {
    const store = storeWith([
      { messageId: 'a', timestamp: T0, userId: 'u1', anonymousId: 'x' },
      { messageId: 'b', timestamp: T0 + 1, anonymousId: 'x', type: 'identify', traits: { a: 1 } },
    ])
    const events = await store.readEvents(0, 10)
    await resolveBatch({ store, rules, consumer: 'identity', events, clock })
    const before = store.snapshot()
    const again = await resolveBatch({ store, rules, consumer: 'identity', events, clock })
    expect(again).toMatchObject({ offset: 2, events: 0, skipped: 2 })
    expect(store.snapshot()).toEqual(before)
  })

  it('recognises events already recorded under another offset and does not count them twice', async () => {
    const store = storeWith([
      { messageId: 'a', timestamp: T0, userId: 'u1' },
      { messageId: 'b', timestamp: T0 + 1, userId: 'u1' },
    ])
    const events = await store.readEvents(0, 10)
    await resolveBatch({ store, rules, consumer: 'identity', events, clock })
    const before = canonicalDump(store)
    const other = await resolveBatch({ store, rules, consumer: 'backfill', events, clock })
    expect(other).toMatchObject({ events: 0, skipped: 2, rebuilds: 1 })
    expect(canonicalDump(store)).toEqual(before)
    expect(profilesOf(store)[0]?.counts).toEqual({ track: 2 })
  })

  it('rebuilds the component for a late event: the result equals in-order processing', async () => {
    const inputs: IdentityEventInput[] = [
      {
        messageId: 'e1',
        timestamp: T0 + 10,
        anonymousId: 'laptop',
        type: 'identify',
        traits: { plan: 'free' },
      },
      { messageId: 'e2', timestamp: T0 + 30, userId: 'u1', anonymousId: 'laptop' },
      {
        messageId: 'e3',
        timestamp: T0 + 40,
        anonymousId: 'phone',
        type: 'identify',
        traits: { plan: 'pro' },
      },
      // Late: happened before e2 and e3, arrives last; it links the phone to the user first.
      {
        messageId: 'e4',
        timestamp: T0 + 20,
        userId: 'u1',
        anonymousId: 'phone',
        type: 'identify',
        traits: { plan: 'trial' },
      },
    ]
    const inOrder = storeWith([...inputs].sort((a, b) => a.timestamp - b.timestamp))
    await resolveAll(inOrder)
    const late = storeWith(inputs.slice(0, 3))
    await resolveAll(late)
    late.appendEvents([buildIdentityEvent(inputs[3] as IdentityEventInput)])
    const [result] = await resolveAll(late)
    expect(result).toMatchObject({ events: 1, rebuilds: 1 })
    expect(canonicalDump(late)).toEqual(canonicalDump(inOrder))
    const [profile] = profilesOf(late)
    expect(profilesOf(late)).toHaveLength(1)
    expect(profile?.traits.plan?.value).toBe('pro')
    const [rebuild] = late.snapshot().rebuilds
    expect(rebuild).toMatchObject({ reason: 'late-event', events: 4, actor: null, at: T0 + 10_000 })
    expect(rebuild?.profilesBefore).toHaveLength(2)
    expect(rebuild?.profilesAfter).toEqual([profile?.id])
    expect(rebuild?.componentIds).toContain(profile?.componentId)
  })

  it('honours a separate override between two stored profiles joined through other identifiers', async () => {
    const store = storeWith([
      {
        messageId: 'a',
        timestamp: T0,
        anonymousId: 'a1',
        traits: { email: 'a@x.io' },
        type: 'identify',
      },
      {
        messageId: 'b',
        timestamp: T0 + 1,
        anonymousId: 'b1',
        traits: { email: 'b@x.io' },
        type: 'identify',
      },
    ])
    await resolveAll(store)
    await store.transact((tx) =>
      tx.addOverride({
        collection: 'users',
        kind: 'separate',
        a: { type: 'email', value: 'a@x.io' },
        b: { type: 'email', value: 'b@x.io' },
        reason: 'two people',
        actor: 'admin',
        createdAt: T0,
      }),
    )
    store.appendEvents([
      buildIdentityEvent({
        messageId: 'd',
        timestamp: T0 + 3,
        anonymousId: 'b1',
        context: { device: { type: 'ios', id: 'dev-1' } },
      }),
      buildIdentityEvent({
        messageId: 'e',
        timestamp: T0 + 4,
        anonymousId: 'a1',
        context: { device: { type: 'ios', id: 'dev-1' } },
      }),
    ])
    await resolveAll(store)
    expect(profilesOf(store)).toHaveLength(2)
    const drops = store.snapshot().edges.filter((e) => e.kind === 'drop')
    expect(drops.map((e) => [e.to.value, e.rule])).toEqual([['dev-1', 'separated']])
  })

  it('keeps nothing, not even the offset, when the store fails in the batch', async () => {
    const store = storeWith([{ messageId: 'a', timestamp: T0, userId: 'u1' }])
    const failing: IdentityStore = {
      ...store,
      readEvents: (after, limit) => store.readEvents(after, limit),
      eventsHead: () => store.eventsHead(),
      getSetting: (key) => store.getSetting(key),
      putSetting: (key, value, actor) => store.putSetting(key, value, actor),
      transact: (fn) =>
        store.transact((tx) =>
          fn({
            ...bind(tx),
            write: () => Promise.reject(new Error('disk full')),
          }),
        ),
    }
    const events = await store.readEvents(0, 10)
    await expect(
      resolveBatch({ store: failing, rules, consumer: 'identity', events, clock }),
    ).rejects.toThrow('disk full')
    expect(await store.transact((tx) => tx.offset('identity'))).toBe(0)
    expect(profilesOf(store)).toEqual([])
  })
})

function bind(tx: IdentityTx): IdentityTx {
  return {
    offset: (c) => tx.offset(c),
    loadSlice: (c, k) => tx.loadSlice(c, k),
    loadComponents: (ids) => tx.loadComponents(ids),
    write: (w) => tx.write(w),
    commitOffset: (c, o) => tx.commitOffset(c, o),
    addOverride: (o) => tx.addOverride(o),
    recordRebuild: (r) => tx.recordRebuild(r),
  }
}
