import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { LogRecord } from '../../protocol/index.js'
import { trackRecord } from '../../quality/quality-counters.contract.js'
import {
  aggregate,
  EventNames,
  startCountersConsumer,
  type CountersConsumer,
} from '../../quality/index.js'
import { openSqliteStorage, type SqliteStorage } from '../sqlite/open-sqlite-storage.js'

// The counters consumer on a real embedded store: events stored by the store step are folded
// into the volume and completeness counters exactly once.
const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const MINUTE = 60_000
const open: Array<{ dir: string; storage: SqliteStorage; consumer?: CountersConsumer }> = []

afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.consumer?.stop()
    await o.storage.close()
    rmSync(o.dir, { recursive: true, force: true })
  }
})

function openStore() {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-quality-consumer-'))
  const storage = openSqliteStorage({ dataDir: dir })
  const entry: (typeof open)[number] = { dir, storage }
  open.push(entry)
  let next = 1
  const store = async (records: readonly LogRecord[]) => {
    const entries = records.map((record) => ({ kind: 'event' as const, record, offset: next++ }))
    await storage.eventStore.apply('store', entries)
    return next - 1
  }
  return { storage, store, entry }
}

const required = [{ event: 'Order Completed', properties: ['total', 'currency'] }]

describe('data-quality counters consumer', () => {
  it('folds stored events into volume and completeness counters, in small batches', async () => {
    const { storage, store, entry } = openStore()
    const head = await store([
      trackRecord('Order Completed', T0, { total: 5, currency: 'EUR' }),
      trackRecord('Order Completed', T0 + 1000, { total: 7 }),
      trackRecord('Order Completed', T0 + MINUTE, { currency: 'EUR' }),
      trackRecord('Page Viewed', T0 + 2000),
      trackRecord('Page Viewed', T0 + 3000, {}, { sourceId: 'src_b' }),
    ])
    const consumer = await startCountersConsumer({
      counters: storage.qualityCounters,
      required: () => required,
      maxEventNames: 100,
      batchSize: 2,
      idleMs: 50,
      onError: (error) => {
        throw error
      },
    })
    entry.consumer = consumer
    expect(await consumer.waitFor(head, 5000)).toBe(true)
    const volume = await storage.qualityCounters.volume({ since: T0, until: T0 + 2 * MINUTE })
    expect(volume.map((r) => [r.sourceId, r.minute - T0, r.eventName, r.count])).toEqual(
      expect.arrayContaining([
        ['src_a', 0, 'Order Completed', 2],
        ['src_a', MINUTE, 'Order Completed', 1],
        ['src_a', 0, 'Page Viewed', 1],
        ['src_b', 0, 'Page Viewed', 1],
      ]),
    )
    expect(volume).toHaveLength(4)
    const completeness = await storage.qualityCounters.completeness({
      since: T0,
      until: T0 + 2 * MINUTE,
    })
    const sums = new Map<string, [number, number]>()
    for (const r of completeness) {
      const [p, c] = sums.get(r.property) ?? [0, 0]
      sums.set(r.property, [p + r.present, c + r.checked])
    }
    expect(Object.fromEntries(sums)).toEqual({ total: [2, 3], currency: [2, 3] })

    // More events later: a poke folds them in; nothing is counted twice.
    const later = await store([trackRecord('Page Viewed', T0 + 4000)])
    consumer.poke()
    expect(await consumer.waitFor(later, 5000)).toBe(true)
    const pages = await storage.qualityCounters.volume({
      since: T0,
      until: T0 + MINUTE,
      sourceId: 'src_a',
      eventName: 'Page Viewed',
    })
    expect(pages.map((r) => r.count)).toEqual([2])
  })

  it('counts a batch applied twice once (replay after a crash before the answer)', async () => {
    const { storage, store } = openStore()
    await store([trackRecord('A', T0), trackRecord('A', T0 + 1)])
    const counters = storage.qualityCounters
    const events = await counters.eventsAfter(0, 10)
    const delta = aggregate(events, [], new EventNames(10))
    expect(await counters.apply(0, 2, delta)).toBe(true)
    // The same batch again, as a restarted consumer that read the old position would.
    expect(await counters.apply(0, 2, aggregate(events, [], new EventNames(10)))).toBe(false)
    const rows = await counters.volume({ since: T0, until: T0 + MINUTE })
    expect(rows.map((r) => r.count)).toEqual([2])
  })

  it('resumes from its stored position after a restart, and passes non-event offsets', async () => {
    const { storage, store, entry } = openStore()
    const first = await store([trackRecord('A', T0)])
    const options = {
      counters: storage.qualityCounters,
      required: () => [],
      maxEventNames: 1,
      idleMs: 50,
      onError: (error: unknown) => {
        throw error
      },
    }
    let consumer = await startCountersConsumer(options)
    expect(await consumer.waitFor(first, 5000)).toBe(true)
    await consumer.stop()
    const second = await store([trackRecord('B', T0 + 10)])
    // Restarted with the name cap reached: B is counted as (other); A is not counted again.
    // The store head is past the last event (a rejection took offset second + 1).
    consumer = await startCountersConsumer({ ...options, storeHead: () => second + 1 })
    entry.consumer = consumer
    expect(await consumer.waitFor(second + 1, 5000)).toBe(true)
    const rows = await storage.qualityCounters.volume({ since: T0, until: T0 + MINUTE })
    expect(rows.map((r) => [r.eventName, r.count]).sort()).toEqual([
      ['(other)', 1],
      ['A', 1],
    ])
    expect(await storage.qualityCounters.position()).toBe(second + 1)
  })
})
