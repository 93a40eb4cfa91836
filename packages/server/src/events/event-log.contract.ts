import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { LogRecord } from '../protocol/index.js'
import { BUILDER_EPOCH, buildLogRecord, buildRejectedRecord } from '../testing/builders.js'
import type { EventLog, LogEntry } from './event-log.js'
import type { EventQuery } from './event-query.js'

/**
 * What the {@link EventLog} suite needs from an adapter: the log itself, plus the query side of
 * the same database to observe the rejections and counters an append writes. A `Storage`
 * bundle satisfies it.
 */
export interface EventLogContractSubject {
  readonly eventLog: EventLog
  readonly eventQuery: EventQuery
  close(): Promise<void>
}

const MINUTE = 60_000

function expectStrictlyIncreasing(offsets: readonly number[]): void {
  offsets.forEach((offset, i) => {
    expect(Number.isSafeInteger(offset)).toBe(true)
    if (i > 0) expect(offset).toBeGreaterThan(offsets[i - 1] ?? Number.NaN)
  })
}

function withoutOffset(entry: LogEntry): LogRecord {
  const { offset: _offset, ...record } = entry
  return record
}

async function readAll(log: EventLog): Promise<LogEntry[]> {
  return log.read(0, 1_000_000)
}

/**
 * The guarantees documented on {@link EventLog}, for every adapter. `open` is called before
 * each test and must return an empty log; the suite closes it after the test.
 */
