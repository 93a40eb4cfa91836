import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Page } from '../events/index.js'
import { AppError } from '../platform/errors/index.js'
import {
  orderKey,
  type Collection,
  type IdentifierRecord,
  type IdentityEdge,
  type IdentityOverride,
  type IdentitySourceEvent,
  type ProfileEventRecord,
  type ProfileRecord,
  type RebuildRecord,
  type TraitValue,
} from './model.js'
import type { ProfileQuery } from './profile-query.js'
import { CORRECTION_SOURCE, type TraitCorrection } from './trait-corrections.js'

/** Rows to seed, in domain terms (the adapter's test writes them to its tables directly). */
export interface ProfileQueryFixture {
  events?: IdentitySourceEvent[]
  profiles?: ProfileRecord[]
  identifiers?: IdentifierRecord[]
  profileEvents?: ProfileEventRecord[]
  /** Stored in order: their ids ascend in this order. */
  edges?: IdentityEdge[]
  overrides?: Array<Omit<IdentityOverride, 'id'>>
  rebuilds?: RebuildRecord[]
  /** Trait corrections, ids ascending in this order. */
  corrections?: Array<Omit<TraitCorrection, 'id'>>
}

/** What the {@link ProfileQuery} suite needs: a fresh, empty store and a way to seed it. */
export interface ProfileQueryContractSubject {
  readonly profileQuery: ProfileQuery
  seed(fixture: ProfileQueryFixture): Promise<void>
  close(): Promise<void>
}

/** 2026-01-01T00:00:00Z; the scenario's times are minutes after it. */
export const SCENARIO_EPOCH = Date.parse('2026-01-01T00:00:00.000Z')
export const minute = (n: number): number => SCENARIO_EPOCH + n * 60_000

const trait = (value: unknown, at = minute(1), messageId = 'm-1'): TraitValue => ({
  value,
  sourceId: 'src_web',
  messageId,
  timestamp: at,
})

/** A profile record; defaults describe a user seen once at minute 1. */
export function buildProfileRecord(
  overrides: Partial<ProfileRecord> & { id: string },
): ProfileRecord {
  return {
    collection: 'users',
    componentId: `cmp_${overrides.id}`,
    traits: {},
    counts: { track: 1 },
    merges: 0,
    firstSeen: minute(1),
    lastSeen: minute(1),
    firstMessageId: 'm-1',
    firstSourceId: 'src_web',
    lastMessageId: 'm-1',
    lastSourceId: 'src_web',
    createdAt: minute(100),
    updatedAt: minute(100),
    ...overrides,
  }
}

/** An identifier of `profile` (or of none when `profile` is null), first seen at `seen`. */
export function buildIdentifierRecord(
  key: string,
  profile: ProfileRecord | null,
  seen: number,
  collection: Collection = profile?.collection ?? 'users',
): IdentifierRecord {
  const colon = key.indexOf(':')
  return {
    collection,
    type: key.slice(0, colon),
    value: key.slice(colon + 1),
    componentId: profile?.componentId ?? 'cmp_orphan',
    profileId: profile?.id ?? null,
    addedAt: profile ? seen : null,
    firstSeen: seen,
    firstMessageId: `m-first-${key}`,
    firstSourceId: 'src_web',
  }
}

interface ScenarioEvent {
  seq: number
  type: string
  at: number
  fields: Record<string, unknown>
}

/** Jane's events: seq, type, minute and payload fields. Seq 7 shares minute 3 with seq 3. */
const JANE_EVENTS: ScenarioEvent[] = [
  { seq: 1, type: 'page', at: minute(1), fields: { name: 'Home', anonymousId: 'anon-1' } },
  {
    seq: 2,
    type: 'identify',
    at: minute(2),
    fields: { userId: 'u1', anonymousId: 'anon-1', traits: { email: 'jane@example.com' } },
  },
  {
    seq: 3,
    type: 'track',
    at: minute(3),
    fields: { event: 'Order Completed', userId: 'u1', properties: { revenue: 42 } },
  },
  { seq: 4, type: 'group', at: minute(5), fields: { userId: 'u1', groupId: 'g1', traits: {} } },
  { seq: 5, type: 'track', at: minute(10), fields: { event: 'Signed Up', userId: 'u1' } },
  { seq: 7, type: 'track', at: minute(3), fields: { event: 'Added', userId: 'u1' } },
]

