import { describe, expect, it } from 'vitest'
import { startFollowLoop, type FollowLoopOptions } from './follow-loop.js'
import { createYieldSignal } from './yield-signal.js'

describe('startFollowLoop', () => {
  it('does not lose a wake-up that arrives while a step runs', async () => {
    let input = 0
    let steps = 0
    const consumed: number[] = []
    let release: (() => void) | null = null
    const loop = startFollowLoop({
      async step() {
        steps++
        if (steps === 1) {
          // Input arrives (and wakes the loop) while this step is busy and has already looked.
          await new Promise<void>((resolve) => (release = resolve))
          return 0
        }
        if (input > 0) {
          consumed.push(input)
          const n = input
          input = 0
          return n
        }
        return 0
      },
      batchSize: 100,
      idleMs: 60_000,
      coalesceMs: 0,
      onError: (error) => {
        throw error
      },
    })
    await new Promise((r) => setTimeout(r, 10))
    input = 5
    loop.wake()
    release!()
    const started = Date.now()
    while (consumed.length === 0 && Date.now() - started < 2000) {
      await new Promise((r) => setTimeout(r, 5))
    }
    await loop.stop()
    expect(consumed).toEqual([5])
    expect(Date.now() - started).toBeLessThan(1000)
  })

  describe('yielding to the request path', () => {
    const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
    const throwing: FollowLoopOptions['onError'] = (error) => {
      throw error
    }
    /** A loop with endless full batches, recording when each step started. */
    function busyLoop(yieldTo: FollowLoopOptions['yieldTo']) {
      const starts: number[] = []
      const loop = startFollowLoop({
        async step() {
          starts.push(Date.now())
          await sleep(1)
          return 10
        },
        batchSize: 10,
        idleMs: 60_000,
        coalesceMs: 0,
        yieldTo,
        onError: throwing,
      })
      return { loop, starts }
    }

    it('runs steps back to back while the signal is lowered', async () => {
      const signal = createYieldSignal(1000)
      const { loop, starts } = busyLoop(signal)
      await sleep(100)
      await loop.stop()
      expect(starts.length).toBeGreaterThan(10)
    })

    it('holds each step while the signal is raised, at most maxPauseMs, then resumes at once when lowered', async () => {
      const signal = createYieldSignal(150)
      signal.set(true)
      const started = Date.now()
      const { loop, starts } = busyLoop(signal)
      await sleep(400)
      // Raised throughout: one step per maxPauseMs, none before the first bound.
      const whileRaised = starts.length
      expect(whileRaised).toBeGreaterThanOrEqual(1)
      expect(whileRaised).toBeLessThanOrEqual(3)
      expect((starts[0] ?? 0) - started).toBeGreaterThanOrEqual(140)
      signal.set(false)
      await sleep(100)
      await loop.stop()
      expect(starts.length - whileRaised).toBeGreaterThan(10)
    })

    it('stops promptly in the middle of a pause', async () => {
      const signal = createYieldSignal(60_000)
      signal.set(true)
      const { loop, starts } = busyLoop(signal)
      await sleep(50)
      const stopping = Date.now()
      await loop.stop()
      expect(Date.now() - stopping).toBeLessThan(500)
      expect(starts).toEqual([])
    })

    it('never waits with a bound of 0', async () => {
      const signal = createYieldSignal(0)
      signal.set(true)
      const { loop, starts } = busyLoop(signal)
      await sleep(100)
      await loop.stop()
      expect(starts.length).toBeGreaterThan(10)
    })
  })
})
