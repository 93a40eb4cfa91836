import { describe, expect, it } from 'vitest'
import { buildResolvable as event, DAY, rulesWith } from '../testing/memory-identity-store.js'
import { IdentityEngine } from './engine.js'
import type { GraphWrite } from './identity-store.js'
import type { IdentityOverride } from './model.js'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')

function engine(config: unknown = {}, overrides: IdentityOverride[] = []): IdentityEngine {
  return new IdentityEngine({
    rules: rulesWith(config),
    now: T0,
    slice: { identifiers: [], profiles: [], components: [], overrides },
  })
}

/** `type:value` keys of each profile of the write, by profile id. */
function profilesOf(write: GraphWrite): Map<string, string[]> {
  const byProfile = new Map<string, string[]>()
  for (const i of write.identifiers) {
    if (i.profileId === null) continue
    byProfile.set(i.profileId, [...(byProfile.get(i.profileId) ?? []), `${i.type}:${i.value}`])
  }
  for (const keys of byProfile.values()) keys.sort()
  return byProfile
}

const drops = (write: GraphWrite) =>
  write.edges.filter((e) => e.kind === 'drop').map((e) => [`${e.to.type}:${e.to.value}`, e.rule])

describe('engine rules', () => {
  it('never merges two profiles with different user_ids (a shared device)', () => {
    const e = engine()
    const first = e.resolveIn(
      'users',
      event({ at: T0, users: ['user_id:alice', 'anonymous_id:ipad'] }),
    )
    const second = e.resolveIn(
      'users',
      event({ at: T0 + 1, users: ['user_id:bob', 'anonymous_id:ipad'] }),
    )
    const third = e.resolveIn('users', event({ at: T0 + 2, users: ['anonymous_id:ipad'] }))
    expect(second).not.toBe(first)
    expect(third).toBe(first)
    const write = e.write()
    expect([...profilesOf(write).values()]).toEqual([
      ['anonymous_id:ipad', 'user_id:alice'],
      ['user_id:bob'],
    ])
    expect(drops(write)).toEqual([['anonymous_id:ipad', 'limit:user_id']])
    expect(write.edges.find((x) => x.kind === 'drop')?.profileId).toBe(second)
  })

  it("follows Segment's example: a new user_id with a known email drops the email, new profile", () => {
    const e = engine({ identifiers: { user_id: { limit: 1 }, email: { limit: 5 } } })
    const jane = e.resolveIn(
      'users',
      event({ at: T0, users: ['user_id:u1', 'email:j@example.com'] }),
    )
    const other = e.resolveIn(
      'users',
      event({ at: T0 + 1, users: ['user_id:u2', 'email:j@example.com'] }),
    )
    expect(other).not.toBe(jane)
    const write = e.write()
    expect(profilesOf(write).get(other as string)).toEqual(['user_id:u2'])
    expect(drops(write)).toEqual([['email:j@example.com', 'limit:user_id']])
  })

  it('drops the lowest-priority identifier first and retries until no rule breaks', () => {
    const e = engine()
    const p = e.resolveIn(
      'users',
      event({ at: T0, users: ['user_id:u1', 'email:a@example.com', 'anonymous_id:x'] }),
    )
    const q = e.resolveIn(
      'users',
      event({ at: T0 + 1, users: ['anonymous_id:x', 'email:a@example.com', 'user_id:u2'] }),
    )
    expect(q).not.toBe(p)
    expect(drops(e.write())).toEqual([
      ['anonymous_id:x', 'limit:user_id'],
      ['email:a@example.com', 'limit:user_id'],
    ])
  })

  it('lets a priority from config decide which identifier is dropped', () => {
    const e = engine({ identifiers: { anonymous_id: { priority: 1 }, user_id: { priority: 2 } } })
    e.resolveIn('users', event({ at: T0, users: ['user_id:u1', 'anonymous_id:x'] }))
    e.resolveIn('users', event({ at: T0 + 1, users: ['user_id:u2', 'anonymous_id:x'] }))
    expect(drops(e.write())).toEqual([['user_id:u2', 'limit:user_id']])
  })

  it('counts a limit within its window back from the event time, from addedAt', () => {
    const e = engine({ identifiers: { anonymous_id: { limit: 2, window: 'weekly' } } })
    const user = ['user_id:u1']
    const p = e.resolveIn('users', event({ at: T0, users: [...user, 'anonymous_id:a1'] }))
    e.resolveIn('users', event({ at: T0 + DAY, users: [...user, 'anonymous_id:a2'] }))
    e.resolveIn('users', event({ at: T0 + 2 * DAY, users: [...user, 'anonymous_id:a3'] }))
    // a1 was added 7 days before: out of the window, so a4 fits beside a2.
    e.resolveIn('users', event({ at: T0 + 7 * DAY, users: [...user, 'anonymous_id:a4'] }))
    // a2 is still within the window of 7 days minus one ms: a5 does not fit.
    e.resolveIn('users', event({ at: T0 + 8 * DAY - 1, users: [...user, 'anonymous_id:a5'] }))
    const write = e.write()
    expect(profilesOf(write).get(p as string)).toEqual([
      'anonymous_id:a1',
      'anonymous_id:a2',
      'anonymous_id:a4',
      'user_id:u1',
    ])
    expect(drops(write)).toEqual([
      ['anonymous_id:a3', 'limit:anonymous_id'],
      ['anonymous_id:a5', 'limit:anonymous_id'],
    ])
    const a3 = write.identifiers.find((i) => i.value === 'a3')
    expect(a3).toMatchObject({ profileId: null, addedAt: null })
  })

  it('counts an ever limit over every identifier of the type', () => {
    const e = engine({ identifiers: { email: { limit: 2 } } })
    const user = ['user_id:u1']
    for (const [i, mail] of ['a', 'b', 'c'].entries()) {
      e.resolveIn(
        'users',
        event({ at: T0 + i * 365 * DAY, users: [...user, `email:${mail}@x.io`] }),
      )
    }
    expect(drops(e.write())).toEqual([['email:c@x.io', 'limit:email']])
  })

  it('does not let a tightened limit block events that add nothing', () => {
    const loose = engine({ identifiers: { email: { limit: 5 } } })
    const id = loose.resolveIn(
      'users',
      event({ at: T0, users: ['email:a@x.io', 'anonymous_id:d1'] }),
    )
    loose.resolveIn('users', event({ at: T0 + 1, users: ['email:b@x.io', 'anonymous_id:d1'] }))
    const first = loose.write()
    const strict = new IdentityEngine({
      rules: rulesWith({ identifiers: { email: { limit: 1 } } }),
      now: T0,
      slice: {
        identifiers: first.identifiers,
        profiles: first.profiles,
        components: first.components,
        overrides: [],
      },
    })
    const again = strict.resolveIn(
      'users',
      event({ at: T0 + 2, users: ['email:a@x.io', 'email:b@x.io'] }),
    )
    expect(again).toBe(id)
    expect(drops(strict.write())).toEqual([])
  })

  it('keeps the two ends of a separate override on different profiles', () => {
    const separate: IdentityOverride = {
      id: 1,
      collection: 'users',
      kind: 'separate',
      a: { type: 'email', value: 'a@x.io' },
      b: { type: 'anonymous_id', value: 'kiosk' },
      reason: 'kiosk',
      actor: 'admin',
      createdAt: T0,
    }
    const e = engine({}, [separate])
    const p = e.resolveIn('users', event({ at: T0, users: ['email:a@x.io', 'anonymous_id:kiosk'] }))
    const q = e.resolveIn('users', event({ at: T0 + 1, users: ['anonymous_id:kiosk'] }))
    expect(q).not.toBe(p)
    expect(drops(e.write())).toEqual([['anonymous_id:kiosk', 'separated']])
  })

  it('leaves an identifier of a block override out of matching and of the graph', () => {
    const block: IdentityOverride = {
      id: 1,
      collection: 'users',
      kind: 'block',
      a: { type: 'anonymous_id', value: 'shared' },
      b: null,
      reason: 'test device',
      actor: 'admin',
      createdAt: T0,
    }
    const e = engine({}, [block])
    const p = e.resolveIn('users', event({ at: T0, users: ['user_id:u1', 'anonymous_id:shared'] }))
    const q = e.resolveIn(
      'users',
      event({ at: T0 + 1, users: ['user_id:u2', 'anonymous_id:shared'] }),
    )
    expect(e.resolveIn('users', event({ at: T0 + 2, users: ['anonymous_id:shared'] }))).toBeNull()
    expect(q).not.toBe(p)
    const write = e.write()
    expect(write.identifiers.map((i) => i.value)).toEqual(['u1', 'u2'])
    expect(new Set(write.identifiers.map((i) => i.componentId)).size).toBe(2)
    expect(drops(write)).toEqual([])
  })

  it('ignores blocked values of the rules', () => {
    const e = engine({ blockedValues: { exact: ['guest'] } })
    expect(e.resolveIn('users', event({ at: T0, users: ['anonymous_id:guest'] }))).toBeNull()
    const p = e.resolveIn('users', event({ at: T0, users: ['user_id:u1', 'anonymous_id:guest'] }))
    expect(e.write().identifiers.map((i) => i.value)).toEqual(['u1'])
    expect(p).not.toBeNull()
  })

  it('stops merging past mergeCap: the event resolves without the merge', () => {
    const e = engine({ mergeCap: 1 })
    const p = e.resolveIn('users', event({ at: T0, users: ['anonymous_id:a'] }))
    e.resolveIn('users', event({ at: T0 + 1, users: ['anonymous_id:b'] }))
    e.resolveIn('users', event({ at: T0 + 2, users: ['anonymous_id:c'] }))
    expect(
      e.resolveIn('users', event({ at: T0 + 3, users: ['anonymous_id:a', 'anonymous_id:b'] })),
    ).toBe(p)
    expect(
      e.resolveIn('users', event({ at: T0 + 4, users: ['anonymous_id:a', 'anonymous_id:c'] })),
    ).toBe(p)
    const write = e.write()
    expect(write.profiles.find((x) => x.id === p)?.merges).toBe(1)
    expect(drops(write)).toEqual([['anonymous_id:c', 'merge-cap']])
    expect(profilesOf(write).size).toBe(2)
  })

  it('stops attaching past identifierCap, and refuses a merge past it', () => {
    const e = engine({ identifierCap: 2 })
    const p = e.resolveIn(
      'users',
      event({ at: T0, users: ['anonymous_id:a', 'anonymous_id:b', 'anonymous_id:c'] }),
    )
    e.resolveIn('users', event({ at: T0 + 1, users: ['anonymous_id:d'] }))
    expect(
      e.resolveIn('users', event({ at: T0 + 2, users: ['anonymous_id:a', 'anonymous_id:d'] })),
    ).toBe(p)
    const write = e.write()
    expect(profilesOf(write).get(p as string)).toEqual(['anonymous_id:a', 'anonymous_id:b'])
    expect(drops(write)).toEqual([
      ['anonymous_id:c', 'identifier-cap'],
      ['anonymous_id:d', 'identifier-cap'],
    ])
    expect(write.identifiers.find((i) => i.value === 'c')?.profileId).toBeNull()
  })
})
