import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EventQuery, EventStore } from '../events/index.js'
import {
  compileIdentityRules,
  DEFAULT_IDENTITY_CONFIG,
  resolveBatch,
  type IdentityStore,
  type ProfileQuery,
} from '../identity/index.js'
import { systemClock } from '../platform/clock.js'
import {
  BUILDER_EPOCH,
  buildEventItem,
  buildLogEntries,
  buildRejectionItem,
} from '../testing/builders.js'
import type { ErasureTarget, SubjectEventFinder } from './erasure-target.js'
import { expandSubject } from './expand-subject.js'
import type { ErasureSubject, Regulation, RegulationTask } from './model.js'
import type { RegulationStore } from './regulation-store.js'

/** What the suites need of a storage (a SQLite or PostgreSQL `Storage` satisfies it). */
export interface RegulationStoreContractSubject {
  readonly regulations: RegulationStore
  readonly erasure: { targets: readonly ErasureTarget[]; finder: SubjectEventFinder }
  readonly eventStore: EventStore
  readonly eventQuery: EventQuery
  readonly identityStore: IdentityStore
  readonly profileQuery: ProfileQuery
  close(): Promise<void>
}

function regulation(
  id: string,
  createdAt: number,
  overrides: Partial<Regulation> = {},
): Regulation {
  return {
    id,
    type: 'DELETE_INTERNAL',
    subjectType: 'USER_ID',
    subjectIds: ['u1'],
    subject: { profileIds: ['p1'], identifiers: [{ type: 'user_id', value: 'u1' }] },
    status: 'INITIALIZED',
    logPosition: 7,
    actor: 'admin',
    createdAt,
    finishedAt: null,
    ...overrides,
  }
}

function task(regulationId: string, position: number, target: string): RegulationTask {
  return {
    regulationId,
    position,
    kind: 'store',
    target,
    name: target,
    status: 'INITIALIZED',
    errString: null,
    attempts: 0,
    removed: {},
    startedAt: null,
    finishedAt: null,
  }
}

const none = { add: [], remove: [] }

