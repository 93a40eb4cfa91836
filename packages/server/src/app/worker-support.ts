import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'
import type { MessagePort } from 'node:worker_threads'

/** Nice value of the pipeline threads (0 is normal, 19 lowest). */
const PIPELINE_NICE = 10

/**
 * Lowers this thread's scheduling priority (Linux: a thread is a task with its own nice
 * value), so that under a burst the request path gets the CPU first and the pipeline catches up
 * when it eases; the durable log absorbs the difference. Best effort elsewhere.
 */
export function lowerThreadPriority(): void {
  try {
    const tid = Number(/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'))?.[1])
    if (Number.isInteger(tid)) setPriority(tid, PIPELINE_NICE)
  } catch {
    // Not Linux, or not permitted: run at normal priority.
  }
}

/** Reports a failure to the main thread as `{type:'error', message}` (it keeps running). */
export function reportTo(port: MessagePort): (error: unknown) => void {
  return (error) =>
    port.postMessage({
      type: 'error',
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    })
}
