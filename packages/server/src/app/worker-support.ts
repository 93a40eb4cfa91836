import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'
import { parentPort, type MessagePort } from 'node:worker_threads'
import { HEAP_REPORT_MS, ownHeap } from './thread-heap.js'

/** Nice value of the pipeline threads (0 is normal, 19 lowest). */
export const PIPELINE_NICE = 10
/**
 * Nice value of the store and delivery threads: below the request path, above identity
 * resolution, so that events keep being stored and flowing out to destinations while identity
 * resolution (the heaviest step, which batches well) works through a backlog.
 */
export const FLOW_NICE = 5

/**
 * Lowers this thread's scheduling priority (Linux: a thread is a task with its own nice
 * value), so that under a burst the request path gets the CPU first and the pipeline catches up
 * when it eases; the durable log absorbs the difference. Best effort elsewhere.
 */
export function lowerThreadPriority(nice = PIPELINE_NICE): void {
  try {
    const tid = Number(/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'))?.[1])
    if (Number.isInteger(tid)) setPriority(tid, nice)
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

/**
 * Runs a worker's `main`; a failure before or after `ready` is reported to the main thread as
 * `{type:'fatal', message}` (the supervisor restarts the worker, or fails the start). Every
 * `HEAP_REPORT_MS` the thread also posts `{type:'heap', usedBytes, totalBytes}`, which the
 * supervisor keeps (`SupervisedWorker.heap`) and does not pass on.
 */
export function runWorker(main: () => Promise<void>): void {
  const port = parentPort
  // Its heap, for `tessera_thread_heap_bytes`; the timer never keeps the thread alive.
  if (port) {
    setInterval(() => {
      port.postMessage({ type: 'heap', ...ownHeap() })
    }, HEAP_REPORT_MS).unref()
  }
  void main().catch((error: unknown) => {
    parentPort?.postMessage({
      type: 'fatal',
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    })
  })
}

/** Handles `{type:'stop'}`: runs `cleanup` (in order), then answers `{type:'stopped'}`. */
export function stopWhenAsked(
  port: MessagePort,
  message: { type: string },
  cleanup: () => Promise<void>,
): void {
  if (message.type !== 'stop') return
  void cleanup()
    .catch(reportTo(port))
    .finally(() => port.postMessage({ type: 'stopped' }))
}
