import { describe, expect, it } from 'vitest'
import { retryDelay, pastHorizon } from './backoff.js'
import {
  classifyHttpResponse,
  classifyTransportError,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
} from './classify.js'

const NOW = Date.parse('2026-12-01T10:00:00Z')

describe('classifyHttpResponse', () => {
  it.each([
    [200, 'ok'],
    [201, 'ok'],
    [204, 'ok'],
    [299, 'ok'],
    [301, 'fail'],
    [304, 'fail'],
    [400, 'fail'],
    [401, 'fail'],
    [403, 'fail'],
    [404, 'fail'],
    [408, 'retry'],
    [409, 'fail'],
    [410, 'retry'],
    [413, 'fail'],
    [422, 'fail'],
    [429, 'retry'],
    [460, 'retry'],
    [499, 'fail'],
    [500, 'retry'],
    [501, 'fail'],
    [502, 'retry'],
    [503, 'retry'],
    [504, 'retry'],
    [505, 'fail'],
    [511, 'retry'],
    [599, 'retry'],
  ])('%i → %s', (status, kind) => {
    expect(classifyHttpResponse(status, {}, NOW).kind).toBe(kind)
  })

  it('honours Retry-After in seconds and as an HTTP date, capped', () => {
    expect(classifyHttpResponse(429, { 'retry-after': '7' }, NOW)).toEqual({
      kind: 'retry',
      afterMs: 7000,
    })
    const at = new Date(NOW + 30_000).toUTCString()
    expect(classifyHttpResponse(503, { 'retry-after': at }, NOW)).toEqual({
      kind: 'retry',
      afterMs: 30_000,
    })
    expect(classifyHttpResponse(503, { 'retry-after': '86400' }, NOW)).toEqual({
      kind: 'retry',
      afterMs: MAX_RETRY_AFTER_MS,
    })
    expect(classifyHttpResponse(500, {}, NOW)).toEqual({ kind: 'retry', afterMs: undefined })
  })
})

describe('parseRetryAfter', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['soon', undefined],
    ['-5', undefined],
    ['0', 0],
    ['1.5', 1500],
    [new Date(NOW - 10_000).toUTCString(), 0],
  ])('%s → %s', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected)
  })
})

describe('classifyTransportError', () => {
  it.each([
    ['ECONNREFUSED', 'retry'],
    ['ECONNRESET', 'retry'],
    ['ENOTFOUND', 'retry'],
    ['EAI_AGAIN', 'retry'],
    ['TIMEOUT', 'retry'],
    ['EGRESS_BLOCKED', 'fail'],
    ['INVALID_URL', 'fail'],
  ])('%s → %s', (code, kind) => {
    expect(classifyTransportError(code).kind).toBe(kind)
  })
})

describe('retryDelay', () => {
  const policy = { baseMs: 1000, maxMs: 60_000 }

  it('doubles from the base with jitter in [d/2, d], up to the cap', () => {
    expect(retryDelay(1, policy, () => 0)).toBe(500)
    expect(retryDelay(1, policy, () => 1)).toBe(1000)
    expect(retryDelay(3, policy, () => 1)).toBe(4000)
    expect(retryDelay(3, policy, () => 0)).toBe(2000)
    expect(retryDelay(20, policy, () => 1)).toBe(60_000)
  })

  it('waits at least as long as the destination asked', () => {
    expect(retryDelay(1, policy, () => 1, 9000)).toBe(9000)
    expect(retryDelay(5, policy, () => 1, 100)).toBe(16_000)
  })

  it('says when the next attempt would fall past the horizon', () => {
    expect(pastHorizon(NOW + 1000, NOW, 1000)).toBe(false)
    expect(pastHorizon(NOW + 1001, NOW, 1000)).toBe(true)
  })
})
