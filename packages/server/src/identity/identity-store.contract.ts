import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EventStore, LogItem } from '../events/index.js'
import { BUILDER_EPOCH, buildEventItem, buildLogEntries } from '../testing/builders.js'
import type { GraphWrite, IdentityStore, IdentityTx } from './identity-store.js'
import {
  orderKey,
  type ComponentRecord,
  type GraphSlice,
  type IdentifierRecord,
  type IdentityEdge,
  type IdentityOverride,
  type ProfileEventRecord,
  type ProfileRecord,
  type RebuildRecord,
} from './model.js'

/**
 * Direct reads of tables the port only writes, so the suite can observe them: rows in
 * insertion order (edges and rebuilds by id; profile events by seq, then collection).
 */
export interface IdentityTables {
  edges(): Promise<Array<IdentityEdge & { id: number }>>
  profileEvents(): Promise<ProfileEventRecord[]>
  rebuilds(): Promise<RebuildRecord[]>
  /** Who last wrote the setting and when, or null. */
  settingMeta(key: string): Promise<{ updatedAt: number; updatedBy: string } | null>
}

/**
 * What the {@link IdentityStore} suite needs from an adapter: the store, the event store of the
 * same database (to fill `events`), and direct table reads.
 */
export interface IdentityStoreContractSubject {
  readonly identityStore: IdentityStore
  readonly eventStore: EventStore
  readonly tables: IdentityTables
  /** The clock time the store writes into `settings.updated_at`. */
  readonly now: number
  close(): Promise<void>
}

const T0 = BUILDER_EPOCH

function ident(
  type: string,
  value: string,
  over: Partial<IdentifierRecord> = {},
): IdentifierRecord {
  return {
    collection: 'users',
    type,
    value,
    componentId: 'cmp_1',
    profileId: 'usr_1',
    addedAt: T0,
    firstSeen: T0,
    firstMessageId: 'm-1',
    firstSourceId: 'src_test',
    ...over,
  }
}

function profile(id: string, over: Partial<ProfileRecord> = {}): ProfileRecord {
  return {
    id,
    collection: 'users',
    componentId: 'cmp_1',
    traits: {
      plan: { value: 'pro', sourceId: 'src_test', messageId: 'm-1', timestamp: T0 },
      address: {
        value: { city: 'Zürich', tags: ['a', 1, true, null] },
        sourceId: 'src_web',
        messageId: 'm-2',
        timestamp: T0 + 5,
      },
      removed: { value: null, sourceId: 'src_test', messageId: 'm-3', timestamp: T0 + 9 },
      empty: { value: '', sourceId: 'src_test', messageId: 'm-3', timestamp: T0 + 9 },
    },
    counts: { track: 3, identify: 1 },
    merges: 0,
    firstSeen: T0,
    lastSeen: T0 + 9,
    firstMessageId: 'm-1',
    firstSourceId: 'src_test',
    lastMessageId: 'm-3',
    lastSourceId: 'src_test',
    createdAt: T0 + 100,
    updatedAt: T0 + 200,
    ...over,
  }
}

function component(id: string, over: Partial<ComponentRecord> = {}): ComponentRecord {
  return { id, maxKey: orderKey(T0 + 9, 'm-3'), events: 3, ...over }
}

function profileEvent(seq: number, over: Partial<ProfileEventRecord> = {}): ProfileEventRecord {
  const timestamp = over.timestamp ?? T0 + seq
  const messageId = over.messageId ?? `m-${seq}`
  return {
    seq,
    collection: 'users',
    componentId: 'cmp_1',
    profileId: 'usr_1',
    orderKey: orderKey(timestamp, messageId),
    timestamp,
    messageId,
    identifiers: [{ type: 'user_id', value: 'u1' }],
    ...over,
  }
}

