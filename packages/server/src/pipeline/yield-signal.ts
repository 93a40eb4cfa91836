/**
 * The request path's load as the pipeline sees it: a flag in shared memory that the main
 * thread raises while ingest is under pressure (app/ingest-pressure.ts) and that every pipeline
 * consumer, on any thread, reads before each batch (see `FollowLoopOptions.yieldTo`), beside
 * the longest a consumer may wait for it to fall. Reads and writes are single atomic operations
 * on 32-bit words: no lock, no message, nothing queued behind a busy event loop.
 */
export interface YieldSignal {
  /** The shared words; hand it to a worker thread in its `workerData` and open it there with {@link yieldSignalOn}. */
  readonly buffer: SharedArrayBuffer
  /** True while the request path asks the pipeline to make room. */
  raised(): boolean
  /** Raises or lowers the signal for every thread that shares the buffer. */
  set(raised: boolean): void
  /**
   * The longest a consumer waits before one batch while the signal stays raised; then it runs
   * the batch anyway, so the pipeline keeps moving (a batch per this many milliseconds at
   * least) however long the pressure lasts.
   */
  maxPauseMs(): number
  /** Changes {@link maxPauseMs} for every thread (a config reload); a wait in progress keeps its bound. */
  setMaxPauseMs(ms: number): void
}

const RAISED = 0
const MAX_PAUSE = 1

/** A new signal, lowered, with `maxPauseMs` as the bound of one wait. */
export function createYieldSignal(maxPauseMs: number): YieldSignal {
  const signal = yieldSignalOn(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT))
  signal.setMaxPauseMs(maxPauseMs)
  return signal
}

/** The signal held in `buffer` (created by {@link createYieldSignal}, possibly on another thread). */
export function yieldSignalOn(buffer: SharedArrayBuffer): YieldSignal {
  const words = new Int32Array(buffer, 0, 2)
  return {
    buffer,
    raised: () => Atomics.load(words, RAISED) === 1,
    set: (raised) => void Atomics.store(words, RAISED, raised ? 1 : 0),
    maxPauseMs: () => Atomics.load(words, MAX_PAUSE),
    setMaxPauseMs: (ms) => void Atomics.store(words, MAX_PAUSE, Math.max(0, Math.trunc(ms))),
  }
}
