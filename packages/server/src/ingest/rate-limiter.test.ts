import { describe, expect, it } from 'vitest'
import { ManualClock } from '../platform/clock.js'
import { RateLimiter } from './rate-limiter.js'

describe('RateLimiter', () => {
  it('allows a burst, then denies', () => {
    const limiter = new RateLimiter(new ManualClock())
    const limit = { perSecond: 1, burst: 5 }
    for (let i = 0; i < 5; i++) {
      expect(limiter.take('a', limit), `request ${i}`).toEqual({ allowed: true })
    }
    expect(limiter.take('a', limit)).toEqual({ allowed: false, retryAfterSeconds: 1 })
  })

  it('refills at perSecond, capped at burst', () => {
    const clock = new ManualClock()
    const limiter = new RateLimiter(clock)
    const limit = { perSecond: 10, burst: 3 }
    for (let i = 0; i < 3; i++) limiter.take('a', limit)
    expect(limiter.take('a', limit).allowed).toBe(false)
    clock.advance(100) // one token
    expect(limiter.take('a', limit).allowed).toBe(true)
    expect(limiter.take('a', limit).allowed).toBe(false)
    clock.advance(60_000) // long idle: only `burst` tokens
    for (let i = 0; i < 3; i++) expect(limiter.take('a', limit).allowed).toBe(true)
    expect(limiter.take('a', limit).allowed).toBe(false)
  })

  it('keeps one bucket per key', () => {
    const limiter = new RateLimiter(new ManualClock())
    const limit = { perSecond: 1, burst: 1 }
    expect(limiter.take('a', limit).allowed).toBe(true)
    expect(limiter.take('a', limit).allowed).toBe(false)
    expect(limiter.take('b', limit).allowed).toBe(true)
  })

  it('gives Retry-After in whole seconds, at least 1', () => {
    const clock = new ManualClock()
    const limiter = new RateLimiter(clock)
    const slow = { perSecond: 0.25, burst: 1 } // a token every 4 s
    expect(limiter.take('slow', slow).allowed).toBe(true)
    expect(limiter.take('slow', slow)).toEqual({ allowed: false, retryAfterSeconds: 4 })
    clock.advance(2500) // 0.625 token: 1.5 s to go
    expect(limiter.take('slow', slow)).toEqual({ allowed: false, retryAfterSeconds: 2 })

    const fast = { perSecond: 1000, burst: 1 }
    expect(limiter.take('fast', fast).allowed).toBe(true)
    expect(limiter.take('fast', fast)).toEqual({ allowed: false, retryAfterSeconds: 1 })
  })
})