function edge(over: Partial<IdentityEdge> = {}): IdentityEdge {
  return {
    collection: 'users',
    componentId: 'cmp_1',
    profileId: 'usr_1',
    kind: 'attach',
    from: { type: 'user_id', value: 'u1' },
    to: { type: 'email', value: 'a@example.com' },
    rule: 'shared-identifier:user_id',
    mergedProfileId: null,
    seq: 1,
    messageId: 'm-1',
    sourceId: 'src_test',
    timestamp: T0,
    ...over,
  }
}

function override(over: Partial<Omit<IdentityOverride, 'id'>> = {}): Omit<IdentityOverride, 'id'> {
  return {
    collection: 'users',
    kind: 'separate',
    a: { type: 'email', value: 'a@example.com' },
    b: { type: 'user_id', value: 'u1' },
    reason: 'shared device',
    actor: 'admin',
    createdAt: T0,
    ...over,
  }
}

const EMPTY: GraphWrite = {
  deleteComponents: [],
  relabelComponents: [],
  moveProfiles: [],
  components: [],
  identifiers: [],
  profiles: [],
  events: [],
  edges: [],
}

const idKey = (r: IdentifierRecord): string => `${r.collection}|${r.type}|${r.value}`
const byKey =
  <T>(key: (r: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : 1

/** A slice with every list sorted, for comparisons that ignore row order. */
function sorted<S extends GraphSlice>(slice: S): S {
  return {
    ...slice,
    identifiers: [...slice.identifiers].sort(byKey(idKey)),
    profiles: [...slice.profiles].sort(byKey((p) => p.id)),
    components: [...slice.components].sort(byKey((c) => c.id)),
  }
}

/** Two profiles in two components, a dropped identifier, and the same value in accounts. */
const GRAPH: GraphWrite = {
  ...EMPTY,
  components: [component('cmp_1'), component('cmp_2', { events: 1 })],
  identifiers: [
    ident('user_id', 'u1'),
    ident('email', 'a@example.com'),
    ident('url', 'https://example.com/a:b'),
    ident('email', 'dropped@example.com', { profileId: null, addedAt: null }),
    ident('anonymous_id', 'an2', { componentId: 'cmp_2', profileId: 'usr_2' }),
    ident('group_id', 'g1', { componentId: 'cmp_2', profileId: 'usr_2' }),
    ident('group_id', 'g1', { collection: 'accounts', componentId: 'cmp_a', profileId: 'acc_1' }),
  ],
  profiles: [
    profile('usr_1'),
    profile('usr_2', { componentId: 'cmp_2', traits: {}, counts: {} }),
    profile('acc_1', { collection: 'accounts', componentId: 'cmp_a' }),
  ],
}

/**
 * The guarantees documented on {@link IdentityStore} and {@link IdentityTx}, for every adapter.
 * `open` is called before each test and must return an empty, migrated database.
 */
export function describeIdentityStoreContract(
  name: string,
  open: () => Promise<IdentityStoreContractSubject>,
): void {
  describe(`IdentityStore contract: ${name}`, () => {
    let subject: IdentityStoreContractSubject
    let store: IdentityStore

    beforeEach(async () => {
      subject = await open()
      store = subject.identityStore
    })

    afterEach(async () => {
      await subject.close()
    })

    const write = (changes: Partial<GraphWrite>): Promise<void> =>
      store.transact((tx) => tx.write({ ...EMPTY, ...changes }))
    const slice = async (keys: string[], collection: 'users' | 'accounts' = 'users') =>
      sorted(await store.transact((tx) => tx.loadSlice(collection, keys)))
    const whole = async (ids: string[]) =>
      sorted(await store.transact((tx) => tx.loadComponents(ids)))
    const seed = (items: LogItem[]) => subject.eventStore.apply('store', buildLogEntries(1, items))

    describe('events', () => {
      it('reads stored events after a seq, ascending, at most limit; head is the highest seq', async () => {
        expect(await store.eventsHead()).toBe(0)
        expect(await store.readEvents(0, 10)).toEqual([])
        const items = [1, 2, 3, 4].map((i) =>
          buildEventItem({ type: i === 2 ? 'identify' : 'track', timestamp: T0 + i }),
        )
        const duplicate = buildEventItem({ messageId: items[0]!.record.messageId })
        await seed([...items, duplicate])
        const all = await store.readEvents(0, 10)
        expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4])
        const r = items[1]!.record
        expect(all[1]).toEqual({
          seq: 2,
          messageId: r.messageId,
          sourceId: r.sourceId,
          type: 'identify',
          timestamp: T0 + 2,
          payload: r.payload,
        })
        expect((await store.readEvents(1, 2)).map((e) => e.seq)).toEqual([2, 3])
        expect(await store.readEvents(4, 10)).toEqual([])
        expect(await store.eventsHead()).toBe(4)
      })
    })

    describe('records', () => {
      it('round-trips identifiers, profiles and components exactly', async () => {
        await write(GRAPH)
        const loaded = await whole(['cmp_1', 'cmp_2', 'cmp_a'])
        expect(loaded.identifiers).toEqual([...GRAPH.identifiers].sort(byKey(idKey)))
        expect(loaded.profiles).toEqual([...GRAPH.profiles].sort(byKey((p) => p.id)))
        expect(loaded.components).toEqual(GRAPH.components)
        expect(loaded.overrides).toEqual([])
      })

      it('round-trips profile events, edges, overrides and rebuilds', async () => {
        const events = [
          profileEvent(1),
          profileEvent(2, { identifiers: [{ type: 'email', value: 'é@example.com' }] }),
        ]
        const edges = [
          edge({ kind: 'create', from: null, to: { type: 'user_id', value: 'u1' } }),
          edge({ kind: 'merge', mergedProfileId: 'usr_9', seq: 2, messageId: 'm-2' }),
        ]
        const rebuild: RebuildRecord = {
          collection: 'users',
          componentIds: ['cmp_1', 'cmp_2'],
          reason: 'late-event',
          events: 12,
          profilesBefore: ['usr_1', 'usr_2'],
          profilesAfter: ['usr_1'],
          actor: null,
          at: T0 + 1,
        }
        const added = await store.transact(async (tx) => {
          await tx.write({ ...EMPTY, events, edges })
          await tx.recordRebuild(rebuild)
          await tx.recordRebuild({ ...rebuild, reason: 'split', actor: 'admin' })
          return [
            await tx.addOverride(override()),
            await tx.addOverride(override({ kind: 'block', b: null })),
          ]
        })
        expect(await subject.tables.profileEvents()).toEqual(events)
        const stored = await subject.tables.edges()
        expect(stored.map(({ id: _id, ...rest }) => rest)).toEqual(edges)
        expect(stored[0]!.id).toBeLessThan(stored[1]!.id)
        expect(await subject.tables.rebuilds()).toEqual([
          rebuild,
          { ...rebuild, reason: 'split', actor: 'admin' },
        ])
        expect(added[0]).toEqual({ ...override(), id: added[0]!.id })
        expect(added[1]!.id).toBeGreaterThan(added[0]!.id)
        const found = await slice(['user_id:u1', 'email:a@example.com'])
        expect(found.overrides).toEqual(added)
      })
    })

    describe('loadSlice', () => {
      beforeEach(async () => {
        await write(GRAPH)
      })

      it('returns matched identifiers, their profiles with every identifier, and components', async () => {
        const found = await slice(['user_id:u1', 'user_id:u1', 'phone:+15550001'])
        expect(found.identifiers.map(idKey)).toEqual([
          'users|email|a@example.com',
          'users|url|https://example.com/a:b',
          'users|user_id|u1',
        ])
        expect(found.profiles.map((p) => p.id)).toEqual(['usr_1'])
        expect(found.profiles[0]).toEqual(profile('usr_1'))
        expect(found.components).toEqual([component('cmp_1')])
      })

      it('returns an identifier without a profile and its component', async () => {
        const found = await slice(['email:dropped@example.com', 'url:https://example.com/a:b'])
        expect(found.identifiers.map((r) => r.value)).toEqual([
          'a@example.com',
          'dropped@example.com',
          'https://example.com/a:b',
          'u1',
        ])
        expect(found.profiles.map((p) => p.id)).toEqual(['usr_1'])
      })

      it('joins several profiles and components, and keeps collections apart', async () => {
        const users = await slice(['email:a@example.com', 'group_id:g1'])
        expect(users.profiles.map((p) => p.id)).toEqual(['usr_1', 'usr_2'])
        expect(users.components.map((c) => c.id)).toEqual(['cmp_1', 'cmp_2'])
        expect(users.identifiers).toHaveLength(5)
        const accounts = await slice(['group_id:g1', 'user_id:u1'], 'accounts')
        expect(accounts.identifiers.map(idKey)).toEqual(['accounts|group_id|g1'])
        expect(accounts.profiles.map((p) => p.id)).toEqual(['acc_1'])
        expect(accounts.components.map((c) => c.id)).toEqual([])
      })

      it('returns the overrides naming a key at either end, in their collection only', async () => {
        const [byA, byB] = await store.transact(async (tx) => [
          await tx.addOverride(
            override({ a: { type: 'user_id', value: 'u1' }, b: null, kind: 'block' }),
          ),
          await tx.addOverride(override({ a: { type: 'email', value: 'x@example.com' } })),
          await tx.addOverride(override({ collection: 'accounts' })),
          await tx.addOverride(
            override({ a: { type: 'email', value: 'other@example.com' }, b: null }),
          ),
        ])
        expect((await slice(['user_id:u1'])).overrides).toEqual([byA, byB])
        expect((await slice(['email:x@example.com'])).overrides).toEqual([byB])
        expect((await slice(['email:a@example.com'])).overrides).toEqual([])
      })

      it('returns an empty slice for no keys or unknown keys', async () => {
        const none = { identifiers: [], profiles: [], components: [], overrides: [] }
        expect(await slice([])).toEqual(none)
        expect(await slice(['user_id:nobody', 'no-colon'])).toEqual(none)
      })

      it('sees the writes made earlier in the same transaction', async () => {
        const found = await store.transact(async (tx) => {
          await tx.write({
            ...EMPTY,
            identifiers: [ident('user_id', 'new', { profileId: 'usr_2' })],
          })
          return tx.loadSlice('users', ['user_id:new'])
        })
        expect(found.profiles.map((p) => p.id)).toEqual(['usr_2'])
        expect(found.identifiers).toHaveLength(3)
      })
    })

    describe('loadComponents', () => {
      it('returns every row of the components and their events in order-key order, each once', async () => {
        const items = [
          buildEventItem({ messageId: 'b', timestamp: T0 + 20 }),
          buildEventItem({ messageId: 'a', timestamp: T0 + 20 }),
          buildEventItem({ messageId: 'c', timestamp: T0 + 10 }),
          buildEventItem({ messageId: 'd', timestamp: T0 + 30 }),
        ]
        await seed(items)
        const pe = (seq: number, over: Partial<ProfileEventRecord> = {}) =>
          profileEvent(seq, {
            messageId: items[seq - 1]!.record.messageId,
            timestamp: items[seq - 1]!.record.timestamp,
            ...over,
          })
        await write({
          ...GRAPH,
          events: [
            pe(1),
            pe(2),
            pe(3, { collection: 'accounts', profileId: 'acc_1', componentId: 'cmp_a' }),
            pe(3),
            pe(4, { componentId: 'cmp_2', profileId: 'usr_2' }),
          ],
        })
        const ov = await store.transact((tx) =>
          tx.addOverride(override({ kind: 'block', b: null })),
        )
        const loaded = await whole(['cmp_1', 'cmp_a', 'cmp_1'])
        expect(loaded.events.map((e) => e.messageId)).toEqual(['c', 'a', 'b'])
        expect(loaded.events[0]).toEqual({
          seq: 3,
          messageId: 'c',
          sourceId: items[2]!.record.sourceId,
          type: 'track',
          timestamp: T0 + 10,
          payload: items[2]!.record.payload,
        })
        expect(loaded.identifiers.map(idKey)).toEqual([
          'accounts|group_id|g1',
          'users|email|a@example.com',
          'users|email|dropped@example.com',
          'users|url|https://example.com/a:b',
          'users|user_id|u1',
        ])
        expect(loaded.profiles.map((p) => p.id)).toEqual(['acc_1', 'usr_1'])
        expect(loaded.components.map((c) => c.id)).toEqual(['cmp_1'])
        expect(loaded.overrides).toEqual([ov])
        expect((await whole(['cmp_404'])).events).toEqual([])
      })
    })

    describe('write', () => {
      beforeEach(async () => {
        await seed([buildEventItem(), buildEventItem()])
        await write({
          ...GRAPH,
          events: [profileEvent(1), profileEvent(2, { componentId: 'cmp_2', profileId: 'usr_2' })],
          edges: [edge(), edge({ componentId: 'cmp_2', profileId: 'usr_2', seq: 2 })],
        })
      })

      it('deleteComponents removes every row of the components', async () => {
        await write({ deleteComponents: ['cmp_1', 'cmp_a'] })
        const left = await whole(['cmp_1', 'cmp_2', 'cmp_a'])
        expect(left.identifiers.map((r) => r.componentId)).toEqual(['cmp_2', 'cmp_2'])
        expect(left.profiles.map((p) => p.id)).toEqual(['usr_2'])
        expect(left.components.map((c) => c.id)).toEqual(['cmp_2'])
        expect((await subject.tables.profileEvents()).map((e) => e.seq)).toEqual([2])
        expect((await subject.tables.edges()).map((e) => e.componentId)).toEqual(['cmp_2'])
        expect(left.events.map((e) => e.seq)).toEqual([2])
      })

      it('relabelComponents moves rows to the target and deletes the source component', async () => {
        await write({ relabelComponents: [{ from: 'cmp_2', to: 'cmp_1' }] })
        const joined = await whole(['cmp_1', 'cmp_2'])
        expect(new Set(joined.identifiers.map((r) => r.componentId))).toEqual(new Set(['cmp_1']))
        expect(joined.identifiers).toHaveLength(6)
        expect(joined.profiles.map((p) => [p.id, p.componentId])).toEqual([
          ['usr_1', 'cmp_1'],
          ['usr_2', 'cmp_1'],
        ])
        expect(joined.components.map((c) => c.id)).toEqual(['cmp_1'])
        expect(joined.events.map((e) => e.seq)).toEqual([1, 2])
        expect((await whole(['cmp_2'])).events).toEqual([])
        expect((await subject.tables.profileEvents()).map((e) => e.componentId)).toEqual([
          'cmp_1',
          'cmp_1',
        ])
        expect((await subject.tables.edges()).map((e) => e.componentId)).toEqual(['cmp_1', 'cmp_1'])
      })

      it('applies relabels one after the other', async () => {
        await write({
          relabelComponents: [
            { from: 'cmp_1', to: 'cmp_2' },
            { from: 'cmp_2', to: 'cmp_3' },
            { from: 'cmp_a', to: 'cmp_b' },
            { from: 'cmp_c', to: 'cmp_a' },
          ],
        })
        const rows = await whole(['cmp_1', 'cmp_2', 'cmp_3', 'cmp_a', 'cmp_b'])
        expect(new Set(rows.identifiers.map((r) => `${r.collection}:${r.componentId}`))).toEqual(
          new Set(['users:cmp_3', 'accounts:cmp_b']),
        )
        expect(rows.components).toEqual([])
      })

      it('moveProfiles moves identifiers, events and edges, and deletes the old profile', async () => {
        await write({ moveProfiles: [{ from: 'usr_2', to: 'usr_1' }] })
        const rows = await whole(['cmp_1', 'cmp_2'])
        expect(rows.profiles.map((p) => p.id)).toEqual(['usr_1'])
        expect(rows.identifiers.filter((r) => r.profileId === 'usr_2')).toEqual([])
        expect(rows.identifiers.filter((r) => r.profileId === 'usr_1')).toHaveLength(5)
        const dropped = rows.identifiers.find((r) => r.value === 'dropped@example.com')
        expect(dropped?.profileId).toBeNull()
        expect(rows.events.map((e) => e.seq)).toEqual([1, 2])
        expect((await subject.tables.profileEvents()).map((e) => e.profileId)).toEqual([
          'usr_1',
          'usr_1',
        ])
        expect((await subject.tables.edges()).map((e) => e.profileId)).toEqual(['usr_1', 'usr_1'])
      })

      it('runs the steps in the documented order within one write', async () => {
        await write({
          deleteComponents: ['cmp_1'],
          relabelComponents: [{ from: 'cmp_2', to: 'cmp_1' }],
          moveProfiles: [{ from: 'usr_2', to: 'usr_1' }],
          components: [component('cmp_1', { events: 7 })],
          identifiers: [ident('user_id', 'u1')],
          profiles: [profile('usr_1', { merges: 1 })],
          events: [profileEvent(3)],
          edges: [edge({ kind: 'merge', mergedProfileId: 'usr_2', seq: 3 })],
        })
        const rows = await whole(['cmp_1', 'cmp_2'])
        // usr_2's rows were relabelled to cmp_1 after cmp_1 was deleted, then moved to usr_1.
        expect(rows.identifiers.map((r) => [r.value, r.componentId, r.profileId])).toEqual([
          ['an2', 'cmp_1', 'usr_1'],
          ['g1', 'cmp_1', 'usr_1'],
          ['u1', 'cmp_1', 'usr_1'],
        ])
        expect(rows.profiles).toEqual([profile('usr_1', { merges: 1 })])
        expect(rows.components).toEqual([component('cmp_1', { events: 7 })])
        expect((await subject.tables.profileEvents()).map((e) => [e.seq, e.profileId])).toEqual([
          [2, 'usr_1'],
          [3, 'usr_1'],
        ])
        expect((await subject.tables.edges()).map((e) => [e.seq, e.kind, e.profileId])).toEqual([
          [2, 'attach', 'usr_1'],
          [3, 'merge', 'usr_1'],
        ])
      })

      it('upserts replace rows by primary key; a repeat within one write ends as the last', async () => {
        const moved = ident('user_id', 'u1', {
          profileId: 'usr_2',
          componentId: 'cmp_2',
          addedAt: T0 + 50,
        })
        await write({
          identifiers: [ident('user_id', 'u1', { profileId: null }), moved],
          profiles: [profile('usr_1', { counts: { track: 9 }, traits: {} })],
          components: [component('cmp_1', { events: 1 }), component('cmp_1', { events: 4 })],
          events: [profileEvent(1, { profileId: 'usr_2', identifiers: [] })],
        })
        expect((await slice(['user_id:u1'])).identifiers.find((r) => r.value === 'u1')).toEqual(
          moved,
        )
        const rows = await whole(['cmp_1'])
        expect(rows.profiles).toEqual([profile('usr_1', { counts: { track: 9 }, traits: {} })])
        expect(rows.components).toEqual([component('cmp_1', { events: 4 })])
        const events = await subject.tables.profileEvents()
        expect(events.find((e) => e.seq === 1)).toEqual(
          profileEvent(1, { profileId: 'usr_2', identifiers: [] }),
        )
        expect(events).toHaveLength(2)
      })
    })

    describe('transact', () => {
      it('keeps nothing of a transaction whose fn rejects, and rejects with its error', async () => {
        const failure = new Error('resolution failed')
        const attempt = store.transact(async (tx) => {
          await tx.write({ ...GRAPH, events: [profileEvent(1)], edges: [edge()] })
          await tx.commitOffset('identity', 9)
          await tx.addOverride(override())
          await tx.recordRebuild({
            collection: 'users',
            componentIds: ['cmp_1'],
            reason: 'split',
            events: 1,
            profilesBefore: [],
            profilesAfter: [],
            actor: 'admin',
            at: T0,
          })
          throw failure
        })
        await expect(attempt).rejects.toBe(failure)
        expect(await whole(['cmp_1', 'cmp_2', 'cmp_a'])).toEqual({
          identifiers: [],
          profiles: [],
          components: [],
          overrides: [],
          events: [],
        })
        expect(await store.transact((tx) => tx.offset('identity'))).toBe(0)
        expect(await subject.tables.profileEvents()).toEqual([])
        expect(await subject.tables.edges()).toEqual([])
        expect(await subject.tables.rebuilds()).toEqual([])
        expect((await slice(['email:a@example.com'])).overrides).toEqual([])
        await write(GRAPH)
        expect((await slice(['user_id:u1'])).profiles).toHaveLength(1)
      })

      it('returns what fn returns, and runs concurrent calls one at a time in call order', async () => {
        const steps: string[] = []
        const run = (label: string, pause: number) =>
          store.transact(async (tx) => {
            steps.push(`${label}:start`)
            await tx.loadSlice('users', ['user_id:u1'])
            await new Promise((resolve) => setTimeout(resolve, pause))
            await tx.write({ ...EMPTY, identifiers: [ident('user_id', label)] })
            steps.push(`${label}:end`)
            return label
          })
        const results = await Promise.all([run('a', 30), run('b', 0), run('c', 10)])
        expect(results).toEqual(['a', 'b', 'c'])
        expect(steps).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end'])
        expect((await slice(['user_id:a', 'user_id:b', 'user_id:c'])).identifiers).toHaveLength(3)
      })

      it('goes on after a rejected transaction, and refuses a transaction used after it ended', async () => {
        let leaked: IdentityTx | undefined
        await expect(
          store.transact((tx) => {
            leaked = tx
            return Promise.reject(new Error('no'))
          }),
        ).rejects.toThrow('no')
        await expect(leaked!.offset('identity')).rejects.toThrow()
        await expect(leaked!.write(GRAPH)).rejects.toThrow()
        expect(await store.transact(() => Promise.resolve(7))).toBe(7)
        expect((await slice(['user_id:u1'])).identifiers).toEqual([])
      })
    })

    describe('offsets and settings', () => {
      it('moves a consumer offset forward only, per consumer', async () => {
        const offsetOf = (consumer: string) => store.transact((tx) => tx.offset(consumer))
        expect(await offsetOf('identity')).toBe(0)
        await store.transact(async (tx) => {
          await tx.commitOffset('identity', 10)
          expect(await tx.offset('identity')).toBe(10)
          await tx.commitOffset('identity', 4)
          await tx.commitOffset('other', 2 ** 40)
        })
        expect(await offsetOf('identity')).toBe(10)
        expect(await offsetOf('other')).toBe(2 ** 40)
        await store.transact((tx) => tx.commitOffset('identity', 11))
        expect(await offsetOf('identity')).toBe(11)
      })

      it('round-trips settings as JSON and replaces them', async () => {
        expect(await store.getSetting('identity.rules')).toBeNull()
        const rules = { types: { email: { limit: 3, window: 'ever', priority: 2 } }, mergeCap: 100 }
        await store.putSetting('identity.rules', rules, 'admin')
        expect(await store.getSetting('identity.rules')).toEqual(rules)
        expect(await subject.tables.settingMeta('identity.rules')).toEqual({
          updatedAt: subject.now,
          updatedBy: 'admin',
        })
        await store.putSetting('identity.rules', ['replaced', 1, null], 'ops')
        expect(await store.getSetting('identity.rules')).toEqual(['replaced', 1, null])
        expect((await subject.tables.settingMeta('identity.rules'))?.updatedBy).toBe('ops')
        await store.putSetting('flag', false, 'ops')
        expect(await store.getSetting('flag')).toBe(false)
        expect(await store.getSetting('missing')).toBeNull()
      })
    })
  })
}
