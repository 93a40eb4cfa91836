import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { LogRecord } from '../protocol/index.js'
import {
  BUILDER_EPOCH,
  buildEventItem,
  buildLogEntries,
  buildLogEntry,
  buildRejectionItem,
} from '../testing/builders.js'
import type { ConsumerOffsets, LogEntry, LogItem } from './event-log.js'
import type { EventQuery } from './event-query.js'
import type { ApplyResult, EventStore } from './event-store.js'

/**
 * What the {@link EventStore} suite needs from an adapter: the store, and the query side and
 * consumer offsets of the same database to observe what an apply wrote. A `Storage` bundle
 * satisfies it.
 */
export interface EventStoreContractSubject {
  readonly eventStore: EventStore
  readonly eventQuery: EventQuery
  readonly offsets: ConsumerOffsets
  close(): Promise<void>
}

const MINUTE = 60_000
const CONSUMER = 'store'
const ALL_TIME = { since: 0, until: BUILDER_EPOCH + 100 * MINUTE }

function result(counts: Partial<ApplyResult> & { offset: number }): ApplyResult {
  return { stored: 0, duplicates: 0, quarantined: 0, rejected: 0, skipped: 0, ...counts }
}

function bytes(...records: LogRecord[]): number {
  return records.reduce((sum, r) => sum + Buffer.byteLength(r.payload), 0)
}

function row(sourceId: string, minute: number, counts: [number, number, number, number]) {
  const [accepted, duplicates, rejected, byteCount] = counts
  return { sourceId, minute, accepted, duplicates, rejected, bytes: byteCount, suppressed: 0 }
}

/**
 * The guarantees documented on {@link EventStore}, for every adapter. `open` is called before
 * each test and must return an empty store without committed offsets.
 */