function sourceEvent(e: ScenarioEvent): IdentitySourceEvent {
  const messageId = `m-${e.seq}`
  const payload = {
    type: e.type,
    messageId,
    timestamp: new Date(e.at).toISOString(),
    context: { library: { name: 'test' } },
    ...e.fields,
  }
  return {
    seq: e.seq,
    messageId,
    sourceId: 'src_web',
    type: e.type,
    timestamp: e.at,
    payload: JSON.stringify(payload),
  }
}

function profileEvent(e: IdentitySourceEvent, profile: ProfileRecord): ProfileEventRecord {
  return {
    seq: e.seq,
    collection: profile.collection,
    componentId: profile.componentId,
    profileId: profile.id,
    orderKey: orderKey(e.timestamp, e.messageId),
    timestamp: e.timestamp,
    messageId: e.messageId,
    identifiers: [{ type: 'user_id', value: 'u1' }],
  }
}

function edge(
  profile: ProfileRecord,
  fields: Pick<IdentityEdge, 'kind' | 'from' | 'to' | 'rule' | 'seq'> &
    Partial<Pick<IdentityEdge, 'mergedProfileId'>>,
): IdentityEdge {
  return {
    collection: profile.collection,
    componentId: profile.componentId,
    profileId: profile.id,
    mergedProfileId: null,
    messageId: `m-${fields.seq}`,
    sourceId: 'src_web',
    timestamp: minute(fields.seq),
    ...fields,
  }
}

function scenarioProfiles() {
  const jane = buildProfileRecord({
    id: 'usr_jane',
    traits: {
      name: trait('Jane Doe'),
      email: trait('jane@example.com', minute(2), 'm-2'),
      plan: trait('pro'),
      old_plan: trait(null, minute(3), 'm-3'),
      address: trait({ city: 'Paris' }),
    },
    counts: { page: 1, identify: 1, track: 3, group: 1 },
    merges: 1,
    lastSeen: minute(10),
    lastMessageId: 'm-5',
  })
  const bob = buildProfileRecord({
    id: 'usr_bob',
    traits: { name: trait('Bob Stone'), company: trait('Acme') },
    firstSeen: minute(4),
    lastSeen: minute(8),
  })
  const anon = buildProfileRecord({
    id: 'usr_anon',
    traits: { favorite: trait('JANE Austen books') },
    lastSeen: minute(6),
  })
  // Matches "jane" only in a trait name and a provenance field, never in a value.
  const carl = buildProfileRecord({
    id: 'usr_carl',
    traits: { janeFan: trait('no', minute(1), 'jane-message'), offer: trait('save 50% now') },
    lastSeen: minute(4),
  })
  const account = (id: string, seen: number) =>
    buildProfileRecord({
      id,
      collection: 'accounts',
      traits: { name: trait(`Account ${id}`), employees: trait(42) },
      lastSeen: seen,
    })
  return {
    jane,
    bob,
    anon,
    carl,
    g1: account('acc_g1', minute(5)),
    g2: account('acc_g2', minute(7)),
  }
}

/**
 * A small graph with every read path exercised: Jane (usr_jane; anonymous, user_id, email,
 * two group_ids; six events, one trait tombstone; edges), Bob, an anonymous profile, Carl
 * (search decoys), two accounts linked to Jane, a dropped identifier, overrides and rebuilds.
 */
