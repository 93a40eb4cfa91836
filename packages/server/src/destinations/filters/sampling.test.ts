import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { SegmentEvent } from '../../protocol/index.js'
import type { DeliveryEvent } from '../model.js'
import { compileFilters } from './apply-filters.js'
import { keepSample, sampleKey, samplePosition } from './sampling.js'

/** A small seeded generator (mulberry32), so random sampling is reproducible. */
function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function delivery(event: Record<string, unknown>): DeliveryEvent {
  const full = { type: 'track', messageId: 'm', receivedAt: '', timestamp: '', ...event }
  return {
    seq: 1,
    messageId: 'm',
    sourceId: 's',
    receivedAt: 0,
    event: full as SegmentEvent,
    json: null,
  }
}

const noRandom = () => {
  throw new Error('random() must not be called')
}

describe('samplePosition', () => {
  it('is the first 48 bits of the MD5 digest over 2^48', () => {
    expect(samplePosition('')).toBe(0xd41d8cd98f00 / 2 ** 48)
    const digest = createHash('md5').update('user-42').digest()
    expect(samplePosition('user-42')).toBe(digest.readUIntBE(0, 6) / 2 ** 48)
  })

  it('hashes strings as they are and other values by their text', () => {
    expect(sampleKey('42')).toBe('42')
    expect(sampleKey(42)).toBe('42')
    expect(sampleKey(true)).toBe('true')
    expect(sampleKey({ a: [1] })).toBe('{"a":[1]}')
    expect(sampleKey(null)).toBeNull()
  })
})

describe('keepSample', () => {
  it('gives one value the same decision every time', () => {
    for (const user of ['user-1', 'user-2', 'user-3', 'user-4', 'user-5']) {
      const first = keepSample(user, 0.5, noRandom)
      for (let i = 0; i < 5; i++) expect(keepSample(user, 0.5, noRandom)).toBe(first)
    }
  })

  it.each([0.1, 0.5, 0.9])('keeps %s of 10,000 distinct values, within 2 points', (percent) => {
    let keptCount = 0
    for (let i = 0; i < 10_000; i++) if (keepSample(`user-${i}`, percent, noRandom)) keptCount++
    expect(Math.abs(keptCount / 10_000 - percent)).toBeLessThanOrEqual(0.02)
  })

  it('nests samples: what 10% keeps, 20% keeps too', () => {
    for (let i = 0; i < 2_000; i++) {
      if (keepSample(`user-${i}`, 0.1, noRandom)) {
        expect(keepSample(`user-${i}`, 0.2, noRandom)).toBe(true)
      }
    }
  })

  it('keeps everything at 1 and nothing at 0 without drawing', () => {
    expect(keepSample(null, 1, noRandom)).toBe(true)
    expect(keepSample('user-1', 0, noRandom)).toBe(false)
  })

  it('draws when there is no value, keeping draws below percent', () => {
    expect(keepSample(null, 0.5, () => 0.49)).toBe(true)
    expect(keepSample(null, 0.5, () => 0.5)).toBe(false)
  })
})

describe('the sample action', () => {
  it('samples randomly without a path, at the expected rate for a seeded source', () => {
    const filters = compileFilters(
      [
        {
          id: 's',
          title: '',
          enabled: true,
          if: 'all',
          actions: [{ type: 'sample', percent: 0.3 }],
        },
      ],
      { random: seeded(7) },
    )
    let keptCount = 0
    for (let i = 0; i < 10_000; i++) if ('kept' in filters.apply(delivery({}))) keptCount++
    expect(Math.abs(keptCount / 10_000 - 0.3)).toBeLessThanOrEqual(0.02)
  })

  it('decides by the value at the path, the same way for every destination', () => {
    const actions = [{ type: 'sample' as const, percent: 0.5, path: 'properties.account' }]
    const make = () =>
      compileFilters([{ id: 'by-account', title: '', enabled: true, if: 'all', actions }], {
        random: noRandom,
      })
    const a = make()
    const b = make()
    let keptCount = 0
    for (let i = 0; i < 200; i++) {
      const event = delivery({ properties: { account: i } })
      const outcome = a.apply(event)
      expect(b.apply(event)).toEqual(outcome)
      expect(outcome).toEqual(
        keepSample(i, 0.5, noRandom) ? { kept: event } : { dropped: 'filter:by-account:sample' },
      )
      if ('kept' in outcome) keptCount++
    }
    expect(keptCount).toBeGreaterThan(60)
    expect(keptCount).toBeLessThan(140)
  })

  it('falls back to the random source when the path holds nothing', () => {
    let draws = 0
    const filters = compileFilters(
      [
        {
          id: 's',
          title: '',
          enabled: true,
          if: 'all',
          actions: [{ type: 'sample', percent: 0.5, path: 'userId' }],
        },
      ],
      { random: () => (draws++, 0.9) },
    )
    expect(filters.apply(delivery({}))).toEqual({ dropped: 'filter:s:sample' })
    expect(draws).toBe(1)
  })
})
