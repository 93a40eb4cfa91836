import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EventStore } from '../events/index.js'
import { BUILDER_EPOCH, buildEventItem, buildLogEntries } from '../testing/builders.js'
import type {
  DeadLetterInput,
  DeliveryAdmin,
  DeliveryQueue,
  DestinationConfigStore,
  LaneCommit,
  RetryEntry,
} from './delivery-store.js'

/** What the delivery suite needs: the ports, and the event store of the same database. */
export interface DeliveryStoreContractSubject {
  readonly eventStore: EventStore
  readonly deliveryQueue: DeliveryQueue
  readonly deliveryAdmin: DeliveryAdmin
  readonly destinationConfigs: DestinationConfigStore
  close(): Promise<void>
}

const MINUTE = 60_000

function commit(parts: Partial<LaneCommit>): LaneCommit {
  return { retries: [], retriesDone: [], deadLetters: [], stats: [], errors: [], ...parts }
}

function retry(seq: number, messageId: string, nextAt: number, attempts = 1): RetryEntry {
  return {
    seq,
    messageId,
    sourceId: 'src_test',
    receivedAt: BUILDER_EPOCH,
    userKey: `user-${seq}`,
    attempts: Array.from({ length: attempts }, (_, i) => ({
      at: BUILDER_EPOCH + i,
      durationMs: 5,
      code: 'HTTP_500',
      httpStatus: 500,
      message: 'server error',
    })),
    firstAttemptAt: BUILDER_EPOCH,
    nextAt,
    payload: '',
    ownPayload: false,
  }
}

function dead(seq: number, messageId: string, code: string, failedAt: number): DeadLetterInput {
  return {
    seq,
    messageId,
    sourceId: 'src_test',
    receivedAt: BUILDER_EPOCH,
    payload: JSON.stringify({ type: 'track', event: 'Order Completed', messageId }),
    error: { code, message: `failed with ${code}`, httpStatus: 400 },
    attempts: [],
    firstAttemptAt: failedAt - 10,
    failedAt,
  }
}

/**
 * The guarantees documented on {@link DeliveryQueue}, {@link DeliveryAdmin} and
 * {@link DestinationConfigStore}, for every adapter. `open` returns an empty store.
 */