export function buildProfileScenario() {
  const profiles = scenarioProfiles()
  const { jane, bob, anon, carl, g1, g2 } = profiles
  const identifiers = [
    buildIdentifierRecord('anonymous_id:anon-1', jane, minute(1)),
    buildIdentifierRecord('user_id:u1', jane, minute(2)),
    buildIdentifierRecord('email:jane@example.com', jane, minute(2)),
    buildIdentifierRecord('group_id:g1', jane, minute(5)),
    buildIdentifierRecord('group_id:g2', jane, minute(6)),
    buildIdentifierRecord('user_id:u2', bob, minute(4)),
    buildIdentifierRecord('email:bob@example.org', bob, minute(4)),
    buildIdentifierRecord('anonymous_id:anon-3', anon, minute(1)),
    buildIdentifierRecord('anonymous_id:anon-4', carl, minute(1)),
    buildIdentifierRecord('group_id:g1', g1, minute(5)),
    buildIdentifierRecord('group_id:g2', g2, minute(6)),
    buildIdentifierRecord('anonymous_id:shared', null, minute(10)),
  ]
  const events = JANE_EVENTS.map(sourceEvent)
  const id = (key: string) => {
    const [type = '', value = ''] = key.split(':')
    return { type, value }
  }
  const edges = [
    edge(jane, {
      kind: 'create',
      from: null,
      to: id('anonymous_id:anon-1'),
      rule: 'new-identifier',
      seq: 1,
    }),
    edge(jane, {
      kind: 'attach',
      from: id('anonymous_id:anon-1'),
      to: id('user_id:u1'),
      rule: 'shared-identifier:anonymous_id',
      seq: 2,
    }),
    edge(jane, {
      kind: 'attach',
      from: id('user_id:u1'),
      to: id('email:jane@example.com'),
      rule: 'shared-identifier:user_id',
      seq: 2,
    }),
    edge(jane, {
      kind: 'merge',
      from: id('user_id:u1'),
      to: id('group_id:g1'),
      rule: 'shared-identifier:user_id',
      seq: 4,
      mergedProfileId: 'usr_old',
    }),
    edge(jane, {
      kind: 'drop',
      from: null,
      to: id('anonymous_id:shared'),
      rule: 'limit:anonymous_id',
      seq: 5,
    }),
    edge(bob, { kind: 'create', from: null, to: id('user_id:u2'), rule: 'new-identifier', seq: 6 }),
  ]
  const overrides: Array<Omit<IdentityOverride, 'id'>> = [
    {
      collection: 'users',
      kind: 'block',
      a: id('anonymous_id:shared'),
      b: null,
      reason: 'shared device',
      actor: 'admin',
      createdAt: minute(20),
    },
    {
      collection: 'users',
      kind: 'separate',
      a: id('user_id:u1'),
      b: id('email:bob@example.org'),
      reason: 'typo',
      actor: 'admin',
      createdAt: minute(21),
    },
    {
      collection: 'accounts',
      kind: 'block',
      a: id('group_id:g9'),
      b: null,
      reason: 'test',
      actor: 'admin',
      createdAt: minute(22),
    },
  ]
  const rebuild = (componentIds: string[], at: number): RebuildRecord => ({
    collection: 'users',
    componentIds,
    reason: 'late-event',
    events: 3,
    profilesBefore: ['usr_x'],
    profilesAfter: ['usr_y'],
    actor: null,
    at,
  })
  const fixture: ProfileQueryFixture = {
    events,
    profiles: Object.values(profiles),
    identifiers,
    // The account side of Jane's group calls (one seq, both collections) links the profiles.
    profileEvents: [
      ...events.map((e) => profileEvent(e, jane)),
      ...events.filter((e) => e.seq === 4).map((e) => profileEvent(e, g1)),
      ...events.filter((e) => e.seq === 5).map((e) => profileEvent(e, g2)),
    ],
    edges,
    overrides,
    rebuilds: [
      rebuild([jane.componentId, bob.componentId], minute(20)),
      rebuild([bob.componentId], minute(30)),
      rebuild([jane.componentId], minute(40)),
      rebuild([`${jane.componentId}0`], minute(50)),
    ],
  }
  return { fixture, profiles, identifiers, events, edges }
}

