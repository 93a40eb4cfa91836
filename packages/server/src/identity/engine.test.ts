import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { buildResolvable as event, rulesWith } from '../testing/memory-identity-store.js'
import { IdentityEngine } from './engine.js'
import type { GraphWrite } from './identity-store.js'
import type { GraphSlice } from './model.js'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const NOW = T0 + 999
const rules = rulesWith()
const hash20 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 20)

const fresh = (slice?: GraphSlice) =>
  new IdentityEngine({ rules, now: NOW, ...(slice ? { slice } : {}) })

/** The slice a store would return after `write` (everything, as rows). */
const asSlice = (write: GraphWrite): GraphSlice => ({
  identifiers: write.identifiers,
  profiles: write.profiles,
  components: write.components,
  overrides: [],
})

describe('IdentityEngine', () => {
  it('creates a profile with ids derived from the collection and the messageId', () => {
    const e = fresh()
    const id = e.resolveIn(
      'users',
      event({ at: T0, messageId: 'msg-1', users: ['anonymous_id:a1', 'user_id:u1'] }),
    )
    expect(id).toBe(`usr_${hash20('usersmsg-1')}`)
    const write = e.write()
    expect(write.components).toEqual([
      { id: `cmp_${hash20('usersmsg-1')}`, maxKey: `00${T0} msg-1`, events: 1 },
    ])
    expect(write.edges.map((x) => [x.kind, x.from?.value ?? null, x.to.value, x.rule])).toEqual([
      ['create', null, 'u1', 'new-identifier'],
      ['attach', 'u1', 'a1', 'new-identifier'],
    ])
    expect(write.profiles[0]).toMatchObject({
      id,
      counts: { track: 1 },
      merges: 0,
      firstSeen: T0,
      lastSeen: T0,
      firstMessageId: 'msg-1',
      createdAt: NOW,
      updatedAt: NOW,
    })
    expect(write.events).toEqual([
      expect.objectContaining({ profileId: id, messageId: 'msg-1', collection: 'users' }),
    ])
  })

  it('attaches new identifiers through the highest-priority matched one', () => {
    const e = fresh()
    const id = e.resolveIn('users', event({ at: T0, users: ['anonymous_id:a1', 'email:j@x.io'] }))
    expect(
      e.resolveIn(
        'users',
        event({ at: T0 + 1, users: ['anonymous_id:a1', 'email:j@x.io', 'user_id:u1'] }),
      ),
    ).toBe(id)
    const attach = e.write().edges.at(-1)
    expect(attach).toMatchObject({
      kind: 'attach',
      from: { type: 'email', value: 'j@x.io' },
      to: { type: 'user_id', value: 'u1' },
      rule: 'shared-identifier:email',
      profileId: id,
    })
  })

  it('merges into the profile whose first event is earliest and sums what it knows', () => {
    const e = fresh()
    const late = e.resolveIn(
      'users',
      event({ at: T0 + 50, messageId: 'a', users: ['anonymous_id:phone'] }),
    )
    const early = e.resolveIn(
      'users',
      event({ at: T0 + 10, messageId: 'z', users: ['anonymous_id:laptop'] }),
    )
    const merged = e.resolveIn(
      'users',
      event({ at: T0 + 60, users: ['anonymous_id:phone', 'anonymous_id:laptop', 'user_id:u1'] }),
    )
    expect(merged).toBe(early)
    const write = e.write()
    expect(write.profiles.map((p) => p.id)).toEqual([early])
    expect(write.profiles[0]).toMatchObject({
      merges: 1,
      counts: { track: 3 },
      firstSeen: T0 + 10,
      firstMessageId: 'z',
      lastSeen: T0 + 60,
    })
    const merge = write.edges.find((x) => x.kind === 'merge')
    expect(merge).toMatchObject({
      profileId: early,
      mergedProfileId: late,
      from: { type: 'anonymous_id', value: 'laptop' },
      to: { type: 'anonymous_id', value: 'phone' },
      rule: 'shared-identifier:anonymous_id',
    })
    // Events and edges recorded before the merge name the survivor.
    expect(new Set(write.events.map((x) => x.profileId))).toEqual(new Set([early]))
    expect(new Set(write.edges.map((x) => x.profileId))).toEqual(new Set([early]))
    expect(write.moveProfiles).toEqual([])
  })

  it('applies identify traits last-write-wins by timestamp, with tombstones and provenance', () => {
    const e = fresh()
    const user = ['user_id:u1']
    e.resolveIn(
      'users',
      event({
        at: T0 + 20,
        messageId: 'b',
        sourceId: 'web',
        users: user,
        traits: { plan: 'pro', nick: 'jd', note: 'x' },
      }),
    )
    e.resolveIn(
      'users',
      event({ at: T0 + 10, messageId: 'a', users: user, traits: { plan: 'free', city: 'Bern' } }),
    )
    e.resolveIn(
      'users',
      event({
        at: T0 + 30,
        messageId: 'c',
        sourceId: 'ios',
        users: user,
        traits: { nick: null, note: '' },
      }),
    )
    const [profile] = e.write().profiles
    expect(profile?.traits).toEqual({
      plan: { value: 'pro', sourceId: 'web', messageId: 'b', timestamp: T0 + 20 },
      city: { value: 'Bern', sourceId: 'src_test', messageId: 'a', timestamp: T0 + 10 },
      nick: { value: null, sourceId: 'ios', messageId: 'c', timestamp: T0 + 30 },
      note: { value: '', sourceId: 'ios', messageId: 'c', timestamp: T0 + 30 },
    })
    expect(profile?.firstSeen).toBe(T0 + 10)
    expect(profile?.lastMessageId).toBe('c')
  })

  it('breaks a trait tie on equal timestamps by messageId', () => {
    const e = fresh()
    e.resolveIn(
      'users',
      event({ at: T0, messageId: 'b', users: ['user_id:u1'], traits: { plan: 'b' } }),
    )
    e.resolveIn(
      'users',
      event({ at: T0, messageId: 'a', users: ['user_id:u1'], traits: { plan: 'a' } }),
    )
    expect(e.write().profiles[0]?.traits.plan?.value).toBe('b')
  })

  it('merges traits by last write, so a tombstone keeps an older value out', () => {
    const e = fresh()
    e.resolveIn(
      'users',
      event({ at: T0, users: ['anonymous_id:a'], traits: { plan: 'old', x: 1 } }),
    )
    e.resolveIn('users', event({ at: T0 + 5, users: ['anonymous_id:b'], traits: { plan: null } }))
    e.resolveIn('users', event({ at: T0 + 9, users: ['anonymous_id:a', 'anonymous_id:b'] }))
    const traits = e.write().profiles[0]?.traits
    expect(traits?.plan?.value).toBeNull()
    expect(traits?.x?.value).toBe(1)
  })

  it('resolves a group call in accounts too, with the group traits on the account', () => {
    const e = fresh()
    const resolution = e.resolve(
      event({
        at: T0,
        type: 'group',
        messageId: 'g-1',
        users: ['user_id:u1', 'group_id:acme'],
        accounts: ['group_id:acme'],
        accountTraits: { name: 'Acme' },
      }),
    )
    expect(resolution).toEqual({
      users: `usr_${hash20('usersg-1')}`,
      accounts: `acc_${hash20('accountsg-1')}`,
    })
    const write = e.write()
    const account = write.profiles.find((p) => p.collection === 'accounts')
    expect(account).toMatchObject({ counts: { group: 1 }, traits: { name: { value: 'Acme' } } })
    expect(write.profiles.find((p) => p.collection === 'users')?.traits).toEqual({})
    expect(write.events.map((x) => x.collection)).toEqual(['users', 'accounts'])
    expect(new Set(write.components.map((c) => c.id)).size).toBe(2)
  })

  it('writes only what changed on a seeded slice, relabelling and moving stored rows', () => {
    const first = fresh()
    const a = first.resolveIn('users', event({ at: T0, users: ['anonymous_id:a', 'email:a@x.io'] }))
    const b = first.resolveIn('users', event({ at: T0 + 1, users: ['anonymous_id:b'] }))
    first.resolveIn('users', event({ at: T0 + 2, users: ['anonymous_id:c'] }))
    const stored = first.write()
    const cmp = (profileId: string | null) =>
      stored.profiles.find((p) => p.id === profileId)?.componentId

    const second = fresh(asSlice(stored))
    expect(
      second.resolveIn('users', event({ at: T0 + 3, users: ['anonymous_id:b', 'anonymous_id:a'] })),
    ).toBe(a)
    const write = second.write()
    expect(write.moveProfiles).toEqual([{ from: b, to: a }])
    // Equal event counts: the component with the smaller id survives the join.
    const [keep, gone] = [cmp(a), cmp(b)].sort() as [string, string]
    expect(write.relabelComponents).toEqual([{ from: gone, to: keep }])
    expect(write.components).toEqual([expect.objectContaining({ id: keep, events: 3 })])
    expect(write.profiles.map((p) => [p.id, p.componentId, p.merges])).toEqual([[a, keep, 1]])
    // Identifiers moved by moveProfiles and relabelled are not rewritten.
    expect(write.identifiers).toEqual([])
    expect(write.edges.map((x) => x.kind)).toEqual(['merge'])
  })

  it('records a dropped identifier without a profile, in the event component', () => {
    const e = fresh()
    e.resolveIn('users', event({ at: T0, users: ['user_id:u1'] }))
    e.resolveIn('users', event({ at: T0 + 1, users: ['user_id:u1', 'user_id:u2'] }))
    const write = e.write()
    const u2 = write.identifiers.find((i) => i.value === 'u2')
    expect(u2).toMatchObject({ profileId: null, addedAt: null, firstSeen: T0 + 1 })
    expect(new Set(write.identifiers.map((i) => i.componentId)).size).toBe(1)
    expect(write.events[1]?.identifiers).toEqual([
      { type: 'user_id', value: 'u1' },
      { type: 'user_id', value: 'u2' },
    ])
  })

  it('ignores an event without usable identifiers', () => {
    const e = fresh()
    expect(e.resolve(event({ at: T0, users: [] }))).toEqual({ users: null, accounts: null })
    expect(e.stats).toEqual({ resolved: 0, profilesCreated: 0, merges: 0 })
    expect(e.write().events).toEqual([])
  })
})
