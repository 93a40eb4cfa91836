import { describe, expect, it } from 'vitest'
import {
  buildIdentifierRecord,
  buildProfileRecord,
  buildProfileScenario,
  minute,
} from '../identity/profile-query.contract.js'
import type { TraitValue } from '../identity/index.js'
import {
  identifierKeySchema,
  profileEventsQuerySchema,
  profileTraitsQuerySchema,
  splitBodySchema,
} from './profile-query-schemas.js'
import {
  displayName,
  graphToJson,
  pageTraits,
  profileSummaryToJson,
  segmentEvent,
  segmentTraits,
} from './profile-serialize.js'

const trait = (value: unknown): TraitValue => ({
  value,
  sourceId: 'src_web',
  messageId: 'm-1',
  timestamp: minute(1),
})

describe('pageTraits', () => {
  const profile = buildProfileRecord({
    id: 'usr_x',
    traits: { c: trait(3), a: trait(1), gone: trait(null), b: trait(''), d: trait(false) },
  })

  it('pages live traits by name, leaving tombstones out and keeping empty strings', () => {
    const first = pageTraits(profile, { limit: 2 })
    expect(first.entries.map(([name]) => name)).toEqual(['a', 'b'])
    expect(first.next).toBe('b')
    const second = pageTraits(profile, { limit: 2, after: 'b' })
    expect(second.entries.map(([name]) => name)).toEqual(['c', 'd'])
    expect(second.next).toBeNull()
  })

  it('keeps only included names', () => {
    const page = pageTraits(profile, { limit: 10, include: ['d', 'gone', 'zzz'] })
    expect(page.entries.map(([name]) => name)).toEqual(['d'])
  })

  it('answers values, or value with source and update time when verbose', () => {
    const { entries } = pageTraits(profile, { limit: 1 })
    expect(segmentTraits(entries, false)).toEqual({ a: 1 })
    expect(segmentTraits(entries, true)).toEqual({
      a: { value: 1, source_id: 'src_web', updated_at: '2026-01-01T00:01:00.000Z' },
    })
  })
})

describe('segmentEvent', () => {
  it('maps a stored identify event, with its external ids from the payload', () => {
    const identify = buildProfileScenario().events[1]
    const event = JSON.parse(identify?.payload ?? '{}') as Record<string, unknown>
    const answer = segmentEvent({
      seq: 2,
      sourceId: 'src_web',
      type: 'identify',
      messageId: 'm-2',
      timestamp: minute(2),
      event,
    })
    expect(answer).toEqual({
      external_ids: [
        { collection: 'users', type: 'user_id', id: 'u1', encoding: 'none' },
        { collection: 'users', type: 'anonymous_id', id: 'anon-1', encoding: 'none' },
        { collection: 'users', type: 'email', id: 'jane@example.com', encoding: 'none' },
      ],
      context: { library: { name: 'test' } },
      type: 'identify',
      message_id: 'm-2',
      source_id: 'src_web',
      timestamp: '2026-01-01T00:02:00.000Z',
      properties: {},
      event: null,
      related: { users: null },
    })
  })

  it('names track events by event and page calls by name', () => {
    const base = { seq: 1, sourceId: 's', messageId: 'm', timestamp: 0 }
    const track = segmentEvent({ ...base, type: 'track', event: { event: 'Paid', name: 'x' } })
    expect(track.event).toBe('Paid')
    const page = segmentEvent({ ...base, type: 'page', event: { name: 'Home', groupId: 'g' } })
    expect(page.event).toBe('Home')
    expect(page.external_ids).toEqual([
      { collection: 'accounts', type: 'group_id', id: 'g', encoding: 'none' },
    ])
  })
})