/** Every page of a paged read, following `next` until it is null. */
async function allPages<T>(read: (cursor?: string) => Promise<Page<T>>): Promise<T[][]> {
  const pages: T[][] = []
  let cursor: string | undefined
  for (;;) {
    const page = await read(cursor)
    pages.push(page.data)
    if (page.next === null) return pages
    cursor = page.next
  }
}

async function expectInvalidCursor(promise: Promise<unknown>): Promise<void> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  expect((error as AppError).code).toBe('IDENTITY_INVALID_CURSOR')
}

/** The shared suite every {@link ProfileQuery} adapter must pass. */
export function describeProfileQueryContract(
  name: string,
  open: () => Promise<ProfileQueryContractSubject>,
): void {
  describe(`ProfileQuery contract (${name})`, () => {
    let subject: ProfileQueryContractSubject
    let query: ProfileQuery
    const scenario = buildProfileScenario()

    beforeEach(async () => {
      subject = await open()
      query = subject.profileQuery
      await subject.seed(scenario.fixture)
    })

    afterEach(async () => {
      await subject.close()
    })

    describeLookups(() => query, scenario)
    describeTimeline(() => query, scenario)
    describeSearch(
      () => query,
      () => subject,
    )
    describeHistory(() => query, scenario)
    describeCorrections(
      () => query,
      () => subject,
    )
  })
}

/** A correction of Jane's `trait`, keyed by `identifier`, made at `at`. */
function janeCorrection(
  identifier: string,
  trait: string,
  change: { value: unknown } | { unset: true },
  at: number,
): Omit<TraitCorrection, 'id'> {
  const colon = identifier.indexOf(':')
  return {
    profileId: 'usr_jane',
    collection: 'users',
    identifier: { type: identifier.slice(0, colon), value: identifier.slice(colon + 1) },
    trait,
    value: 'value' in change ? change.value : null,
    removed: 'unset' in change,
    previous: null,
    reason: null,
    actor: 'admin',
    createdAt: at,
  }
}

function describeCorrections(
  query: () => ProfileQuery,
  subject: () => ProfileQueryContractSubject,
): void {
  it('applies trait corrections keyed by any identifier; later event values win', async () => {
    await subject().seed({
      corrections: [
        janeCorrection('user_id:u1', 'plan', { value: 'enterprise' }, minute(5)),
        janeCorrection('email:jane@example.com', 'address', { unset: true }, minute(5)),
        // Older than the event that set the name (minute 1): the event's value stays.
        janeCorrection('user_id:u1', 'name', { value: 'J. Doe' }, minute(0)),
        // Another collection's identifier of the same value: not Jane's.
        {
          ...janeCorrection('user_id:u1', 'plan', { value: 'x' }, minute(9)),
          collection: 'accounts',
        },
      ],
    })
    const jane = await query().get('usr_jane')
    expect(jane?.traits.plan).toMatchObject({
      value: 'enterprise',
      sourceId: CORRECTION_SOURCE,
      timestamp: minute(5),
    })
    expect(jane?.traits.plan?.messageId).toMatch(/^correction:\d+$/)
    expect(jane?.traits.address?.value).toBeNull()
    expect(jane?.traits.name?.value).toBe('Jane Doe')
    const found = await query().findByIdentifier('users', { type: 'user_id', value: 'u1' })
    expect(found?.traits).toEqual(jane?.traits)
    const paris = await query().search({ q: 'paris', collection: 'users' }, { limit: 10 })
    expect(paris.data.map((p) => p.id)).not.toContain('usr_jane')
    expect((await query().get('usr_bob'))?.traits.name?.value).toBe('Bob Stone')
  })
}

type Scenario = ReturnType<typeof buildProfileScenario>

