import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { LogRecord } from '../protocol/index.js'
import type { CounterDelta, QualityCounters } from './quality-store.js'

/** What the {@link QualityCounters} suite needs: a fresh store and a way to store events. */
export interface QualityCountersContractSubject {
  readonly qualityCounters: QualityCounters
  /** Stores `records` as the store consumer would (log offsets from 1 on, in order). */
  storeEvents(records: readonly LogRecord[]): Promise<void>
  close(): Promise<void>
}

/** 2026-01-01T00:00:00Z. */
const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const MINUTE = 60_000

let counter = 0
/** A track event of `event` received at `at`, with `properties`. */
export function trackRecord(
  event: string,
  at: number,
  properties: Record<string, unknown> = {},
  overrides: Partial<LogRecord> = {},
): LogRecord {
  counter += 1
  const messageId = overrides.messageId ?? `contract-${counter}-${Math.random()}`
  const sourceId = overrides.sourceId ?? 'src_a'
  return {
    messageId,
    sourceId,
    type: 'track',
    name: event,
    userId: 'u-1',
    anonymousId: null,
    receivedAt: at,
    timestamp: at,
    payload: JSON.stringify({ type: 'track', event, userId: 'u-1', messageId, properties }),
    ...overrides,
  }
}

const delta = (partial: Partial<CounterDelta>): CounterDelta => ({
  volume: [],
  completeness: [],
  newNames: [],
  ...partial,
})

/** The guarantees documented on {@link QualityCounters}, for every adapter. */
export function describeQualityCountersContract(
  name: string,
  open: () => Promise<QualityCountersContractSubject>,
): void {
  describe(`QualityCounters contract: ${name}`, () => {
    let subject: QualityCountersContractSubject
    let counters: QualityCounters

    beforeEach(async () => {
      subject = await open()
      counters = subject.qualityCounters
    })

    afterEach(async () => {
      await subject.close()
    })

    it('starts at position 0 with no counters', async () => {
      expect(await counters.position()).toBe(0)
      expect(await counters.volume({ since: 0, until: T0 * 2 })).toEqual([])
      expect(await counters.eventNames()).toEqual([])
    })

    it('reads stored events after a seq, in order, up to a limit', async () => {
      await subject.storeEvents([
        trackRecord('A', T0, { x: 1 }),
        trackRecord('B', T0 + 1),
        trackRecord('C', T0 + 2),
      ])
      const all = await counters.eventsAfter(0, 10)
      expect(all.map((e) => [e.seq, e.name, e.sourceId, e.type, e.receivedAt])).toEqual([
        [1, 'A', 'src_a', 'track', T0],
        [2, 'B', 'src_a', 'track', T0 + 1],
        [3, 'C', 'src_a', 'track', T0 + 2],
      ])
      expect(JSON.parse(all[0]?.payload ?? '{}')).toMatchObject({ properties: { x: 1 } })
      expect((await counters.eventsAfter(1, 1)).map((e) => e.seq)).toEqual([2])
      expect(await counters.eventsAfter(3, 10)).toEqual([])
    })

    it('adds deltas and moves the position together, once per position', async () => {
      const row = { sourceId: 'src_a', minute: T0, eventType: 'track', eventName: 'A', count: 2 }
      const names = [{ sourceId: 'src_a', eventType: 'track', eventName: 'A' }]
      expect(await counters.apply(0, 5, delta({ volume: [row], newNames: names }))).toBe(true)
      // The same batch again (a replay) is refused and counts nothing.
      expect(await counters.apply(0, 5, delta({ volume: [row], newNames: names }))).toBe(false)
      expect(await counters.position()).toBe(5)
      expect(await counters.apply(5, 9, delta({ volume: [{ ...row, count: 3 }] }))).toBe(true)
      expect(await counters.apply(4, 12, delta({ volume: [row] }))).toBe(false)
      expect(await counters.position()).toBe(9)
      expect(await counters.volume({ since: T0, until: T0 + MINUTE })).toEqual([
        { ...row, count: 5 },
      ])
      expect(await counters.eventNames()).toEqual(names)
    })

    it('filters volume and completeness by range, source and event name', async () => {
      const at = (m: number) => T0 + m * MINUTE
      await counters.apply(
        0,
        1,
        delta({
          volume: [
            { sourceId: 'src_a', minute: at(0), eventType: 'track', eventName: 'A', count: 1 },
            { sourceId: 'src_a', minute: at(1), eventType: 'track', eventName: 'B', count: 2 },
            { sourceId: 'src_b', minute: at(1), eventType: 'track', eventName: 'A', count: 4 },
            { sourceId: 'src_a', minute: at(2), eventType: 'track', eventName: 'A', count: 8 },
          ],
          completeness: [
            {
              sourceId: 'src_a',
              minute: at(0),
              eventName: 'A',
              property: 'p',
              checked: 2,
              present: 1,
            },
            {
              sourceId: 'src_a',
              minute: at(1),
              eventName: 'A',
              property: 'p',
              checked: 3,
              present: 3,
            },
          ],
        }),
      )
      const counts = (rows: Array<{ count: number }>) => rows.map((r) => r.count)
      expect(counts(await counters.volume({ since: at(0), until: at(2) }))).toEqual([1, 2, 4])
      expect(
        counts(await counters.volume({ since: at(1), until: at(3), sourceId: 'src_a' })),
      ).toEqual([2, 8])
      expect(counts(await counters.volume({ since: at(0), until: at(3), eventName: 'A' }))).toEqual(
        [1, 4, 8],
      )
      const completeness = await counters.completeness({
        since: at(1),
        until: at(2),
        eventName: 'A',
      })
      expect(completeness).toEqual([
        { sourceId: 'src_a', minute: at(1), eventName: 'A', property: 'p', checked: 3, present: 3 },
      ])
      // Completeness increments add up.
      await counters.apply(
        1,
        2,
        delta({
          completeness: [
            {
              sourceId: 'src_a',
              minute: at(1),
              eventName: 'A',
              property: 'p',
              checked: 1,
              present: 0,
            },
          ],
        }),
      )
      expect((await counters.completeness({ since: at(1), until: at(2) }))[0]).toMatchObject({
        checked: 4,
        present: 3,
      })
    })

    it('reads accepted and duplicate counts per minute from the ingest counters', async () => {
      const first = trackRecord('A', T0 + 10, {}, { messageId: 'dup-1' })
      await subject.storeEvents([first, trackRecord('A', T0 + 20), { ...first }])
      const rows = await counters.duplicates({ since: T0, until: T0 + MINUTE, sourceId: 'src_a' })
      expect(rows).toEqual([{ minute: T0, accepted: 2, duplicates: 1 }])
      expect(
        await counters.duplicates({ since: T0, until: T0 + MINUTE, sourceId: 'other' }),
      ).toEqual([])
    })
  })
}