describe('profile summaries', () => {
  it('finds a display name in name, first and last name, or username', () => {
    const named = (traits: Record<string, unknown>) =>
      displayName(
        buildProfileRecord({
          id: 'usr_n',
          traits: Object.fromEntries(Object.entries(traits).map(([k, v]) => [k, trait(v)])),
        }),
      )
    expect(named({ name: ' Ada ', firstName: 'X' })).toBe('Ada')
    expect(named({ first_name: 'Ada', lastName: 'Lovelace' })).toBe('Ada Lovelace')
    expect(named({ firstName: 'Ada', username: 'ada' })).toBe('Ada')
    expect(named({ username: 'ada', name: null })).toBe('ada')
    expect(named({ name: 42 })).toBeNull()
  })

  it('takes the email trait, else an email identifier', () => {
    const profile = buildProfileRecord({ id: 'usr_e' })
    const ids = [buildIdentifierRecord('email:e@x.io', profile, minute(1))]
    expect(profileSummaryToJson(profile, ids)).toMatchObject({
      email: 'e@x.io',
      identifiers: [{ type: 'email', value: 'e@x.io' }],
      firstSeen: '2026-01-01T00:01:00.000Z',
    })
    const withTrait = { ...profile, traits: { email: trait('t@x.io') } }
    expect(profileSummaryToJson(withTrait, ids).email).toBe('t@x.io')
  })
})

describe('graphToJson', () => {
  it('draws identifiers as nodes, links as edges, and edges without a source as annotations', () => {
    const { identifiers, profiles, edges } = buildProfileScenario()
    const jane = identifiers.filter((i) => i.profileId === profiles.jane.id)
    const janeEdges = edges.slice(0, 5).map((e, i) => ({ ...e, id: i + 1 }))
    const graph = graphToJson(jane, janeEdges)
    expect(graph.nodes.map((n) => [n.id, n.onProfile])).toEqual([
      ['anonymous_id:anon-1', true],
      ['user_id:u1', true],
      ['email:jane@example.com', true],
      ['group_id:g1', true],
      ['group_id:g2', true],
      ['anonymous_id:shared', false],
    ])
    expect(graph.nodes[0]?.annotations).toEqual([
      {
        kind: 'create',
        rule: 'new-identifier',
        messageId: 'm-1',
        timestamp: '2026-01-01T00:01:00.000Z',
      },
    ])
    expect(graph.nodes[5]).toMatchObject({ firstSeen: null, annotations: [{ kind: 'drop' }] })
    expect(graph.edges.map((e) => [e.id, e.from, e.to, e.kind])).toEqual([
      [2, 'anonymous_id:anon-1', 'user_id:u1', 'attach'],
      [3, 'user_id:u1', 'email:jane@example.com', 'attach'],
      [4, 'user_id:u1', 'group_id:g1', 'merge'],
    ])
  })
})

describe('profile query schemas', () => {
  it('splits identifiers at the first colon and refuses a missing type or value', () => {
    expect(identifierKeySchema.parse('email:a:b@x.io')).toEqual({
      type: 'email',
      value: 'a:b@x.io',
    })
    for (const bad of ['nocolon', ':value', 'type:']) {
      expect(identifierKeySchema.safeParse(bad).success).toBe(false)
    }
  })

  it('reads Segment query strings: lists, flags, bounds and an empty next', () => {
    expect(
      profileTraitsQuerySchema.parse({ include: 'a, b,,c', verbose: 'true', next: '', x: '1' }),
    ).toEqual({ include: ['a', 'b', 'c'], limit: 10, verbose: true, next: undefined })
    expect(profileTraitsQuerySchema.safeParse({ limit: '201' }).success).toBe(false)
    expect(profileTraitsQuerySchema.safeParse({ verbose: 'yes' }).success).toBe(false)
    const events = profileEventsQuerySchema.parse({ start: '2026-01-01T00:02:00Z', end: '5' })
    expect(events).toMatchObject({ start: minute(2), end: 5, sort: 'desc', limit: 10 })
    expect(profileEventsQuerySchema.safeParse({ start: 'yesterday' }).success).toBe(false)
  })

  it('reads split bodies of both kinds, strictly', () => {
    expect(
      splitBodySchema.parse({ kind: 'separate', a: 'user_id:1', b: 'email:x@y.z', reason: 'r' }),
    ).toEqual({
      kind: 'separate',
      a: { type: 'user_id', value: '1' },
      b: { type: 'email', value: 'x@y.z' },
      reason: 'r',
    })
    expect(
      splitBodySchema.safeParse({ kind: 'block', identifier: 'user_id:1', reason: ' ' }).success,
    ).toBe(false)
    expect(
      splitBodySchema.safeParse({ kind: 'block', identifier: 'user_id:1', reason: 'r', x: 1 })
        .success,
    ).toBe(false)
  })
})