function describeLookups(q: () => ProfileQuery, scenario: Scenario): void {
  it('gets a profile by id with traits, tombstones and counts as stored; null when unknown', async () => {
    expect(await q().get('usr_jane')).toEqual(scenario.profiles.jane)
    expect(await q().get('usr_missing')).toBeNull()
  })

  it('finds the profile holding an identifier, in its collection only', async () => {
    const email = { type: 'email', value: 'jane@example.com' }
    // The whole profile as stored, once, whatever the number of identifiers it holds.
    expect(await q().findByIdentifier('users', email)).toEqual(scenario.profiles.jane)
    expect(await q().findByIdentifier('accounts', email)).toBeNull()
    const g1 = { type: 'group_id', value: 'g1' }
    expect((await q().findByIdentifier('accounts', g1))?.id).toBe('acc_g1')
    expect((await q().findByIdentifier('users', g1))?.id).toBe('usr_jane')
    expect(
      await q().findByIdentifier('users', { type: 'user_id', value: 'jane@example.com' }),
    ).toBeNull()
  })

  it('does not find a dropped identifier, which belongs to no profile', async () => {
    const shared = { type: 'anonymous_id', value: 'shared' }
    expect(await q().findByIdentifier('users', shared)).toBeNull()
  })

  it('lists identifiers oldest first (ties by type, value), paged, filtered by type', async () => {
    const key = (i: IdentifierRecord) => `${i.type}:${i.value}`
    const pages = await allPages((cursor) =>
      q().identifiers('usr_jane', { limit: 2, ...(cursor ? { cursor } : {}) }),
    )
    expect(pages.map((p) => p.map(key))).toEqual([
      ['anonymous_id:anon-1', 'email:jane@example.com'],
      ['user_id:u1', 'group_id:g1'],
      ['group_id:g2'],
    ])
    const first = pages[0]?.[0]
    expect(first).toEqual(scenario.identifiers[0])
    const typed = await q().identifiers('usr_jane', { limit: 10, types: ['email', 'group_id'] })
    expect(typed.data.map(key)).toEqual(['email:jane@example.com', 'group_id:g1', 'group_id:g2'])
    expect(typed.next).toBeNull()
    expect((await q().identifiers('usr_jane', { limit: 10, types: [] })).data).toEqual([])
    expect((await q().identifiers('usr_missing', { limit: 10 })).data).toEqual([])
    await expectInvalidCursor(q().identifiers('usr_jane', { limit: 2, cursor: 'bm90LWEta2V5' }))
  })

  it('links a user to the accounts of its group calls and an account to its users', async () => {
    expect((await q().links('usr_jane', 20)).map((p) => p.id)).toEqual(['acc_g2', 'acc_g1'])
    expect((await q().links('usr_jane', 1)).map((p) => p.id)).toEqual(['acc_g2'])
    expect((await q().links('acc_g1', 20)).map((p) => p.id)).toEqual(['usr_jane'])
    expect(await q().links('usr_bob', 20)).toEqual([])
  })

  it('counts profiles per collection and identifiers', async () => {
    expect(await q().totals()).toEqual({
      users: 4,
      accounts: 2,
      identifiers: scenario.identifiers.length,
    })
  })
}

