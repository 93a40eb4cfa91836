/**
 * Retry timing: exponential backoff with full jitter, starting at `baseMs` and capped at
 * `maxMs`, and the horizon after which an event is dead-lettered.
 */

export interface BackoffPolicy {
  baseMs: number
  maxMs: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 10 * 60_000 }

/**
 * Delay before attempt `attempt + 1` after `attempt` failed attempts (attempt ≥ 1): a uniform
 * draw in [d/2, d] with d = min(maxMs, baseMs · 2^(attempt−1)), so retries of many events
 * spread out but never come sooner than half the nominal delay. `hint` (a `Retry-After`)
 * wins when it is longer.
 */
export function retryDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number,
  hint?: number,
): number {
  const nominal = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1))
  const jittered = nominal / 2 + random() * (nominal / 2)
  return Math.round(Math.max(jittered, hint ?? 0))
}

/** When the next attempt would come after `firstAttemptAt + horizonMs`, the event is dead-lettered. */
export function pastHorizon(nextAt: number, firstAttemptAt: number, horizonMs: number): boolean {
  return nextAt > firstAttemptAt + horizonMs
}
