import type { Clock } from '../platform/clock.js'

/** Outcome of {@link RateLimiter.take}. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number }

/**
 * Token buckets per key (source id), in this process. A bucket holds `burst` tokens and refills
 * at `perSecond`; each request takes one. Denials carry the whole seconds until a token is
 * available (at least 1), for `Retry-After` and `X-RateLimit-Reset`.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>()

  constructor(private readonly clock: Clock) {}

  take(key: string, limit: { perSecond: number; burst: number }): RateDecision {
    const now = this.clock.now()
    let bucket = this.buckets.get(key)
    if (!bucket) {
      bucket = { tokens: limit.burst, updatedAt: now }
      this.buckets.set(key, bucket)
    }
    const refill = ((now - bucket.updatedAt) / 1000) * limit.perSecond
    bucket.tokens = Math.min(limit.burst, bucket.tokens + refill)
    bucket.updatedAt = now
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return { allowed: true }
    }
    const wait = (1 - bucket.tokens) / limit.perSecond
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(wait)) }
  }
}
