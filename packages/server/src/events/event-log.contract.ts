import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { LogRecord } from '../protocol/index.js'
import { BUILDER_EPOCH, buildEventItem, buildRejectionItem } from '../testing/builders.js'
import type { AppendResult, EventLog, LogEntry, LogItem } from './event-log.js'

/**
 * What the {@link EventLog} suite needs from an adapter: the log, and a way to open the same
 * log again as a restarted process would (same folder, same database).
 */
export interface EventLogContractSubject {
  readonly eventLog: EventLog
  /** Closes this subject and opens the same log again; the suite closes the returned one. */
  reopen(): Promise<EventLogContractSubject>
  close(): Promise<void>
}

/** Items without their offsets, to compare with what was appended. */
function itemsOf(entries: readonly LogEntry[]): LogItem[] {
  return entries.map(({ offset: _offset, ...item }) => item)
}

function offsetsOf(entries: readonly LogEntry[]): number[] {
  return entries.map((e) => e.offset)
}

/** `[from, from + 1, …, to]`. */
function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i)
}

function readAll(log: EventLog): Promise<LogEntry[]> {
  return log.read(0, 1_000_000)
}

/** A few items of both kinds; `padding` makes payloads bigger so small segments roll. */
function someItems(count: number, padding = 0): LogItem[] {
  return Array.from({ length: count }, (_, i) => {
    const pad = 'x'.repeat(padding)
    if (i % 4 === 3) return buildRejectionItem({ payload: JSON.stringify({ type: 'track', pad }) })
    const record = buildEventItem({ sourceId: `src_${i % 3}` }).record
    const payload = JSON.stringify({ ...(JSON.parse(record.payload) as object), pad })
    return { kind: 'event', record: { ...record, payload } }
  })
}

