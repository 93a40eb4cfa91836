/**
 * Turns the outcomes of a send into the rows of a {@link LaneCommit}: stats, retries, dead
 * letters and error samples. Pure; shared by the live, retry and backfill steps.
 */
import { pastHorizon, retryDelay, type BackoffPolicy } from './backoff.js'
import type { AttemptRecord, LaneCommit, RetryEntry } from './delivery-store.js'
import type { DeliveryError } from './driver.js'
import type { DeliveryEvent } from './model.js'
import type { SentEvent } from './send-window.js'
import type { StatsAccumulator } from './stats.js'

/**
 * Attempts kept per event (the first ones and the most recent beyond this many). With the
 * default backoff (1 s doubling to 10 min) a 4-hour horizon makes about 35 attempts.
 */
export const MAX_ATTEMPTS_KEPT = 100

/** Keeps the first attempt and the most recent ones, at most {@link MAX_ATTEMPTS_KEPT}. */
export function keepAttempts<T>(attempts: T[]): T[] {
  if (attempts.length <= MAX_ATTEMPTS_KEPT) return attempts
  return [attempts[0]!, ...attempts.slice(-(MAX_ATTEMPTS_KEPT - 1))]
}

/** Error samples kept per step (one per distinct code). */
const SAMPLES_PER_STEP = 3

export interface OutcomeContext {
  now: number
  horizonMs: number
  policy: BackoffPolicy
  random: () => number
  stats: StatsAccumulator
  commit: LaneCommit
}

export function userKeyOf(event: DeliveryEvent): string | null {
  const id = event.event.userId ?? event.event.anonymousId
  return typeof id === 'string' && id !== '' ? id : null
}

export function payloadOf(event: DeliveryEvent): string {
  return event.json ?? JSON.stringify(event.event)
}

/** Records an error sample unless this step already has one with the same code. */
export function sampleError(ctx: OutcomeContext, messageId: string, error: DeliveryError): void {
  const { errors } = ctx.commit
  if (errors.length >= SAMPLES_PER_STEP || errors.some((e) => e.error.code === error.code)) return
  errors.push({ at: ctx.now, messageId, error })
}

export function deadLetter(
  ctx: OutcomeContext,
  event: DeliveryEvent,
  error: DeliveryError,
  attempts: AttemptRecord[],
  firstAttemptAt: number,
): void {
  ctx.commit.deadLetters.push({
    seq: event.seq,
    messageId: event.messageId,
    sourceId: event.sourceId,
    receivedAt: event.receivedAt,
    payload: payloadOf(event),
    error,
    attempts,
    firstAttemptAt,
    failedAt: ctx.now,
  })
  ctx.stats.count('deadLettered', ctx.now)
}

/**
 * Applies one event's outcome. `previous` is the retry entry the event came from (null for a
 * first attempt). Returns the retry entry to keep, or null when the event is settled.
 */
export function applyOutcome(
  ctx: OutcomeContext,
  sent: SentEvent,
  previous: RetryEntry | null,
): RetryEntry | null {
  const { event, outcome, attempt } = sent
  const attempts = keepAttempts([...(previous?.attempts ?? []), attempt])
  const firstAttemptAt = previous?.firstAttemptAt ?? attempt.at
  switch (outcome.status) {
    case 'delivered':
      ctx.stats.delivered(ctx.now, ctx.now - event.receivedAt)
      return null
    case 'skipped':
      ctx.stats.count('filtered', ctx.now)
      return null
    case 'failed':
      ctx.stats.count('failed', ctx.now)
      sampleError(ctx, event.messageId, outcome.error)
      deadLetter(ctx, event, outcome.error, attempts, firstAttemptAt)
      return null
    case 'retry': {
      ctx.stats.count('retried', ctx.now)
      sampleError(ctx, event.messageId, outcome.error)
      const nextAt = ctx.now + retryDelay(attempts.length, ctx.policy, ctx.random, outcome.afterMs)
      if (pastHorizon(nextAt, firstAttemptAt, ctx.horizonMs)) {
        deadLetter(ctx, event, outcome.error, attempts, firstAttemptAt)
        return null
      }
      return {
        seq: event.seq,
        messageId: event.messageId,
        sourceId: event.sourceId,
        receivedAt: event.receivedAt,
        userKey: userKeyOf(event),
        attempts,
        firstAttemptAt,
        nextAt,
        payload: previous?.payload ?? payloadOf(event),
        ownPayload: previous?.ownPayload ?? false,
      }
    }
  }
}

export function emptyCommit(): LaneCommit {
  return { retries: [], retriesDone: [], deadLetters: [], stats: [], errors: [] }
}