export function describeDeliveryStoreContract(
  name: string,
  open: () => Promise<DeliveryStoreContractSubject>,
): void {
  describe(`delivery store contract (${name})`, () => {
    let store: DeliveryStoreContractSubject
    let ids: string[]

    /** Stores `n` events received one minute apart from BUILDER_EPOCH; returns their messageIds. */
    async function storeEvents(first: number, n: number): Promise<string[]> {
      const items = Array.from({ length: n }, (_, i) =>
        buildEventItem({ receivedAt: BUILDER_EPOCH + (first - 1 + i) * MINUTE }),
      )
      await store.eventStore.apply('store', buildLogEntries(first, items))
      return items.map((item) => item.record.messageId)
    }

    beforeEach(async () => {
      store = await open()
      ids = await storeEvents(1, 5)
    })
    afterEach(async () => {
      await store.close()
    })

    it('reads events after a seq in order, within a seq and time range', async () => {
      const all = await store.deliveryQueue.readEvents(0, 10)
      expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5])
      expect(all[0]!.messageId).toBe(ids[0])
      expect((JSON.parse(all[0]!.payload) as { messageId: string }).messageId).toBe(ids[0])
      expect((await store.deliveryQueue.readEvents(2, 2)).map((e) => e.seq)).toEqual([3, 4])
      const ranged = await store.deliveryQueue.readEvents(0, 10, {
        toSeq: 4,
        from: BUILDER_EPOCH + MINUTE,
        to: BUILDER_EPOCH + 3 * MINUTE,
      })
      expect(ranged.map((e) => e.seq)).toEqual([2, 3])
      expect(await store.deliveryQueue.eventsHead()).toBe(5)
    })

    it('starts a new lane at the head and keeps it; the cursor only moves forward', async () => {
      const lane = await store.deliveryQueue.loadLane('hook')
      expect(lane).toEqual({ cursor: 5, backoff: null, blockedUsers: [] })
      await storeEvents(6, 2)
      expect((await store.deliveryQueue.loadLane('hook')).cursor).toBe(5)
      await store.deliveryQueue.commit('hook', commit({ cursor: 7 }))
      await store.deliveryQueue.commit('hook', commit({ cursor: 6 }))
      expect((await store.deliveryQueue.loadLane('hook')).cursor).toBe(7)
    })

    it('starts a lane where it is told, once', async () => {
      await store.deliveryAdmin.initLane('hook', 3)
      await store.deliveryAdmin.initLane('hook', 5)
      expect((await store.deliveryQueue.loadLane('hook')).cursor).toBe(3)
      const facts = await store.deliveryAdmin.traceEvent(ids[0]!)
      expect(facts!.lanes[0]).toMatchObject({ destinationId: 'hook', startSeq: 3 })
      expect((await store.deliveryQueue.readEvents(3, 10)).map((e) => e.seq)).toEqual([4, 5])
    })

    it('sets and clears a backoff with its history', async () => {
      await store.deliveryQueue.loadLane('hook')
      const backoff = {
        attempts: 3,
        firstFailureAt: BUILDER_EPOCH,
        nextAt: BUILDER_EPOCH + 4000,
        lastError: { code: 'HTTP_503', message: 'unavailable', httpStatus: 503 },
        history: retry(1, 'x', 0, 2).attempts,
      }
      await store.deliveryQueue.commit('hook', commit({ backoff }))
      expect((await store.deliveryQueue.loadLane('hook')).backoff).toEqual(backoff)
      await store.deliveryQueue.commit('hook', commit({ cursor: 5 }))
      expect((await store.deliveryQueue.loadLane('hook')).backoff).toEqual(backoff)
      await store.deliveryQueue.commit('hook', commit({ backoff: null }))
      expect((await store.deliveryQueue.loadLane('hook')).backoff).toBeNull()
    })

    it('returns due retries with the event payload, reschedules and settles them', async () => {
      const q = store.deliveryQueue
      await q.commit('hook', commit({ retries: [retry(2, ids[1]!, 100), retry(4, ids[3]!, 500)] }))
      expect(await q.nextRetryAt('hook')).toBe(100)
      const due = await q.dueRetries('hook', 200, 10)
      expect(due.map((r) => r.seq)).toEqual([2])
      expect((JSON.parse(due[0]!.payload) as { messageId: string }).messageId).toBe(ids[1])
      expect(due[0]!.ownPayload).toBe(false)
      expect(due[0]!.attempts).toHaveLength(1)
      expect(due[0]!.userKey).toBe('user-2')
      await q.commit(
        'hook',
        commit({ retries: [{ ...due[0]!, nextAt: 900, attempts: retry(2, '', 0, 2).attempts }] }),
      )
      expect((await q.dueRetries('hook', 600, 10)).map((r) => r.seq)).toEqual([4])
      const again = await q.dueRetries('hook', 1000, 10)
      expect(again.find((r) => r.seq === 2)!.attempts).toHaveLength(2)
      await q.commit('hook', commit({ retriesDone: [2, 4] }))
      expect(await q.dueRetries('hook', 10_000, 10)).toEqual([])
      expect(await q.nextRetryAt('hook')).toBeNull()
      expect(await q.dueRetries('other', 10_000, 10)).toEqual([])
    })

    it('lists users with pending retries as blocked', async () => {
      await store.deliveryQueue.commit('hook', commit({ retries: [retry(2, ids[1]!, 100)] }))
      expect((await store.deliveryQueue.loadLane('hook')).blockedUsers).toEqual(['user-2'])
    })

    it('adds up stats per minute, latency buckets included', async () => {
      const row = (delivered: number, latency: number[]) => ({
        minute: BUILDER_EPOCH,
        delivered,
        retried: 1,
        failed: 0,
        filtered: 2,
        filteredConsent: 1,
        filteredPreference: 0,
        filteredRestriction: 1,
        deadLettered: 0,
        latency,
      })
      await store.deliveryQueue.commit('hook', commit({ stats: [row(3, [1, 2, 0])] }))
      await store.deliveryQueue.commit('hook', commit({ stats: [row(4, [0, 1, 5])] }))
      const stats = await store.deliveryAdmin.stats('hook', BUILDER_EPOCH, BUILDER_EPOCH + MINUTE)
      expect(stats).toEqual([
        {
          destinationId: 'hook',
          ...row(7, [1, 3, 5]),
          retried: 2,
          filtered: 4,
          filteredConsent: 2,
          filteredRestriction: 2,
        },
      ])
      expect(await store.deliveryAdmin.stats(null, 0, BUILDER_EPOCH)).toEqual([])
    })

    it('keeps dead letters, pages them newest first, filters by code and time', async () => {
      await store.deliveryQueue.commit(
        'hook',
        commit({
          deadLetters: [
            dead(1, ids[0]!, 'HTTP_400', BUILDER_EPOCH + 1),
            dead(2, ids[1]!, 'HTTP_401', BUILDER_EPOCH + 2),
            dead(3, ids[2]!, 'HTTP_400', BUILDER_EPOCH + 3),
          ],
        }),
      )
      const admin = store.deliveryAdmin
      const first = await admin.deadLetters('hook', { limit: 2 })
      expect(first.data.map((d) => d.seq)).toEqual([3, 2])
      expect(first.data[0]).toMatchObject({
        destinationId: 'hook',
        eventType: 'track',
        eventName: 'Order Completed',
        error: { code: 'HTTP_400', httpStatus: 400 },
        replayedAt: null,
      })
      const second = await admin.deadLetters('hook', { limit: 2, cursor: first.next! })
      expect(second.data.map((d) => d.seq)).toEqual([1])
      expect(second.next).toBeNull()
      await expect(admin.deadLetters('hook', { limit: 2, cursor: 'nope' })).rejects.toMatchObject({
        code: 'DESTINATIONS_INVALID_CURSOR',
      })
      const byCode = await admin.deadLetters('hook', { limit: 10, errorCode: 'HTTP_400' })
      expect(byCode.data.map((d) => d.seq)).toEqual([3, 1])
      const byTime = await admin.deadLetters('hook', { limit: 10, from: BUILDER_EPOCH + 2 })
      expect(byTime.data.map((d) => d.seq)).toEqual([3, 2])
    })

    it('replays dead letters into due retries once, with their own payload', async () => {
      const q = store.deliveryQueue
      await q.commit(
        'hook',
        commit({
          deadLetters: [dead(1, ids[0]!, 'HTTP_400', 10), dead(2, ids[1]!, 'HTTP_500', 20)],
        }),
      )
      const admin = store.deliveryAdmin
      expect(await admin.replayDeadLetters('hook', { errorCode: 'HTTP_500' }, 1000)).toBe(1)
      expect(await admin.replayDeadLetters('hook', { errorCode: 'HTTP_500' }, 1000)).toBe(0)
      const due = await q.dueRetries('hook', 1000, 10)
      expect(due.map((r) => r.seq)).toEqual([2])
      expect(due[0]).toMatchObject({ ownPayload: true, attempts: [], firstAttemptAt: 1000 })
      expect((JSON.parse(due[0]!.payload) as { messageId: string }).messageId).toBe(ids[1])
      const pending = await admin.deadLetters('hook', { limit: 10 })
      expect(pending.data.map((d) => d.seq)).toEqual([1])
      const all = await admin.deadLetters('hook', { limit: 10, pendingOnly: false })
      expect(all.data.find((d) => d.seq === 2)!.replayedAt).toBe(1000)
      const [one] = pending.data
      expect(await admin.replayDeadLetters('hook', { ids: [one!.id] }, 2000)).toBe(1)
      expect(await admin.deleteDeadLetters('hook', { ids: [one!.id] })).toBe(1)
      expect(await admin.deleteDeadLetters('hook', {})).toBe(1)
    })

    it('drops a retry whose event is gone unless it carries its payload', async () => {
      // A retry for a seq that was never stored stands for an event deleted since.
      await store.deliveryQueue.commit('hook', commit({ retries: [retry(99, 'gone', 0)] }))
      expect(await store.deliveryQueue.dueRetries('hook', 10, 10)).toEqual([])
      expect(await store.deliveryQueue.nextRetryAt('hook')).toBeNull()
    })

    it('keeps the most recent error samples', async () => {
      const errors = Array.from({ length: 3 }, (_, i) => ({
        at: i,
        messageId: ids[i]!,
        error: {
          code: `E${i}`,
          message: 'm',
          sample: { request: { method: 'POST', url: 'u', headers: {}, body: 'b' }, response: null },
        },
      }))
      await store.deliveryQueue.commit('hook', commit({ errors }))
      const recent = await store.deliveryAdmin.recentErrors('hook', 2)
      expect(recent.map((e) => e.error.code)).toEqual(['E2', 'E1'])
      expect(recent[0]!.error.sample?.request.url).toBe('u')
    })

    it('maps a backfill time range to seqs and records its progress', async () => {
      const admin = store.deliveryAdmin
      const bf = await admin.createBackfill(
        'hook',
        { from: BUILDER_EPOCH + MINUTE, to: BUILDER_EPOCH + 4 * MINUTE },
        7,
      )
      expect(bf).toMatchObject({
        startSeq: 1,
        endSeq: 4,
        position: 1,
        status: 'running',
        events: 0,
      })
      expect((await store.deliveryQueue.runningBackfills('hook')).map((b) => b.id)).toEqual([bf.id])
      await store.deliveryQueue.commit(
        'hook',
        commit({ backfill: { id: bf.id, position: 3, events: 2, done: false } }),
      )
      await store.deliveryQueue.commit(
        'hook',
        commit({ backfill: { id: bf.id, position: 4, events: 1, done: true } }),
      )
      expect(await store.deliveryQueue.runningBackfills('hook')).toEqual([])
      const [done] = await admin.backfills('hook')
      expect(done).toMatchObject({ position: 4, events: 3, status: 'done' })
      const empty = await admin.createBackfill('hook', { from: 0, to: 1 }, 8)
      expect(empty.status).toBe('done')
    })

    it('traces an event across lanes', async () => {
      await store.deliveryQueue.loadLane('a')
      await store.deliveryQueue.loadLane('b')
      await store.deliveryQueue.commit('b', commit({ retries: [retry(3, ids[2]!, 50)] }))
      const facts = await store.deliveryAdmin.traceEvent(ids[2]!)
      expect(facts).toMatchObject({ seq: 3, sourceId: 'src_test' })
      const lanes = Object.fromEntries(facts!.lanes.map((l) => [l.destinationId, l]))
      expect(lanes.a).toMatchObject({
        cursor: 5,
        startSeq: 5,
        backfilled: false,
        retry: null,
        deadLetters: [],
      })
      expect(lanes.b!.retry?.seq).toBe(3)
      const bf = await store.deliveryAdmin.createBackfill(
        'a',
        { from: 0, to: BUILDER_EPOCH + 9 * MINUTE },
        1,
      )
      await store.deliveryQueue.commit(
        'a',
        commit({ backfill: { id: bf.id, position: 3, events: 3, done: false } }),
      )
      const after = await store.deliveryAdmin.traceEvent(ids[2]!)
      expect(after!.lanes.find((l) => l.destinationId === 'a')!.backfilled).toBe(true)
      expect(await store.deliveryAdmin.traceEvent('nope')).toBeNull()
    })

    it('stores destination configs and deletes a destination with its delivery state', async () => {
      const configs = store.destinationConfigs
      await configs.put({ id: 'hook', config: '{"a":1}', createdAt: 1, updatedAt: 1 })
      await configs.put({ id: 'hook', config: '{"a":2}', createdAt: 5, updatedAt: 2 })
      expect(await configs.get('hook')).toEqual({
        id: 'hook',
        config: '{"a":2}',
        createdAt: 1,
        updatedAt: 2,
      })
      expect((await configs.list()).map((d) => d.id)).toEqual(['hook'])
      await store.deliveryQueue.commit(
        'hook',
        commit({ retries: [retry(2, ids[1]!, 0)], deadLetters: [dead(1, ids[0]!, 'X', 1)] }),
      )
      expect(await configs.delete('hook')).toBe(true)
      expect(await configs.get('hook')).toBeNull()
      expect(await configs.delete('hook')).toBe(false)
      expect(await store.deliveryQueue.dueRetries('hook', 10, 10)).toEqual([])
      expect((await store.deliveryAdmin.deadLetters('hook', { limit: 10 })).data).toEqual([])
      expect((await store.deliveryQueue.loadLane('hook')).cursor).toBe(5)
    })
  })
}
