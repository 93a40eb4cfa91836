import { Worker } from 'node:worker_threads'
import { heapOf, type ThreadHeap } from './thread-heap.js'

/** A message from a pipeline worker; every worker sends `ready` once, then its own kinds. */
export interface WorkerMessage {
  type: string
  message?: string
  [key: string]: unknown
}

/** A worker thread that is restarted when it dies, until stopped. */
export interface SupervisedWorker {
  /** Posts to the current thread (dropped while it restarts; the new one starts from its offsets). */
  post(message: unknown): void
  /** Asks the thread to finish (`{type:'stop'}`), waits for `stopped` or its exit, then ends it. */
  stop(): Promise<void>
  /** The thread's V8 heap as it last reported it (under the worker's `name`); null before the first report, or while it restarts. */
  heap(): ThreadHeap | null
}

/**
 * The compiled file of a worker. When this module runs from TypeScript sources (the test
 * runner), the worker still runs from the build output, which `npm test` produces first.
 */
export function workerUrl(file: string): URL {
  const here = import.meta.url
  return here.endsWith('.ts') ? new URL(`../../dist/app/${file}`, here) : new URL(`./${file}`, here)
}

/**
 * Starts `file` in a worker thread with `data()` as its `workerData`, and resolves once it
 * sent `{type:'ready'}`. Every message is handed to `onMessage`; `error` and `fatal` messages
 * and thread errors go to `onError`; its heap reports are kept for {@link SupervisedWorker.heap}. If the thread exits unexpectedly after it was ready, it
 * is started again after 500 ms with fresh `data()` (so it picks up what changed since);
 * a `fatal` before ready rejects the start.
 */
export function startSupervisedWorker(options: {
  file: string
  name: string
  data: () => unknown
  onMessage: (message: WorkerMessage) => void
  onError: (error: unknown) => void
  /** The thread ended (stopped, or died before a restart): requests it had not answered never will be. */
  onExit?: () => void
}): Promise<SupervisedWorker> {
  let worker: Worker
  let stopping = false
  let ready = false
  let stopped: (() => void) | null = null
  let heap: ThreadHeap | null = null
  return new Promise((resolveReady, rejectReady) => {
    const spawn = (): void => {
      worker = new Worker(workerUrl(options.file), {
        workerData: options.data(),
        // A worker's garbage is short-lived batches; a small young generation keeps its
        // memory flat without slowing it measurably.
        resourceLimits: { maxYoungGenerationSizeMb: 16 },
      })
      worker.on('message', (m: WorkerMessage) => {
        const reported = heapOf(options.name, m)
        if (reported !== null) {
          heap = reported
          return
        }
        if (m.type === 'error' || m.type === 'fatal') {
          const error = new Error(`${options.name} worker: ${m.message ?? 'unknown error'}`)
          if (!ready && m.type === 'fatal') rejectReady(error)
          options.onError(error)
          return
        }
        if (m.type === 'stopped') {
          stopped?.()
          return
        }
        options.onMessage(m)
        if (m.type === 'ready' && !ready) {
          ready = true
          resolveReady(supervised)
        }
      })
      worker.on('error', (error) => options.onError(error))
      worker.on('exit', (code) => {
        heap = null
        options.onExit?.()
        if (stopping) {
          stopped?.()
          return
        }
        options.onError(new Error(`${options.name} worker exited with code ${code}; restarting`))
        if (ready) setTimeout(spawn, 500).unref()
      })
    }
    const supervised: SupervisedWorker = {
      post: (message) => worker.postMessage(message),
      heap: () => heap,
      stop() {
        stopping = true
        return new Promise<void>((resolve) => {
          stopped = resolve
          worker.postMessage({ type: 'stop' })
        }).then(() => worker.terminate().then(() => undefined))
      },
    }
    spawn()
  })
}
