import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { createYieldSignal, yieldSignalOn } from './yield-signal.js'

describe('yield signal', () => {
  it('starts lowered with its pause bound, and carries changes to another view of the buffer', () => {
    const signal = createYieldSignal(750)
    const other = yieldSignalOn(signal.buffer)
    expect(other.raised()).toBe(false)
    expect(other.maxPauseMs()).toBe(750)
    signal.set(true)
    signal.setMaxPauseMs(120.9)
    expect(other.raised()).toBe(true)
    expect(other.maxPauseMs()).toBe(120)
    other.set(false)
    expect(signal.raised()).toBe(false)
  })

  it('is seen by a worker thread without any message', async () => {
    const signal = createYieldSignal(1000)
    // The worker reports each change of the flag it observes by polling shared memory.
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads')
       const words = new Int32Array(workerData, 0, 2)
       let seen = Atomics.load(words, 0)
       parentPort.postMessage(seen)
       const timer = setInterval(() => {
         const now = Atomics.load(words, 0)
         if (now !== seen) { seen = now; parentPort.postMessage(now) }
       }, 2)
       parentPort.on('message', () => { clearInterval(timer); parentPort.close() })`,
      { eval: true, workerData: signal.buffer },
    )
    const seen: number[] = []
    const next = (): Promise<number> =>
      new Promise((resolve) => worker.once('message', (v: number) => resolve(v)))
    try {
      seen.push(await next())
      const raisedSeen = next()
      signal.set(true)
      seen.push(await raisedSeen)
      const loweredSeen = next()
      signal.set(false)
      seen.push(await loweredSeen)
    } finally {
      await worker.terminate()
    }
    expect(seen).toEqual([0, 1, 0])
  })
})