/**
 * The guarantees documented on {@link EventLog}, for every adapter. `open` is called before
 * each test and must return an empty log; the suite closes it (or what `reopen` returned) after
 * the test.
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

    async function reopen(): Promise<void> {
      subject = await subject.reopen()
      log = subject.eventLog
    }

    it('starts empty: head is 0, reads return nothing, an empty append takes no offset', async () => {
      expect(await log.head()).toBe(0)
      expect(await log.read(0, 10)).toEqual([])
      expect(await log.append([])).toEqual({ first: 1, last: 0 })
      expect(await log.head()).toBe(0)
      await log.release(0)
      expect(await log.append([buildEventItem()])).toEqual({ first: 1, last: 1 })
    })

    it('gives consecutive offsets from head + 1, in item order, across appends', async () => {
      const first = someItems(3)
      const second = someItems(2)
      expect(await log.append(first)).toEqual({ first: 1, last: 3 })
      expect(await log.head()).toBe(3)
      expect(await log.append(second)).toEqual({ first: 4, last: 5 })
      expect(await log.head()).toBe(5)
      expect(await log.append([])).toEqual({ first: 6, last: 5 })
      const entries = await readAll(log)
      expect(offsetsOf(entries)).toEqual([1, 2, 3, 4, 5])
      expect(itemsOf(entries)).toEqual([...first, ...second])
    })

    it('reads back every field of events and rejections', async () => {
      const items: LogItem[] = [
        buildEventItem({ anonymousId: 'anon-1', timestamp: BUILDER_EPOCH - 5_000 }),
        buildEventItem({ type: 'identify', name: null, userId: null, anonymousId: 'anon-2' }),
        buildRejectionItem({
          sourceId: 'src_r',
          receivedAt: BUILDER_EPOCH + 7,
          code: 'EVENT_TOO_LARGE',
          reason: 'event is larger than 32 KB — “quoted”',
        }),
        buildEventItem({ type: 'page', name: null, payload: '{"type":"page","ünïcode":"✓ 😀"}' }),
        buildRejectionItem({ messageId: null, payload: 'not json { ✓' }),
        buildEventItem({ type: 'alias', receivedAt: 2 ** 42, timestamp: -1_000 }),
        buildRejectionItem({ payload: '' }),
      ]
      const result = await log.append(items)
      expect(result).toEqual({ first: 1, last: items.length })
      const entries = await readAll(log)
      expect(entries).toEqual(items.map((item, i) => ({ ...item, offset: i + 1 })))
      expect(entries[0]?.kind).toBe('event')
      expect(entries[2]?.kind).toBe('rejection')
    })

    it('appends prepared batches as one append, in order, with what they held', async () => {
      const items = someItems(7, 400)
      await log.append(items.slice(0, 1))
      const prepared = [
        log.prepare(items.slice(1, 3)),
        log.prepare([]),
        log.prepare(items.slice(3, 7)),
      ]
      expect(prepared.map((p) => p.count)).toEqual([2, 0, 4])
      // The prepared form is a snapshot: changing an item afterwards changes nothing.
      const original = structuredClone(items)
      const changed = items[1]
      if (changed) changed.record = { ...changed.record, payload: '{"changed":true}' }
      expect(await log.appendPrepared(prepared)).toEqual({ first: 2, last: 7 })
      const entries = await readAll(log)
      expect(offsetsOf(entries)).toEqual(range(1, 7))
      expect(itemsOf(entries)).toEqual(original)
      expect(await log.appendPrepared([log.prepare([])])).toEqual({ first: 8, last: 7 })
      expect(await log.head()).toBe(7)
    })

    it('refuses a batch it did not prepare, and stays usable', async () => {
      const foreign = { count: 1 }
      await expect(log.appendPrepared([foreign])).rejects.toThrow(TypeError)
      expect(await log.append(someItems(1))).toEqual({ first: 1, last: 1 })
    })

    it('pages with read(after, limit) in ascending order, without gaps or repeats', async () => {
      const items = someItems(10, 200)
      await log.append(items.slice(0, 4))
      await log.append(items.slice(4, 5))
      await log.append(items.slice(5))
      const seen: LogEntry[] = []
      let after = 0
      for (;;) {
        const page = await log.read(after, 3)
        expect(page.length).toBeLessThanOrEqual(3)
        const last = page.at(-1)
        if (!last) break
        expect(offsetsOf(page)).toEqual(range(after + 1, last.offset))
        seen.push(...page)
        after = last.offset
      }
      expect(itemsOf(seen)).toEqual(items)
      expect(after).toBe(await log.head())
      expect(await log.read(after, 3)).toEqual([])
      expect(await log.read(after + 100, 3)).toEqual([])
      expect(offsetsOf(await log.read(4, 2))).toEqual([5, 6])
      expect(offsetsOf(await log.read(4, 1))).toEqual([5])
      expect(offsetsOf(await log.read(8, 100))).toEqual([9, 10])
      expect(itemsOf(await log.read(5, 1))).toEqual([items[5]])
    })

    it('keeps everything appended across a reopen, and numbers on after it', async () => {
      const items = someItems(9, 300)
      await log.append(items.slice(0, 5))
      await log.append(items.slice(5))
      const before = await readAll(log)
      await reopen()
      expect(await log.head()).toBe(9)
      expect(await readAll(log)).toEqual(before)
      const more = someItems(2)
      expect(await log.append(more)).toEqual({ first: 10, last: 11 })
      await reopen()
      expect(itemsOf(await readAll(log))).toEqual([...items, ...more])
      expect(await log.head()).toBe(11)
    })

    it('gives concurrent appends distinct consecutive ranges, with no gaps', async () => {
      const batches = Array.from({ length: 20 }, (_, b) => someItems(1 + (b % 6), 150))
      const results = await Promise.all(batches.map((items) => log.append(items)))
      const total = batches.reduce((sum, items) => sum + items.length, 0)
      results.forEach((result, b) => {
        expect(result.last - result.first + 1).toBe(batches[b]?.length)
      })
      const sorted = [...results].sort((a, b) => a.first - b.first)
      expect(sorted.flatMap((r) => range(r.first, r.last))).toEqual(range(1, total))
      expect(await log.head()).toBe(total)
      const entries = await readAll(log)
      expect(offsetsOf(entries)).toEqual(range(1, total))
      results.forEach((result: AppendResult, b) => {
        // One append, one contiguous run in its own order: nothing interleaves.
        expect(itemsOf(entries.slice(result.first - 1, result.last))).toEqual(batches[b])
      })
    })

    it('shows nothing of a failed append, and gives its offsets to the next one', async () => {
      await log.append(someItems(2))
      const good = buildEventItem()
      const broken = { ...buildEventItem(), record: { ...good.record, payload: null } }
      await expect(log.append([good, broken as unknown as LogItem])).rejects.toThrow()
      expect(await log.head()).toBe(2)
      expect(offsetsOf(await readAll(log))).toEqual([1, 2])
      expect(await log.append([good])).toEqual({ first: 3, last: 3 })
      expect(itemsOf(await log.read(2, 10))).toEqual([good])
    })

    it('round-trips an item larger than everything else in the log', async () => {
      const big = buildEventItem()
      const record: LogRecord = {
        ...big.record,
        payload: JSON.stringify({ type: 'track', blob: 'é'.repeat(40_000) }),
      }
      const items: LogItem[] = [...someItems(2), { kind: 'event', record }, ...someItems(1)]
      await log.append(items)
      expect(itemsOf(await readAll(log))).toEqual(items)
      await reopen()
      expect(itemsOf(await readAll(log))).toEqual(items)
    })

    it('release keeps every entry above upTo and the head, also across a reopen', async () => {
      const items = someItems(30, 500)
      for (let b = 0; b < 6; b++) await log.append(items.slice(b * 5, b * 5 + 5))
      await log.release(17)
      expect(await log.head()).toBe(30)
      expect(itemsOf(await log.read(17, 100))).toEqual(items.slice(17))
      const remaining = await readAll(log)
      // Whatever the adapter dropped is a prefix at or below upTo.
      expect(remaining[0]?.offset).toBeLessThanOrEqual(18)
      expect(offsetsOf(remaining)).toEqual(range(remaining[0]?.offset ?? 0, 30))
      await reopen()
      expect(await log.head()).toBe(30)
      expect(itemsOf(await log.read(17, 100))).toEqual(items.slice(17))
      expect(await log.append(someItems(1))).toEqual({ first: 31, last: 31 })
    })

    it('numbers on after a release of everything, also across a reopen', async () => {
      await log.append(someItems(12, 500))
      await log.release(12)
      expect(await log.head()).toBe(12)
      expect(await log.append(someItems(1))).toEqual({ first: 13, last: 13 })
      await log.release(13)
      await reopen()
      expect(await log.head()).toBe(13)
      expect(await log.append(someItems(2))).toEqual({ first: 14, last: 15 })
      expect(offsetsOf(await log.read(13, 10))).toEqual([14, 15])
    })
  })
}
