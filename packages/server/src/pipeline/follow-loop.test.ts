import { describe, expect, it } from 'vitest'
import { startFollowLoop } from './follow-loop.js'

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
})
