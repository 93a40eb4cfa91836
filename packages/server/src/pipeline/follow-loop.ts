import type { YieldSignal } from './yield-signal.js'

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** How often a consumer that yields looks at the signal again. */
const YIELD_POLL_MS = 20

/** A running consumer loop (see {@link startFollowLoop}). */
export interface FollowLoop {
  /** Ends a wait at once (new input arrived). */
  wake(): void
  /** Finishes the step in progress and stops. */
  stop(): Promise<void>
}

export interface FollowLoopOptions {
  /**
   * One batch: resolves to the number of entries it processed, 0 when there was nothing to do.
   * A rejection is reported to `onError` and the step is tried again after `idleMs`; nothing
   * is skipped.
   */
  step: () => Promise<number>
  /** A full batch; after one, the next step runs at once. */
  batchSize: number
  /** How long to wait when nothing was processed (unless woken). */
  idleMs: number
  /** After a short batch, wait this long so small inputs coalesce into fewer transactions. */
  coalesceMs: number
  /**
   * Yield to the request path: before each step, while the signal is raised, wait (up to its
   * `maxPauseMs()`, then run the step anyway; it is looked at every 20 ms). A wake-up does not
   * end this wait (new input is what the pressure is made of); a stop does. Absent: never wait.
   */
  yieldTo?: YieldSignal | undefined
  /** Called after every idle wait (e.g. to look for input of other processes). */
  afterIdle?: () => Promise<void>
  onError: (error: unknown) => void
}

/**
 * The loop every pipeline consumer runs: steps back to back while full batches come, pauses
 * `coalesceMs` after a short one, and waits `idleMs` (or a {@link FollowLoop.wake}) when there
 * was nothing to do. With `yieldTo`, a step waits while the request path is under pressure, at
 * most `maxPauseMs` each time. Steps never overlap.
 */
export function startFollowLoop(options: FollowLoopOptions): FollowLoop {
  let stopped = false
  let wake: (() => void) | null = null
  let endPause: (() => void) | null = null
  const yieldTo = options.yieldTo
  const pause = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms)
      endPause = () => {
        clearTimeout(timer)
        resolve()
      }
    }).finally(() => (endPause = null))
  const yieldToRequests = async (): Promise<void> => {
    if (yieldTo === undefined) return
    const bound = yieldTo.maxPauseMs()
    let waited = 0
    while (!stopped && waited < bound && yieldTo.raised()) {
      const ms = Math.min(YIELD_POLL_MS, bound - waited)
      await pause(ms)
      waited += ms
    }
  }
  // A wake-up that came while a step ran ends the next idle wait at once; without it the
  // input that arrived during the step would wait up to `idleMs`.
  let woken = false
  const idle = async (): Promise<void> => {
    if (woken) {
      woken = false
      return
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.idleMs)
      wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })
    wake = null
    await options.afterIdle?.()
  }
  const loop = (async () => {
    while (!stopped) {
      woken = false
      let processed = 0
      await yieldToRequests()
      if (stopped) break
      try {
        processed = await options.step()
      } catch (error) {
        options.onError(error)
      }
      if (stopped) break
      if (processed === 0) await idle()
      else if (processed < options.batchSize && options.coalesceMs > 0) {
        await sleep(options.coalesceMs)
      }
    }
  })()
  return {
    wake() {
      if (wake) wake()
      else woken = true
    },
    async stop() {
      stopped = true
      wake?.()
      endPause?.()
      await loop
    },
  }
}
