import { describe, expect, it } from 'vitest'
import { EventErrors } from './errors.js'
import { normalizeEvent, type NormalizeContext } from './normalize-event.js'
import { correctTimestamp, parseTime } from './timestamps.js'

const receivedAt = Date.parse('2026-01-01T00:00:00.000Z')

describe('parseTime', () => {
  it('reads ISO-8601 strings and epoch-ms numbers', () => {
    expect(parseTime('2024-02-03T04:05:06.789Z')).toBe(Date.parse('2024-02-03T04:05:06.789Z'))
    expect(parseTime(1_700_000_000_000)).toBe(1_700_000_000_000)
    expect(parseTime(-8.64e15)).toBe(-8.64e15)
    expect(parseTime(8.64e15)).toBe(8.64e15)
  })

  it('is undefined when absent and NaN when not a date', () => {
    expect(parseTime(undefined)).toBeUndefined()
    expect(parseTime(null)).toBeUndefined()
    for (const bad of ['yesterday', '', true, {}, [], Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(parseTime(bad), JSON.stringify(bad)).toBeNaN()
    }
  })

  it('refuses numbers outside the Date range, which toISOString cannot write', () => {
    for (const bad of [8.64e15 + 1, -8.64e15 - 1, 1e20, -1e20, 1e308]) {
      expect(parseTime(bad), String(bad)).toBeNaN()
    }
  })
})

describe('correctTimestamp', () => {
  it('applies receivedAt − (sentAt − originalTimestamp)', () => {
    expect(correctTimestamp({ receivedAt, sentAt: 5_000, originalTimestamp: 2_000 })).toBe(
      receivedAt - 3_000,
    )
    expect(correctTimestamp({ receivedAt, sentAt: undefined, originalTimestamp: 2_000 })).toBe(
      2_000,
    )
    expect(correctTimestamp({ receivedAt, sentAt: 5_000, originalTimestamp: undefined })).toBe(
      receivedAt,
    )
  })
})

describe('normalizeEvent with out-of-range numeric times', () => {
  const ctx: NormalizeContext = {
    sourceId: 'src',
    routeType: 'track',
    receivedAt,
    batchSentAt: undefined,
    batchContext: undefined,
    batchIntegrations: undefined,
    ip: undefined,
  }

  // These used to pass the range check on `timestamp` (it falls back to receivedAt or the
  // offsets cancel out) and then throw a RangeError from toISOString: a 500 on /v1/track.
  it.each([
    { sentAt: -1e20 },
    { timestamp: 1e20, sentAt: 1e20 },
    { timestamp: 9e15, sentAt: 9e15 },
  ])('rejects %j as EVENT_INVALID_TIMESTAMP instead of throwing', (times) => {
    const result = normalizeEvent({ userId: 'u', event: 'E', ...times }, ctx)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.code).toBe(EventErrors.invalidTimestamp.code)
  })

  it('rejects a batch-level sentAt out of range the same way', () => {
    const result = normalizeEvent({ userId: 'u', event: 'E' }, { ...ctx, batchSentAt: 1e20 })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.code).toBe(EventErrors.invalidTimestamp.code)
  })
})