/** The guarantees of {@link RegulationStore}, for every adapter. */
export function describeRegulationStoreContract(
  name: string,
  open: () => Promise<RegulationStoreContractSubject>,
): void {
  describe(`RegulationStore contract (${name})`, () => {
    let subject: RegulationStoreContractSubject
    let store: RegulationStore
    beforeEach(async () => {
      subject = await open()
      store = subject.regulations
    })
    afterEach(async () => {
      await subject.close()
    })

    it('stores a request with its tasks and reads them back', async () => {
      const r = regulation('reg_1', 1000)
      await store.create(r, [task('reg_1', 0, 'events'), task('reg_1', 1, 'identity')], none)
      expect(await store.get('reg_1')).toEqual(r)
      expect((await store.tasks('reg_1')).map((t) => t.target)).toEqual(['events', 'identity'])
      expect(await store.get('reg_nope')).toBeNull()
      expect(await store.tasks('reg_nope')).toEqual([])
    })

    it('updates tasks and statuses; unfinished lists open requests oldest first', async () => {
      await store.create(regulation('reg_b', 2000), [task('reg_b', 0, 'events')], none)
      await store.create(regulation('reg_a', 1000), [task('reg_a', 0, 'events')], none)
      await store.create(regulation('reg_c', 3000, { status: 'FINISHED' }), [], none)
      expect((await store.unfinished()).map((r) => r.id)).toEqual(['reg_a', 'reg_b'])
      await store.updateTask('reg_a', 0, { status: 'RUNNING', startedAt: 1100 })
      await store.updateTask('reg_a', 0, {
        status: 'FINISHED',
        removed: { events: 3 },
        finishedAt: 1200,
      })
      const [done] = await store.tasks('reg_a')
      expect(done).toMatchObject({
        status: 'FINISHED',
        removed: { events: 3 },
        startedAt: 1100,
        finishedAt: 1200,
        attempts: 0,
        errString: null,
      })
      await store.setStatus('reg_a', 'FINISHED', 1300)
      expect(await store.get('reg_a')).toMatchObject({ status: 'FINISHED', finishedAt: 1300 })
      expect((await store.unfinished()).map((r) => r.id)).toEqual(['reg_b'])
    })

    it('lists newest first, by pages, filtered by status', async () => {
      for (let i = 0; i < 5; i++) {
        const status = i % 2 === 0 ? 'FINISHED' : 'RUNNING'
        await store.create(regulation(`reg_${i}`, 1000 + i, { status }), [], none)
      }
      const first = await store.list({ limit: 2 })
      expect(first.data.map((r) => r.id)).toEqual(['reg_4', 'reg_3'])
      const second = await store.list({ limit: 2, cursor: first.next ?? '' })
      expect(second.data.map((r) => r.id)).toEqual(['reg_2', 'reg_1'])
      const last = await store.list({ limit: 2, cursor: second.next ?? '' })
      expect(last.data.map((r) => r.id)).toEqual(['reg_0'])
      expect(last.next).toBeNull()
      const running = await store.list({ limit: 10, status: 'RUNNING' })
      expect(running.data.map((r) => r.id)).toEqual(['reg_3', 'reg_1'])
      await expect(store.list({ limit: 2, cursor: 'garbage' })).rejects.toMatchObject({
        code: 'REGULATIONS_INVALID_REQUEST',
      })
    })

    it('suppresses, and unsuppresses everything suppressed with an identifier', async () => {
      const person = [
        { type: 'user_id', value: 'u1' },
        { type: 'anonymous_id', value: 'a1' },
      ]
      await store.create(regulation('reg_s', 1000), [], { add: person, remove: [] })
      await store.create(regulation('reg_t', 1001), [], {
        add: [{ type: 'user_id', value: 'u2' }, person[0] ?? { type: '', value: '' }],
        remove: [],
      })
      expect((await store.suppressed()).map((s) => [s.type, s.value, s.regulationId])).toEqual([
        ['anonymous_id', 'a1', 'reg_s'],
        ['user_id', 'u1', 'reg_s'],
        ['user_id', 'u2', 'reg_t'],
      ])
      await store.create(regulation('reg_u', 1002, { type: 'UNSUPPRESS' }), [], {
        add: [],
        remove: [{ type: 'user_id', value: 'u1' }],
      })
      expect((await store.suppressed()).map((s) => s.value)).toEqual(['u2'])
    })

    it('restricts by identifier, idempotently, and lifts by identifier or profile', async () => {
      const ids = [
        { type: 'user_id', value: 'u1' },
        { type: 'email', value: 'a@x.com' },
      ]
      await store.restrict(ids, { profileId: 'p1', actor: 'admin', at: 1000 })
      await store.restrict(ids.slice(0, 1), { profileId: 'p9', actor: 'other', at: 2000 })
      await store.restrict([{ type: 'user_id', value: 'u2' }], {
        profileId: 'p2',
        actor: 'admin',
        at: 3000,
      })
      expect((await store.restricted()).map((r) => [r.type, r.value, r.profileId])).toEqual([
        ['email', 'a@x.com', 'p1'],
        ['user_id', 'u1', 'p1'],
        ['user_id', 'u2', 'p2'],
      ])
      await store.unrestrict([{ type: 'user_id', value: 'u1' }], 'p1')
      expect((await store.restricted()).map((r) => r.value)).toEqual(['u2'])
    })

    it('adds suppressed counts to the ingest counters', async () => {
      await subject.eventStore.apply(
        'store',
        buildLogEntries(1, [buildEventItem({ sourceId: 'src_a', receivedAt: BUILDER_EPOCH })]),
      )
      await store.addSuppressedCounts([
        { sourceId: 'src_a', minute: BUILDER_EPOCH, count: 2 },
        { sourceId: 'src_b', minute: BUILDER_EPOCH, count: 1 },
      ])
      await store.addSuppressedCounts([{ sourceId: 'src_a', minute: BUILDER_EPOCH, count: 3 }])
      const rows = await subject.eventQuery.stats({
        since: BUILDER_EPOCH,
        until: BUILDER_EPOCH + 60_000,
      })
      expect(rows.map((r) => [r.sourceId, r.accepted, r.suppressed])).toEqual([
        ['src_a', 1, 5],
        ['src_b', 0, 1],
      ])
    })
  })

  describe(`erasure targets (${name})`, () => {
    let subject: RegulationStoreContractSubject
    beforeEach(async () => {
      subject = await open()
    })
    afterEach(async () => {
      await subject.close()
    })

    /** Person A (user a, anonymous ids a1 and a2) and person B, stored and resolved. */
    async function seed(): Promise<void> {
      const t = BUILDER_EPOCH
      const items = [
        buildEventItem({ messageId: 'a-1', userId: null, anonymousId: 'a1', timestamp: t }),
        buildEventItem({ messageId: 'a-2', userId: 'a', anonymousId: 'a1', timestamp: t + 1 }),
        buildEventItem({ messageId: 'a-3', userId: 'a', anonymousId: 'a2', timestamp: t + 2 }),
        buildEventItem({ messageId: 'b-1', userId: 'b', anonymousId: 'b1', timestamp: t + 3 }),
        buildRejectionItem({ messageId: 'a-9', payload: '{"type":"track","userId":"a"}' }),
        buildRejectionItem({ messageId: 'b-9', payload: '{"type":"track","userId":"b"}' }),
      ]
      await subject.eventStore.apply('store', buildLogEntries(1, items))
      // Stored after identity ran: found through the user_id column only.
      await subject.identityStore.readEvents(0, 100).then((events) =>
        resolveBatch({
          store: subject.identityStore,
          rules: compileIdentityRules(DEFAULT_IDENTITY_CONFIG),
          consumer: 'identity',
          events,
          clock: systemClock,
        }),
      )
      await subject.eventStore.apply(
        'store',
        buildLogEntries(7, [buildEventItem({ messageId: 'a-4', userId: 'a', timestamp: t + 4 })]),
      )
    }

    async function subjectOf(userId: string): Promise<ErasureSubject> {
      const profile = await subject.profileQuery.findByIdentifier('users', {
        type: 'user_id',
        value: userId,
      })
      const ids = profile
        ? (await subject.profileQuery.identifiers(profile.id, { limit: 100 })).data
        : []
      return expandSubject([
        {
          requested: { type: 'user_id', value: userId },
          profileId: profile?.id ?? null,
          identifiers: ids.map((i) => ({ type: i.type, value: i.value })),
        },
      ])
    }

    async function messageIds(): Promise<string[]> {
      const page = await subject.eventQuery.events({}, { limit: 100 })
      return page.data.map((e) => String(e.event.messageId)).sort()
    }

    it('erases the person from every store, leaves the other, and is idempotent', async () => {
      await seed()
      const person = await subjectOf('a')
      expect(person.profileIds).toHaveLength(1)
      const events = await subject.erasure.finder.find(person)
      expect([...events.messageIds].sort()).toEqual(['a-1', 'a-2', 'a-3', 'a-4'])
      const removed: Record<string, number> = {}
      for (const target of subject.erasure.targets) {
        for (const [table, n] of Object.entries(await target.erase(person, events))) {
          removed[table] = (removed[table] ?? 0) + n
        }
      }
      expect(removed).toMatchObject({ events: 4, rejected_events: 1, profiles: 1 })
      expect(removed.profile_events).toBe(3)
      expect(await messageIds()).toEqual(['b-1'])
      const rejected = await subject.eventQuery.rejected({}, { limit: 10 })
      expect(rejected.data.map((r) => r.messageId)).toEqual(['b-9'])
      for (const value of ['a', 'a1', 'a2']) {
        for (const type of ['user_id', 'anonymous_id']) {
          expect(await subject.profileQuery.findByIdentifier('users', { type, value })).toBeNull()
        }
      }
      const other = await subject.profileQuery.findByIdentifier('users', {
        type: 'user_id',
        value: 'b',
      })
      expect(other).not.toBeNull()
      expect((await subject.profileQuery.history(other?.id ?? '', { limit: 10 })).data).not.toEqual(
        [],
      )
      // Again: nothing left to remove, no failure.
      const again = await subject.erasure.finder.find(person)
      expect(again.seqs).toEqual([])
      for (const target of subject.erasure.targets) {
        const counts = await target.erase(person, again)
        expect(Object.values(counts).every((n) => n === 0)).toBe(true)
      }
    })
  })
}
