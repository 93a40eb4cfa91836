import { describe, expect, it } from 'vitest'
import type { RetryEntry } from './delivery-store.js'
import { applyOutcome, emptyCommit, keepAttempts, MAX_ATTEMPTS_KEPT } from './lane-outcomes.js'
import type { DeliveryEvent } from './model.js'
import type { SentEvent } from './send-window.js'
import { StatsAccumulator } from './stats.js'

const NOW = Date.parse('2026-12-01T10:00:00Z')
const event: DeliveryEvent = {
  seq: 7,
  messageId: 'm-7',
  sourceId: 'web',
  receivedAt: NOW - 120,
  event: {
    type: 'track',
    messageId: 'm-7',
    userId: 'u1',
    receivedAt: '',
    timestamp: '',
  },
  json: '{"type":"track","messageId":"m-7","userId":"u1"}',
}

function sent(outcome: SentEvent['outcome']): SentEvent {
  return {
    event,
    outcome,
    attempt: { at: NOW, durationMs: 5, code: null, httpStatus: null, message: null },
  }
}

function context(horizonMs = 60_000) {
  const commit = emptyCommit()
  const stats = new StatsAccumulator()
  return {
    ctx: {
      now: NOW,
      horizonMs,
      policy: { baseMs: 1000, maxMs: 60_000 },
      random: () => 1,
      stats,
      commit,
    },
    commit,
    stats,
  }
}

const error = { code: 'HTTP_503', message: 'unavailable', httpStatus: 503 }

describe('applyOutcome', () => {
  it('counts a delivery with its ingest-to-delivery latency', () => {
    const { ctx, stats } = context()
    expect(applyOutcome(ctx, sent({ status: 'delivered' }), null)).toBeNull()
    const [row] = stats.drain()
    expect(row).toMatchObject({ delivered: 1, retried: 0 })
    expect(row!.latency[2]).toBe(1) // 120 ms: the (100, 250] bucket
  })

  it('schedules a retry with backoff, keeping the event store as the payload source', () => {
    const { ctx, commit, stats } = context()
    const retry = applyOutcome(ctx, sent({ status: 'retry', error }), null)
    expect(retry).toMatchObject({
      seq: 7,
      userKey: 'u1',
      firstAttemptAt: NOW,
      nextAt: NOW + 1000,
      ownPayload: false,
    })
    expect(retry!.attempts).toHaveLength(1)
    expect(commit.errors.map((e) => e.error.code)).toEqual(['HTTP_503'])
    expect(stats.drain()[0]).toMatchObject({ retried: 1 })
  })

  it('honours the destination’s Retry-After', () => {
    const { ctx } = context()
    const retry = applyOutcome(ctx, sent({ status: 'retry', afterMs: 30_000, error }), null)
    expect(retry!.nextAt).toBe(NOW + 30_000)
  })

  it('dead-letters past the horizon with every attempt', () => {
    const { ctx, commit } = context(5_000)
    const previous: RetryEntry = {
      seq: 7,
      messageId: 'm-7',
      sourceId: 'web',
      receivedAt: NOW - 120,
      userKey: 'u1',
      attempts: [
        { at: NOW - 4000, durationMs: 3, code: 'HTTP_503', httpStatus: 503, message: 'x' },
      ],
      firstAttemptAt: NOW - 4000,
      nextAt: NOW,
      payload: event.json!,
      ownPayload: false,
    }
    expect(applyOutcome(ctx, sent({ status: 'retry', error }), previous)).toBeNull()
    expect(commit.deadLetters).toHaveLength(1)
    expect(commit.deadLetters[0]).toMatchObject({ seq: 7, firstAttemptAt: NOW - 4000, error })
    expect(commit.deadLetters[0]!.attempts).toHaveLength(2)
  })

  it('dead-letters a permanent failure at once and counts a skip as filtered', () => {
    const { ctx, commit, stats } = context()
    const failed = { code: 'HTTP_400', message: 'bad', httpStatus: 400 }
    expect(applyOutcome(ctx, sent({ status: 'failed', error: failed }), null)).toBeNull()
    expect(
      applyOutcome(ctx, sent({ status: 'skipped', reason: 'not subscribed' }), null),
    ).toBeNull()
    expect(commit.deadLetters.map((d) => d.error.code)).toEqual(['HTTP_400'])
    expect(stats.drain()[0]).toMatchObject({ failed: 1, deadLettered: 1, filtered: 1 })
  })
})

describe('keepAttempts', () => {
  it('keeps the first attempt and the latest ones', () => {
    const many = Array.from({ length: MAX_ATTEMPTS_KEPT + 30 }, (_, i) => i)
    const kept = keepAttempts(many)
    expect(kept).toHaveLength(MAX_ATTEMPTS_KEPT)
    expect(kept[0]).toBe(0)
    expect(kept.at(-1)).toBe(many.at(-1))
    expect(keepAttempts([1, 2])).toEqual([1, 2])
  })
})