export function describeEventStoreContract(
  name: string,
  open: () => Promise<EventStoreContractSubject>,
): void {
  describe(`EventStore contract: ${name}`, () => {
    let subject: EventStoreContractSubject
    let store: EventStore

    beforeEach(async () => {
      subject = await open()
      store = subject.eventStore
    })

    afterEach(async () => {
      await subject.close()
    })

    /** Stored events, oldest first, as `[offset, messageId, sourceId]`. */
    async function storedEvents(): Promise<Array<[number, unknown, string]>> {
      const page = await subject.eventQuery.events({}, { limit: 1_000 })
      return page.data.map((e): [number, unknown, string] => [
        e.offset,
        e.event.messageId,
        e.sourceId,
      ])
    }

    async function storedRejections(): Promise<number> {
      return (await subject.eventQuery.rejected({}, { limit: 1_000 })).data.length
    }

    it('stores events with their log offset as seq, and commits the offset', async () => {
      const items = [buildEventItem(), buildEventItem({ type: 'identify' }), buildEventItem()]
      const entries = buildLogEntries(1, items)
      expect(await store.apply(CONSUMER, entries)).toEqual(result({ stored: 3, offset: 3 }))
      expect(await subject.offsets.get(CONSUMER)).toBe(3)
      const page = await subject.eventQuery.events({}, { limit: 10 })
      expect(page.data.map((e) => e.offset)).toEqual([3, 2, 1])
      expect(page.data[2]).toEqual({
        offset: 1,
        sourceId: items[0]?.record.sourceId,
        receivedAt: items[0]?.record.receivedAt,
        event: JSON.parse(items[0]?.record.payload ?? 'null') as unknown,
      })
    })

    it('keeps log offsets as they are: gaps left by rejections, offsets beyond 32 bits', async () => {
      const big = 2 ** 40
      const entries = [
        buildLogEntry(big + 1, buildEventItem()),
        buildLogEntry(big + 2, buildRejectionItem()),
        buildLogEntry(big + 3, buildRejectionItem()),
        buildLogEntry(big + 4, buildEventItem()),
      ]
      expect(await store.apply(CONSUMER, entries)).toEqual(
        result({ stored: 2, rejected: 2, offset: big + 4 }),
      )
      expect((await storedEvents()).map(([offset]) => offset)).toEqual([big + 4, big + 1])
      expect(await subject.offsets.get(CONSUMER)).toBe(big + 4)
    })

    it('stores a messageId once, across applies and sources', async () => {
      const original = buildEventItem({ sourceId: 'src_a' })
      await store.apply(CONSUMER, [buildLogEntry(1, original)])
      const again = buildEventItem({ sourceId: 'src_b', messageId: original.record.messageId })
      const fresh = buildEventItem({ sourceId: 'src_b' })
      expect(
        await store.apply(CONSUMER, [buildLogEntry(2, again), buildLogEntry(3, fresh)]),
      ).toEqual(result({ stored: 1, duplicates: 1, offset: 3 }))
      expect(await storedEvents()).toEqual([
        [3, fresh.record.messageId, 'src_b'],
        [1, original.record.messageId, 'src_a'],
      ])
    })

    it('counts a repeat within one apply as a duplicate, keeping the first occurrence', async () => {
      const first = buildEventItem({ name: 'First' })
      const repeat = buildEventItem({ messageId: first.record.messageId, name: 'Repeat' })
      const other = buildEventItem()
      const entries = buildLogEntries(1, [first, other, repeat, buildRejectionItem(), repeat])
      expect(await store.apply(CONSUMER, entries)).toEqual(
        result({ stored: 2, duplicates: 2, rejected: 1, offset: 5 }),
      )
      const page = await subject.eventQuery.events(
        { messageId: first.record.messageId },
        {
          limit: 10,
        },
      )
      expect(page.data.map((e) => [e.offset, e.event.event])).toEqual([[1, 'First']])
      expect((await storedEvents()).map(([offset]) => offset)).toEqual([2, 1])
    })

    it('stores rejections with every field', async () => {
      const rejections = [
        buildRejectionItem({ sourceId: 'src_a', code: 'EVENT_MISSING_NAME', reason: 'no “event”' }),
        buildRejectionItem({ sourceId: 'src_b', messageId: null, payload: 'not json { ✓' }),
      ]
      const entries = buildLogEntries(1, [buildEventItem(), ...rejections])
      expect(await store.apply(CONSUMER, entries)).toEqual(
        result({ stored: 1, rejected: 2, offset: 3 }),
      )
      const page = await subject.eventQuery.rejected({}, { limit: 10 })
      expect(page.data.map(({ id: _id, ...rest }) => rest)).toEqual(
        [...rejections].reverse().map(({ record: r }) => ({
          sourceId: r.sourceId,
          receivedAt: r.receivedAt,
          code: r.code,
          reason: r.reason,
          messageId: r.messageId,
          payload: r.payload.startsWith('{') ? (JSON.parse(r.payload) as unknown) : r.payload,
        })),
      )
    })

    it('skips entries at or below the committed offset: a replay changes nothing', async () => {
      const items: LogItem[] = [
        buildEventItem(),
        buildRejectionItem(),
        buildEventItem(),
        buildEventItem(),
        buildRejectionItem(),
      ]
      const entries = buildLogEntries(1, items)
      await store.apply(CONSUMER, entries)
      const events = await storedEvents()
      const stats = await subject.eventQuery.stats(ALL_TIME)
      expect(await store.apply(CONSUMER, entries)).toEqual(result({ skipped: 5, offset: 5 }))
      expect(await store.apply(CONSUMER, entries.slice(1, 3))).toEqual(
        result({ skipped: 2, offset: 5 }),
      )
      expect(await storedEvents()).toEqual(events)
      expect(await storedRejections()).toBe(2)
      expect(await subject.eventQuery.stats(ALL_TIME)).toEqual(stats)
      expect(await subject.offsets.get(CONSUMER)).toBe(5)

      // A range overlapping the committed offset applies only what lies beyond it.
      const more = buildLogEntries(6, [buildEventItem(), buildRejectionItem()])
      expect(await store.apply(CONSUMER, [...entries.slice(3), ...more])).toEqual(
        result({ stored: 1, rejected: 1, skipped: 2, offset: 7 }),
      )
      expect(await storedRejections()).toBe(3)
      expect(await subject.offsets.get(CONSUMER)).toBe(7)
    })

    it('honours an offset committed through ConsumerOffsets, and keeps consumers apart', async () => {
      await subject.offsets.commit(CONSUMER, 3)
      const entries = buildLogEntries(1, [
        buildEventItem(),
        buildEventItem(),
        buildEventItem(),
        buildEventItem(),
      ])
      expect(await store.apply(CONSUMER, entries)).toEqual(
        result({ stored: 1, skipped: 3, offset: 4 }),
      )
      expect(await subject.offsets.get('another')).toBe(0)
      expect(await store.apply(CONSUMER, [])).toEqual(result({ offset: 4 }))
      expect(await subject.offsets.get(CONSUMER)).toBe(4)
    })

    it('adds per-source, per-minute counters for accepted, duplicates, rejected and bytes', async () => {
      const minute2 = BUILDER_EPOCH + MINUTE
      const a1 = buildEventItem({ sourceId: 'src_a', receivedAt: BUILDER_EPOCH + 1_000 })
      const a2 = buildEventItem({ sourceId: 'src_a', receivedAt: BUILDER_EPOCH + 59_999 })
      // Bytes are UTF-8 bytes of the stored payload, not UTF-16 code units.
      const b1 = buildEventItem({
        sourceId: 'src_b',
        receivedAt: minute2 + 5,
        payload: '{"é":"€"}',
      })
      const t1 = buildEventItem()
      const dupe = (item: typeof a1, receivedAt: number, sourceId = item.record.sourceId) =>
        buildEventItem({ ...item.record, receivedAt, sourceId })
      await store.apply(
        CONSUMER,
        buildLogEntries(1, [
          a1,
          a2,
          b1,
          dupe(a1, BUILDER_EPOCH + 2_000),
          buildRejectionItem({ sourceId: 'src_a', receivedAt: BUILDER_EPOCH + 3 }),
        ]),
      )
      await store.apply(
        CONSUMER,
        buildLogEntries(6, [
          dupe(b1, minute2 + 10),
          t1,
          buildRejectionItem({ sourceId: 'src_b', receivedAt: minute2 }),
          // A duplicate from another source counts for the source that sent it.
          dupe(t1, minute2 + 20, 'src_b'),
          buildRejectionItem({ sourceId: 'src_b', receivedAt: minute2 + 7 }),
        ]),
      )
      expect(bytes(b1.record)).toBe(12)
      expect(await subject.eventQuery.stats(ALL_TIME)).toEqual([
        row('src_a', BUILDER_EPOCH, [2, 1, 1, bytes(a1.record, a2.record)]),
        row('src_test', BUILDER_EPOCH, [1, 0, 0, bytes(t1.record)]),
        row('src_b', minute2, [1, 2, 2, 12]),
      ])
    })

    it('writes nothing of an apply that fails, and the store stays usable', async () => {
      const before = buildEventItem()
      await store.apply(CONSUMER, [buildLogEntry(1, before)])
      const stats = await subject.eventQuery.stats(ALL_TIME)
      const good = buildEventItem()
      // A null messageId violates NOT NULL: the whole apply must roll back.
      const broken = { ...buildEventItem(), record: { ...good.record, messageId: null } }
      const entries = buildLogEntries(2, [
        good,
        buildRejectionItem(),
        broken as unknown as LogItem,
        buildEventItem(),
      ])
      await expect(store.apply(CONSUMER, entries)).rejects.toThrow()
      expect(await storedEvents()).toEqual([[1, before.record.messageId, 'src_test']])
      expect(await storedRejections()).toBe(0)
      expect(await subject.eventQuery.stats(ALL_TIME)).toEqual(stats)
      expect(await subject.offsets.get(CONSUMER)).toBe(1)
      // The same offsets apply once the entry is fixed.
      const fixed: LogEntry[] = entries.map((e) => (e.offset === 4 ? buildLogEntry(4) : e))
      expect(await store.apply(CONSUMER, fixed)).toEqual(
        result({ stored: 3, rejected: 1, offset: 5 }),
      )
      expect((await storedEvents()).map(([offset]) => offset)).toEqual([5, 4, 2, 1])
    })
  })
}