function describeTimeline(q: () => ProfileQuery, scenario: Scenario): void {
  const seqs = (page: Page<{ seq: number }>) => page.data.map((e) => e.seq)

  it('lists a profile events newest first with the stored event, ties by seq', async () => {
    const page = await q().events('usr_jane', { limit: 10 })
    expect(seqs(page)).toEqual([5, 4, 7, 3, 2, 1])
    expect(page.next).toBeNull()
    const { event, ...rest } = page.data[3] ?? { event: {} }
    expect(rest).toEqual({
      seq: 3,
      sourceId: 'src_web',
      type: 'track',
      messageId: 'm-3',
      timestamp: minute(3),
    })
    expect(event).toEqual(JSON.parse(scenario.events[2]?.payload ?? 'null'))
  })

  it('pages events through timestamp ties in both directions', async () => {
    const desc = await allPages((cursor) =>
      q().events('usr_jane', { limit: 3, ...(cursor ? { cursor } : {}) }),
    )
    expect(desc.map((p) => p.map((e) => e.seq))).toEqual([
      [5, 4, 7],
      [3, 2, 1],
    ])
    const asc = await allPages((cursor) =>
      q().events('usr_jane', { limit: 2, sort: 'asc', ...(cursor ? { cursor } : {}) }),
    )
    expect(asc.map((p) => p.map((e) => e.seq))).toEqual([
      [1, 2],
      [3, 7],
      [4, 5],
    ])
  })

  it('filters events by [start, end) and by name', async () => {
    const window = await q().events('usr_jane', { limit: 10, start: minute(2), end: minute(5) })
    expect(seqs(window)).toEqual([7, 3, 2])
    const named = await q().events('usr_jane', { limit: 10, include: ['Order Completed', 'Home'] })
    expect(seqs(named)).toEqual([3, 1])
    const excluded = await q().events('usr_jane', { limit: 10, exclude: ['Home', 'Added'] })
    expect(seqs(excluded)).toEqual([5, 4, 3, 2])
    expect(seqs(await q().events('usr_jane', { limit: 10, include: [] }))).toEqual([])
    expect(seqs(await q().events('usr_bob', { limit: 10 }))).toEqual([])
  })

  it('rejects a cursor it did not make', async () => {
    await expectInvalidCursor(q().events('usr_jane', { limit: 2, cursor: '!!' }))
    const other = await q().identifiers('usr_jane', { limit: 1 })
    await expectInvalidCursor(q().events('usr_jane', { limit: 2, cursor: other.next ?? '' }))
  })
}

function describeSearch(q: () => ProfileQuery, s: () => ProfileQueryContractSubject): void {
  const ids = (page: Page<ProfileRecord>) => page.data.map((p) => p.id)
  const search = (text: string, collection: Collection = 'users', limit = 10) =>
    q().search({ q: text, collection }, { limit })

  it('matches an identifier value exactly, of any type or as type:value', async () => {
    expect(ids(await search('u1'))).toEqual(['usr_jane'])
    expect(ids(await search('user_id:u2'))).toEqual(['usr_bob'])
    expect(ids(await search('email:jane@example.com'))).toEqual(['usr_jane'])
    expect(ids(await search('g1', 'accounts'))).toEqual(['acc_g1'])
  })

  it('otherwise matches identifier prefixes and trait values, newest first, ignoring case', async () => {
    expect(ids(await search('jane'))).toEqual(['usr_jane', 'usr_anon'])
    expect(ids(await search('JANE'))).toEqual(['usr_jane', 'usr_anon'])
    expect(ids(await search('anon-'))).toEqual(['usr_jane', 'usr_anon', 'usr_carl'])
    expect(ids(await search('paris'))).toEqual(['usr_jane'])
    expect(ids(await search('acme'))).toEqual(['usr_bob'])
    expect(ids(await search('account', 'accounts'))).toEqual(['acc_g2', 'acc_g1'])
  })

  it('never matches trait names or provenance, and escapes LIKE wildcards', async () => {
    expect(ids(await search('janefan'))).toEqual([])
    expect(ids(await search('jane-message'))).toEqual([])
    expect(ids(await search('src_web'))).toEqual([])
    expect(ids(await search('50% now'))).toEqual(['usr_carl'])
    expect(ids(await search('u_'))).toEqual([])
    expect(ids(await search('nothing-like-this'))).toEqual([])
  })

  it('lists every profile of the collection for an empty query, paged', async () => {
    const pages = await allPages((cursor) =>
      q().search({ q: '', collection: 'users' }, { limit: 3, ...(cursor ? { cursor } : {}) }),
    )
    expect(pages.map((p) => p.map((r) => r.id))).toEqual([
      ['usr_jane', 'usr_bob', 'usr_anon'],
      ['usr_carl'],
    ])
    await expectInvalidCursor(q().search({ q: '', collection: 'users' }, { limit: 1, cursor: 'x' }))
  })

  it('pages exact and substring results without switching sets', async () => {
    const exact = await allPages((cursor) =>
      q().search({ q: 'g1', collection: 'users' }, { limit: 1, ...(cursor ? { cursor } : {}) }),
    )
    expect(exact).toEqual([[expect.objectContaining({ id: 'usr_jane' })]])
    const fuzzy = await allPages((cursor) =>
      q().search({ q: 'a', collection: 'users' }, { limit: 2, ...(cursor ? { cursor } : {}) }),
    )
    expect(fuzzy.map((p) => p.map((r) => r.id))).toEqual([
      ['usr_jane', 'usr_bob'],
      ['usr_anon', 'usr_carl'],
    ])
  })

  it('finds trait matches past many coarse candidates that fail the value check', async () => {
    const decoys = Array.from({ length: 230 }, (_, i) =>
      buildProfileRecord({
        id: `usr_decoy_${String(i).padStart(3, '0')}`,
        traits: { zebra: trait('no') },
        lastSeen: minute(1000 + i),
      }),
    )
    const real = buildProfileRecord({ id: 'usr_real', traits: { x: trait('zebra crossing') } })
    await s().seed({ profiles: [...decoys, real] })
    expect(ids(await search('zebra'))).toEqual(['usr_real'])
  })
}

