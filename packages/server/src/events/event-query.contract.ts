import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../platform/errors/index.js'
import type { LogRecord, RejectedRecord } from '../protocol/index.js'
import {
  BUILDER_EPOCH,
  buildLogEntries,
  buildLogRecord,
  buildRejectedRecord,
} from '../testing/builders.js'
import { encodeCursor } from './cursor.js'
import type { LogEntry, LogItem } from './event-log.js'
import type { EventFilter, EventQuery, Page } from './event-query.js'
import type { EventStore } from './event-store.js'

/**
 * What the {@link EventQuery} suite needs from an adapter: the query side and the event store
 * of the same database to seed it. A `Storage` bundle satisfies it.
 */
export interface EventQueryContractSubject {
  readonly eventStore: EventStore
  readonly eventQuery: EventQuery
  close(): Promise<void>
}

const eventItems = (records: readonly LogRecord[]): LogItem[] =>
  records.map((record) => ({ kind: 'event', record }))

const rejectionItems = (records: readonly RejectedRecord[]): LogItem[] =>
  records.map((record) => ({ kind: 'rejection', record }))

const MINUTE = 60_000
const at = (minutes: number): number => BUILDER_EPOCH + minutes * MINUTE

/** A small log with every filterable column varied; append order is receivedAt order. */
function seedRecords(): LogRecord[] {
  return [
    buildLogRecord({ sourceId: 'src_a', userId: 'u1', receivedAt: at(0) }),
    buildLogRecord({
      sourceId: 'src_a',
      type: 'page',
      name: 'Home',
      userId: null,
      anonymousId: 'a1',
      receivedAt: at(1),
    }),
    buildLogRecord({
      sourceId: 'src_a',
      type: 'identify',
      userId: 'u2',
      anonymousId: 'a1',
      receivedAt: at(2),
    }),
    buildLogRecord({
      sourceId: 'src_b',
      name: 'Signed Up',
      userId: 'u1',
      anonymousId: 'a1',
      receivedAt: at(3),
    }),
    buildLogRecord({
      sourceId: 'src_b',
      type: 'screen',
      name: 'Home',
      userId: null,
      anonymousId: 'a2',
      receivedAt: at(4),
    }),
    buildLogRecord({ sourceId: 'src_b', type: 'group', userId: 'u3', receivedAt: at(5) }),
    buildLogRecord({ sourceId: 'src_a', userId: 'u2', receivedAt: at(6) }),
    buildLogRecord({ sourceId: 'src_c', type: 'alias', userId: 'u1', receivedAt: at(7) }),
    buildLogRecord({ sourceId: 'src_a', name: 'Signed Up', userId: 'u3', receivedAt: at(8) }),
    buildLogRecord({
      sourceId: 'src_b',
      type: 'page',
      name: 'Pricing',
      userId: 'u1',
      receivedAt: at(9),
    }),
    buildLogRecord({
      sourceId: 'src_a',
      type: 'identify',
      userId: null,
      anonymousId: 'a2',
      receivedAt: at(10),
    }),
    buildLogRecord({ sourceId: 'src_b', userId: 'u2', receivedAt: at(11) }),
  ]
}

function matches(record: LogRecord, filter: EventFilter): boolean {
  const equal = <T>(wanted: T | undefined, actual: T): boolean =>
    wanted === undefined || wanted === actual
  return (
    equal(filter.sourceId, record.sourceId) &&
    equal(filter.type, record.type) &&
    equal(filter.event, record.name) &&
    equal(filter.userId, record.userId) &&
    equal(filter.anonymousId, record.anonymousId) &&
    equal(filter.messageId, record.messageId) &&
    record.receivedAt >= (filter.since ?? -Infinity) &&
    record.receivedAt < (filter.until ?? Infinity)
  )
}

/** Message ids of the records matching `filter`, newest first. */
function expected(records: readonly LogRecord[], filter: EventFilter): string[] {
  return records
    .filter((r) => matches(r, filter))
    .map((r) => r.messageId)
    .reverse()
}