export function describeEventLogContract(
  name: string,
  open: () => Promise<EventLogContractSubject>,
): void {
  describe(`EventLog contract: ${name}`, () => {
    let subject: EventLogContractSubject
    let log: EventLog

    beforeEach(async () => {
      subject = await open()
      log = subject.eventLog
    })

    afterEach(async () => {
      await subject.close()
    })

    it('starts empty: head is 0 and reads return nothing', async () => {
      expect(await log.head()).toBe(0)
      expect(await log.read(0, 10)).toEqual([])
    })

    it('reads back every field of an appended record, with an offset', async () => {
      const records = [
        buildLogRecord({ anonymousId: 'anon-1', timestamp: BUILDER_EPOCH - 5_000 }),
        buildLogRecord({ type: 'identify', userId: null, anonymousId: 'anon-2' }),
        buildLogRecord({ type: 'page', name: null, payload: '{"type":"page","ünïcode":"✓"}' }),
      ]
      const result = await log.append({ records, rejected: [] })
      expect(result.stored).toEqual([true, true, true])
      const entries = await readAll(log)
      expect(entries.map(withoutOffset)).toEqual(records)
      expect(await log.head()).toBe(entries.at(-1)?.offset)
    })

    it('assigns strictly increasing offsets in append order, across batches', async () => {
      const first = [buildLogRecord(), buildLogRecord(), buildLogRecord()]
      const second = [buildLogRecord(), buildLogRecord()]
      await log.append({ records: first, rejected: [] })
      const headAfterFirst = await log.head()
      await log.append({ records: second, rejected: [] })
      const entries = await readAll(log)
      expect(entries.map((e) => e.messageId)).toEqual([...first, ...second].map((r) => r.messageId))
      expectStrictlyIncreasing(entries.map((e) => e.offset))
      expect(entries[2]?.offset).toBe(headAfterFirst)
      expect(entries[3]?.offset).toBeGreaterThan(headAfterFirst)
      expect(await log.head()).toBe(entries.at(-1)?.offset)
    })

    it('pages with read(after, limit) without gaps or repeats', async () => {
      const records = Array.from({ length: 10 }, () => buildLogRecord())
      await log.append({ records: records.slice(0, 4), rejected: [] })
      await log.append({ records: records.slice(4), rejected: [] })
      const seen: LogEntry[] = []
      let after = 0
      for (;;) {
        const page = await log.read(after, 3)
        expect(page.length).toBeLessThanOrEqual(3)
        const last = page.at(-1)
        if (!last) break
        page.forEach((entry) => expect(entry.offset).toBeGreaterThan(after))
        seen.push(...page)
        after = last.offset
      }
      expect(seen.map((e) => e.messageId)).toEqual(records.map((r) => r.messageId))
      expect(after).toBe(await log.head())
      expect(await log.read(after, 3)).toEqual([])
      const middle = seen[4]?.offset ?? 0
      expect((await log.read(middle, 2)).map((e) => e.messageId)).toEqual(
        records.slice(5, 7).map((r) => r.messageId),
      )
    })

    it('does not store a messageId twice, across batches and sources', async () => {
      const original = buildLogRecord({ sourceId: 'src_a' })
      await log.append({ records: [original], rejected: [] })
      const again = buildLogRecord({ sourceId: 'src_b', messageId: original.messageId })
      const result = await log.append({ records: [again], rejected: [] })
      expect(result.stored).toEqual([false])
      const entries = await readAll(log)
      expect(entries.map(withoutOffset)).toEqual([original])
    })

    it('counts a repeat inside one batch as a duplicate, keeping the first', async () => {
      const first = buildLogRecord({ name: 'First' })
      const repeat = buildLogRecord({ messageId: first.messageId, name: 'Repeat' })
      const other = buildLogRecord()
      const result = await log.append({ records: [first, other, repeat, repeat], rejected: [] })
      expect(result.stored).toEqual([true, true, false, false])
      const entries = await readAll(log)
      expect(entries.map(withoutOffset)).toEqual([first, other])
    })

    it('lines stored[i] up with records[i] when duplicates are mixed in', async () => {
      const existing = [buildLogRecord(), buildLogRecord()]
      await log.append({ records: existing, rejected: [] })
      const a = buildLogRecord()
      const b = buildLogRecord()
      const batch = [a, existing[1], b, existing[0], a, buildLogRecord()] as LogRecord[]
      const result = await log.append({ records: batch, rejected: [] })
      expect(result.stored).toEqual([true, false, true, false, false, true])
      const entries = await readAll(log)
      expect(entries.map((e) => e.messageId)).toEqual([
        existing[0]?.messageId,
        existing[1]?.messageId,
        a.messageId,
        b.messageId,
        batch[5]?.messageId,
      ])
    })

    it('stores the rejections of the batch', async () => {
      const rejected = [
        buildRejectedRecord({ sourceId: 'src_a', code: 'EVENT_MISSING_NAME' }),
        buildRejectedRecord({ sourceId: 'src_b', messageId: null, payload: 'not json {' }),
      ]
      const result = await log.append({ records: [buildLogRecord()], rejected })
      expect(result.stored).toEqual([true])
      const page = await subject.eventQuery.rejected({}, { limit: 10 })
      expect(page.data).toHaveLength(2)
      const [newest, oldest] = page.data
      expect(oldest).toMatchObject({
        sourceId: 'src_a',
        receivedAt: BUILDER_EPOCH,
        code: 'EVENT_MISSING_NAME',
        reason: rejected[0]?.reason,
        messageId: rejected[0]?.messageId,
        payload: JSON.parse(rejected[0]?.payload ?? 'null') as unknown,
      })
      expect(newest).toMatchObject({ sourceId: 'src_b', messageId: null, payload: 'not json {' })
    })

    it('stores rejections from a batch without records', async () => {
      const result = await log.append({ records: [], rejected: [buildRejectedRecord()] })
      expect(result.stored).toEqual([])
      expect(await log.head()).toBe(0)
      expect((await subject.eventQuery.rejected({}, { limit: 10 })).data).toHaveLength(1)
    })

    it('adds per-source, per-minute counters for accepted, duplicates, rejected and bytes', async () => {
      const minute2 = BUILDER_EPOCH + MINUTE
      const a1 = buildLogRecord({ sourceId: 'src_a', receivedAt: BUILDER_EPOCH + 1_000 })
      const a2 = buildLogRecord({ sourceId: 'src_a', receivedAt: BUILDER_EPOCH + 59_999 })
      // Bytes are UTF-8 bytes of the stored payload, not UTF-16 code units.
      const b1 = buildLogRecord({
        sourceId: 'src_b',
        receivedAt: minute2 + 5,
        payload: '{"é":"€"}',
      })
      const t1 = buildLogRecord()
      await log.append({
        records: [a1, a2, b1, { ...a1, receivedAt: BUILDER_EPOCH + 2_000 }],
        rejected: [buildRejectedRecord({ sourceId: 'src_a', receivedAt: BUILDER_EPOCH + 3 })],
      })
      await log.append({
        records: [{ ...b1, receivedAt: minute2 + 10 }, t1],
        rejected: [
          buildRejectedRecord({ sourceId: 'src_b', receivedAt: minute2 }),
          buildRejectedRecord({ sourceId: 'src_b', receivedAt: minute2 + 7 }),
        ],
      })
      const bytes = (...records: LogRecord[]): number =>
        records.reduce((sum, r) => sum + Buffer.byteLength(r.payload), 0)
      const row = (sourceId: string, minute: number, counts: [number, number, number, number]) => {
        const [accepted, duplicates, rejected, byteCount] = counts
        return { sourceId, minute, accepted, duplicates, rejected, bytes: byteCount }
      }
      const all = await subject.eventQuery.stats({ since: 0, until: BUILDER_EPOCH + 10 * MINUTE })
      expect(all).toEqual([
        row('src_a', BUILDER_EPOCH, [2, 1, 1, bytes(a1, a2)]),
        row('src_test', BUILDER_EPOCH, [1, 0, 0, bytes(t1)]),
        row('src_b', minute2, [1, 1, 2, 12]),
      ])
      expect(bytes(b1)).toBe(12)
    })

    it('stores nothing of a batch that fails', async () => {
      const before = buildLogRecord()
      await log.append({ records: [before], rejected: [] })
      const head = await log.head()
      const statsBefore = await subject.eventQuery.stats({
        since: 0,
        until: BUILDER_EPOCH + 10 * MINUTE,
      })
      const good = buildLogRecord()
      // A null messageId violates NOT NULL: the whole commit must roll back.
      const broken = { ...buildLogRecord(), messageId: null } as unknown as LogRecord
      await expect(
        log.append({ records: [good, broken], rejected: [buildRejectedRecord()] }),
      ).rejects.toThrow()
      expect((await readAll(log)).map((e) => e.messageId)).toEqual([before.messageId])
      expect(await log.head()).toBe(head)
      expect((await subject.eventQuery.rejected({}, { limit: 10 })).data).toEqual([])
      expect(
        await subject.eventQuery.stats({ since: 0, until: BUILDER_EPOCH + 10 * MINUTE }),
      ).toEqual(statsBefore)
      // The log is still usable, and the failed records can be retried.
      const retry = await log.append({ records: [good], rejected: [] })
      expect(retry.stored).toEqual([true])
      const entries = await readAll(log)
      expect(entries.map((e) => e.messageId)).toEqual([before.messageId, good.messageId])
      expectStrictlyIncreasing(entries.map((e) => e.offset))
    })

    it('serializes concurrent appends: each batch contiguous in order, offsets increasing', async () => {
      const batches = Array.from({ length: 20 }, (_, b) =>
        Array.from({ length: 5 }, () => buildLogRecord({ sourceId: `src_${b % 3}` })),
      )
      const shared = buildLogRecord()
      const results = await Promise.all(
        batches.map((records) => log.append({ records: [...records, shared], rejected: [] })),
      )
      for (const result of results) {
        expect(result.stored.slice(0, 5)).toEqual([true, true, true, true, true])
      }
      expect(results.filter((r) => r.stored[5] === true)).toHaveLength(1)
      const entries = await readAll(log)
      expect(entries).toHaveLength(101)
      expectStrictlyIncreasing(entries.map((e) => e.offset))
      const position = new Map(entries.map((e, i) => [e.messageId, i]))
      for (const records of batches) {
        const at = records.map((r) => position.get(r.messageId) ?? -1)
        expect(at[0]).toBeGreaterThanOrEqual(0)
        // One commit per append: its records keep their order and nothing interleaves.
        at.forEach((p, i) => expect(p).toBe((at[0] ?? 0) + i))
      }
      expect(await log.head()).toBe(entries.at(-1)?.offset)
      const stats = await subject.eventQuery.stats({ since: 0, until: BUILDER_EPOCH + MINUTE })
      expect(stats.reduce((sum, row) => sum + row.accepted, 0)).toBe(101)
      expect(stats.reduce((sum, row) => sum + row.duplicates, 0)).toBe(19)
    })
  })
}