function describeHistory(q: () => ProfileQuery, scenario: Scenario): void {
  it('lists the merge history oldest first, paged, with ids', async () => {
    const pages = await allPages((cursor) =>
      q().history('usr_jane', { limit: 2, ...(cursor ? { cursor } : {}) }),
    )
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1])
    const all = pages.flat()
    expect(all.map(({ id: _id, ...edge }) => edge)).toEqual(scenario.edges.slice(0, 5))
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => a - b))
    await expectInvalidCursor(q().history('usr_jane', { limit: 2, cursor: 'e30' }))
  })

  it('returns edges of the profile up to a limit', async () => {
    expect((await q().edges('usr_jane', 100)).map((e) => e.kind)).toEqual([
      'create',
      'attach',
      'attach',
      'merge',
      'drop',
    ])
    expect(await q().edges('usr_jane', 2)).toHaveLength(2)
    expect((await q().edges('usr_bob', 100))[0]).toMatchObject({ kind: 'create', from: null })
  })

  it('lists rebuilds of a component newest first, exact component ids only', async () => {
    const rebuilds = await q().rebuilds('cmp_usr_jane', 10)
    expect(rebuilds.map((r) => r.at)).toEqual([minute(40), minute(20)])
    expect(rebuilds[1]).toEqual(scenario.fixture.rebuilds?.[0])
    expect(await q().rebuilds('cmp_usr_jane', 1)).toHaveLength(1)
    expect(await q().rebuilds('cmp_none', 10)).toEqual([])
  })

  it('lists overrides naming any identifier, as a or b, in one collection', async () => {
    const kinds = (list: IdentityOverride[]) => list.map((o) => `${o.kind}:${o.a.value}`)
    const bob = { type: 'email', value: 'bob@example.org' }
    const shared = { type: 'anonymous_id', value: 'shared' }
    const u1 = { type: 'user_id', value: 'u1' }
    expect(kinds(await q().overrides('users', [bob]))).toEqual(['separate:u1'])
    expect(kinds(await q().overrides('users', [u1, shared]))).toEqual([
      'block:shared',
      'separate:u1',
    ])
    expect(await q().overrides('accounts', [shared])).toEqual([])
    expect(await q().overrides('users', [{ type: 'x', value: 'y' }])).toEqual([])
    const all = await q().overrides('users', [])
    expect(all.map((o) => o.reason)).toEqual(['shared device', 'typo'])
    const { id, ...stored } = all[1] ?? { id: 0 }
    expect(Number.isSafeInteger(id)).toBe(true)
    expect(stored).toEqual(scenario.fixture.overrides?.[1])
  })
}