async function collect<T>(
  fetch: (cursor: string | undefined) => Promise<Page<T>>,
  limit: number,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = []
  let cursor: string | undefined
  let pages = 0
  for (;;) {
    const page = await fetch(cursor)
    pages += 1
    expect(page.data.length).toBeLessThanOrEqual(limit)
    items.push(...page.data)
    if (page.next === null) return { items, pages }
    expect(page.data).toHaveLength(limit)
    cursor = page.next
    if (pages > 100) throw new Error('pagination does not end')
  }
}

async function expectInvalidCursor(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  expect((error as AppError).code).toBe('EVENTS_INVALID_CURSOR')
}

const INVALID_CURSORS = [
  'not a cursor!',
  Buffer.from('o:abc').toString('base64url'),
  Buffer.from('x:12').toString('base64url'),
  '',
]

/**
 * The guarantees documented on {@link EventQuery}, for every adapter. `open` is called before
 * each test and must return an empty database.
 */
export function describeEventQueryContract(
  name: string,
  open: () => Promise<EventQueryContractSubject>,
): void {
  describe(`EventQuery contract: ${name}`, () => {
    let subject: EventQueryContractSubject
    let query: EventQuery
    let records: LogRecord[]
    let applied: LogEntry[]

    /** Applies `items` as the next log entries, as the pipeline's store consumer would. */
    async function apply(items: readonly LogItem[]): Promise<void> {
      const entries = buildLogEntries((applied.at(-1)?.offset ?? 0) + 1, items)
      await subject.eventStore.apply('store', entries)
      applied.push(...entries)
    }

    beforeEach(async () => {
      subject = await open()
      query = subject.eventQuery
      records = seedRecords()
      applied = []
      await apply(eventItems(records.slice(0, 5)))
      await apply(eventItems(records.slice(5)))
    })

    afterEach(async () => {
      await subject.close()
    })

    async function ids(filter: EventFilter, limit = 100): Promise<string[]> {
      const page = await query.events(filter, { limit })
      return page.data.map((e) => String(e.event.messageId))
    }

    it('returns every event newest first, with offset, source, time and parsed event', async () => {
      const page = await query.events({}, { limit: 100 })
      expect(page.next).toBeNull()
      expect(page.data.map((e) => e.event.messageId)).toEqual(expected(records, {}))
      const newest = applied.at(-1)
      expect(newest?.offset).toBe(records.length)
      expect(page.data[0]).toEqual({
        offset: newest?.offset,
        sourceId: 'src_b',
        receivedAt: at(11),
        event: JSON.parse(newest?.record.payload ?? 'null') as unknown,
      })
      const offsets = page.data.map((e) => e.offset)
      offsets.forEach((offset, i) => {
        if (i > 0) expect(offset).toBeLessThan(offsets[i - 1] ?? Number.NaN)
      })
    })

    const filters: Array<[string, EventFilter]> = [
      ['sourceId', { sourceId: 'src_a' }],
      ['type', { type: 'identify' }],
      ['event of track calls', { event: 'Signed Up' }],
      ['event as the name of page and screen calls', { event: 'Home' }],
      ['userId', { userId: 'u1' }],
      ['anonymousId', { anonymousId: 'a1' }],
      ['since (inclusive)', { since: at(9) }],
      ['until (exclusive)', { until: at(2) }],
      ['since and until', { since: at(3), until: at(6) }],
      ['several filters with AND', { sourceId: 'src_b', userId: 'u1' }],
      ['type and event', { type: 'track', event: 'Signed Up', sourceId: 'src_a' }],
    ]
    for (const [label, filter] of filters) {
      it(`filters by ${label}`, async () => {
        const want = expected(records, filter)
        expect(want.length).toBeGreaterThan(0)
        expect(want.length).toBeLessThan(records.length)
        expect(await ids(filter)).toEqual(want)
      })
    }

    it('filters by messageId', async () => {
      const target = records[6]
      expect(await ids({ messageId: target?.messageId ?? '' })).toEqual([target?.messageId])
    })

    it('returns an empty page when nothing matches', async () => {
      expect(await query.events({ userId: 'nobody' }, { limit: 10 })).toEqual({
        data: [],
        next: null,
      })
      expect(await ids({ sourceId: 'src_a', type: 'screen' })).toEqual([])
      expect(await ids({ since: at(5), until: at(5) })).toEqual([])
    })

    it('pages with cursors without gaps or repeats', async () => {
      const all = await collect((cursor) => query.events({}, { limit: 5, cursor }), 5)
      expect(all.pages).toBe(3)
      expect(all.items.map((e) => e.event.messageId)).toEqual(expected(records, {}))
      const filter: EventFilter = { sourceId: 'src_a' }
      const some = await collect((cursor) => query.events(filter, { limit: 2, cursor }), 2)
      expect(some.items.map((e) => e.event.messageId)).toEqual(expected(records, filter))
    })

    it('ends with next = null when the last page is exactly full', async () => {
      const filter: EventFilter = { sourceId: 'src_a' }
      const count = expected(records, filter).length
      const page = await query.events(filter, { limit: count })
      expect(page.data).toHaveLength(count)
      expect(page.next).toBeNull()
      const half = await query.events(filter, { limit: count / 2 })
      expect(half.next).not.toBeNull()
      const rest = await query.events(filter, { limit: count / 2, cursor: half.next ?? '' })
      expect(rest.next).toBeNull()
    })

    it('keeps paging stable while new events arrive', async () => {
      const first = await query.events({}, { limit: 4 })
      await apply(eventItems([buildLogRecord({ receivedAt: at(12) })]))
      const second = await query.events({}, { limit: 4, cursor: first.next ?? '' })
      expect([...first.data, ...second.data].map((e) => e.event.messageId)).toEqual(
        expected(records, {}).slice(0, 8),
      )
    })

    it('rejects an invalid cursor with EVENTS_INVALID_CURSOR', async () => {
      for (const cursor of INVALID_CURSORS) {
        await expectInvalidCursor(query.events({}, { limit: 5, cursor }))
        await expectInvalidCursor(query.rejected({}, { limit: 5, cursor }))
      }
    })

    it('accepts a well-formed cursor past the end', async () => {
      const page = await query.events({}, { limit: 5, cursor: encodeCursor(1) })
      expect(page).toEqual({ data: [], next: null })
    })

    describe('rejected()', () => {
      let rejections: RejectedRecord[]

      beforeEach(async () => {
        rejections = [
          buildRejectedRecord({ sourceId: 'src_a', receivedAt: at(0) }),
          buildRejectedRecord({ sourceId: 'src_b', receivedAt: at(1), code: 'EVENT_TOO_LARGE' }),
          buildRejectedRecord({ sourceId: 'src_a', receivedAt: at(2), messageId: null }),
          buildRejectedRecord({ sourceId: 'src_a', receivedAt: at(3), payload: '{"broken' }),
          buildRejectedRecord({ sourceId: 'src_b', receivedAt: at(4) }),
          buildRejectedRecord({ sourceId: 'src_a', receivedAt: at(5) }),
          buildRejectedRecord({ sourceId: 'src_b', receivedAt: at(6) }),
        ]
        await apply(rejectionItems(rejections.slice(0, 3)))
        await apply(rejectionItems(rejections.slice(3)))
      })

      const newestFirst = (filter: (r: RejectedRecord) => boolean): RejectedRecord[] =>
        rejections.filter(filter).reverse()

      it('returns every field, newest first, with JSON payloads parsed', async () => {
        const page = await query.rejected({}, { limit: 100 })
        expect(page.next).toBeNull()
        expect(page.data.map(({ id: _id, ...rest }) => rest)).toEqual(
          newestFirst(() => true).map((r) => ({
            sourceId: r.sourceId,
            receivedAt: r.receivedAt,
            code: r.code,
            reason: r.reason,
            messageId: r.messageId,
            payload: r.payload === '{"broken' ? r.payload : (JSON.parse(r.payload) as unknown),
          })),
        )
        const ids = page.data.map((r) => r.id)
        ids.forEach((id, i) => {
          expect(Number.isSafeInteger(id)).toBe(true)
          if (i > 0) expect(id).toBeLessThan(ids[i - 1] ?? Number.NaN)
        })
      })

      it('filters by sourceId, since and until', async () => {
        const receivedAtOf = async (filter: {
          sourceId?: string
          since?: number
          until?: number
        }): Promise<number[]> =>
          (await query.rejected(filter, { limit: 100 })).data.map((r) => r.receivedAt)
        expect(await receivedAtOf({ sourceId: 'src_a' })).toEqual([at(5), at(3), at(2), at(0)])
        expect(await receivedAtOf({ since: at(4) })).toEqual([at(6), at(5), at(4)])
        expect(await receivedAtOf({ until: at(2) })).toEqual([at(1), at(0)])
        expect(await receivedAtOf({ sourceId: 'src_b', since: at(1), until: at(6) })).toEqual([
          at(4),
          at(1),
        ])
      })

      it('pages with cursors without gaps or repeats', async () => {
        const all = await collect((cursor) => query.rejected({}, { limit: 3, cursor }), 3)
        expect(all.pages).toBe(3)
        expect(all.items.map((r) => r.receivedAt)).toEqual(
          newestFirst(() => true).map((r) => r.receivedAt),
        )
        const some = await collect(
          (cursor) => query.rejected({ sourceId: 'src_b' }, { limit: 2, cursor }),
          2,
        )
        expect(some.items.map((r) => r.receivedAt)).toEqual([at(6), at(4), at(1)])
      })
    })

    describe('stats()', () => {
      it('returns counters ordered by minute then source, within [since, until)', async () => {
        const all = await query.stats({ since: at(0), until: at(12) })
        expect(all.map((row) => [row.minute, row.sourceId])).toEqual(
          records.map((r) => [r.receivedAt, r.sourceId]),
        )
        for (const row of all) {
          const record = records.find((r) => r.receivedAt === row.minute)
          expect(row).toEqual({
            sourceId: record?.sourceId,
            minute: row.minute,
            accepted: 1,
            duplicates: 0,
            rejected: 0,
            bytes: Buffer.byteLength(record?.payload ?? ''),
            suppressed: 0,
          })
        }
        const window = await query.stats({ since: at(3), until: at(5) })
        expect(window.map((row) => row.minute)).toEqual([at(3), at(4)])
      })

      it('filters by sourceId and merges rows of the same minute', async () => {
        await apply([
          ...eventItems([
            buildLogRecord({ sourceId: 'src_a', receivedAt: at(0) + 30_000 }),
            buildLogRecord({ sourceId: 'src_b', receivedAt: at(0) + 59_999 }),
          ]),
          ...rejectionItems([buildRejectedRecord({ sourceId: 'src_a', receivedAt: at(0) + 1 })]),
        ])
        const rows = await query.stats({ sourceId: 'src_a', since: at(0), until: at(1) })
        expect(rows).toHaveLength(1)
        expect(rows[0]).toMatchObject({
          sourceId: 'src_a',
          minute: at(0),
          accepted: 2,
          rejected: 1,
        })
        const minute0 = await query.stats({ since: at(0), until: at(1) })
        expect(minute0.map((row) => row.sourceId)).toEqual(['src_a', 'src_b'])
      })

      it('returns nothing for an empty window', async () => {
        expect(await query.stats({ since: at(100), until: at(200) })).toEqual([])
        expect(await query.stats({ since: at(3), until: at(3) })).toEqual([])
      })
    })
  })
}
