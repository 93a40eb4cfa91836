import { Worker } from 'node:worker_threads'
import { createOffsetWaiters, type PipelineRunner } from '../pipeline/index.js'

/** Consumer name of the step that applies the log to the queryable store. */
export const STORE_CONSUMER = 'store'

/**
 * The compiled worker file. When this module runs from TypeScript sources (the test runner),
 * the worker still runs from the build output, which `npm test` produces first.
 */
function workerUrl(): URL {
  const here = import.meta.url
  return here.endsWith('.ts')
    ? new URL('../../dist/app/pipeline-worker.js', here)
    : new URL('./pipeline-worker.js', here)
}

interface WorkerMessage {
  type: 'ready' | 'applied' | 'error' | 'fatal' | 'stopped'
  position?: number
  offset?: number
  stored?: number
  duplicates?: number
  rejected?: number
  message?: string
}

/**
 * Runs the store pipeline in a worker thread (embedded mode) and exposes it as a
 * {@link PipelineRunner}. Resolves once the worker has loaded its offset. If the worker dies,
 * `onError` is told and a new one is started from the committed offset.
 */
export function startWorkerPipeline(options: {
  dataDir: string
  logDir: string
  durableHead: number
  batchSize: number
  onError: (error: unknown) => void
  onApplied?: (info: {
    offset: number
    stored: number
    duplicates: number
    rejected: number
  }) => void
}): Promise<PipelineRunner> {
  let position = -1
  let head = options.durableHead
  let stopping = false
  let worker: Worker
  const waiters = createOffsetWaiters()
  let stoppedResolve: (() => void) | null = null

  return new Promise((resolveReady, rejectReady) => {
    let ready = false
    const spawn = (): void => {
      worker = new Worker(workerUrl(), {
        workerData: {
          dataDir: options.dataDir,
          logDir: options.logDir,
          durableHead: head,
          batchSize: options.batchSize,
        },
        // The worker's garbage is short-lived batches; a small young generation keeps its
        // memory flat without slowing it measurably.
        resourceLimits: { maxYoungGenerationSizeMb: 16 },
      })
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'ready' || m.type === 'applied') {
          position = m.position ?? m.offset ?? position
          if (m.type === 'applied') {
            options.onApplied?.({
              offset: position,
              stored: m.stored ?? 0,
              duplicates: m.duplicates ?? 0,
              rejected: m.rejected ?? 0,
            })
          }
          waiters.settle(position)
          if (m.type === 'ready' && !ready) {
            ready = true
            resolveReady(runner)
          }
          if (m.type === 'ready' && head > position) worker.postMessage({ type: 'poke', head })
        } else if (m.type === 'error' || m.type === 'fatal') {
          const error = new Error(`pipeline worker: ${m.message ?? 'unknown error'}`)
          if (!ready && m.type === 'fatal') rejectReady(error)
          options.onError(error)
        } else {
          stoppedResolve?.()
        }
      })
      worker.on('error', (error) => options.onError(error))
      worker.on('exit', (code) => {
        if (stopping) {
          stoppedResolve?.()
          return
        }
        options.onError(new Error(`pipeline worker exited with code ${code}; restarting`))
        if (ready) setTimeout(spawn, 500).unref()
      })
    }
    const runner: PipelineRunner = {
      poke(newHead) {
        if (newHead > head) head = newHead
        worker.postMessage({ type: 'poke', head })
      },
      position: () => position,
      waitFor: (offset, timeoutMs) => waiters.waitFor(position, offset, timeoutMs),
      stop() {
        stopping = true
        return new Promise<void>((resolve) => {
          stoppedResolve = resolve
          worker.postMessage({ type: 'stop' })
        }).then(() => worker.terminate().then(() => undefined))
      },
    }
    spawn()
  })
}
