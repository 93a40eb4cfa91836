import { Worker } from 'node:worker_threads'
import type { IdentityConfig } from '../identity/index.js'
import { createOffsetWaiters, type PipelineRunner } from '../pipeline/index.js'

/** Consumer name of the step that applies the log to the queryable store. */
export const STORE_CONSUMER = 'store'
/** Consumer name of identity resolution (it follows the store, by event seq). */
export const IDENTITY_CONSUMER = 'identity'

/** Progress of a consumer that the app only watches. */
export interface ConsumerProgress {
  /** Last offset (event seq) processed, or -1 before it started. */
  position(): number
  /** Resolves true once `position() >= offset`, false after `timeoutMs`. */
  waitFor(offset: number, timeoutMs: number): Promise<boolean>
}

/** The running pipeline: the `store` consumer and the steps after it. */
export interface Pipelines {
  store: PipelineRunner
  identity: ConsumerProgress
  /** Hands new identity rules to the resolver (API edit or config reload). */
  setIdentityRules(config: IdentityConfig): void
}

/** What the pipeline reports besides store batches. */
export interface PipelineHooks {
  onError: (error: unknown) => void
  onApplied: (info: {
    offset: number
    stored: number
    duplicates: number
    rejected: number
  }) => void
  onIdentity?: (info: { events: number; rebuilds: number }) => void
}

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
  type: 'ready' | 'applied' | 'identity' | 'error' | 'fatal' | 'stopped'
  position?: number
  identityPosition?: number
  events?: number
  rebuilds?: number
  offset?: number
  stored?: number
  duplicates?: number
  rejected?: number
  message?: string
}

/**
 * Runs the pipeline in a worker thread (embedded mode): the `store` consumer, exposed as a
 * {@link PipelineRunner}, and identity resolution after it. Resolves once the worker has loaded
 * its offsets. If the worker dies, `onError` is told and a new one is started from the
 * committed offsets (with the rules last set).
 */
export function startWorkerPipeline(
  options: PipelineHooks & {
    dataDir: string
    logDir: string
    durableHead: number
    batchSize: number
    identityConfig: IdentityConfig
    identityManaged: boolean
  },
): Promise<Pipelines> {
  let position = -1
  let identityPosition = -1
  let identityConfig = options.identityConfig
  let head = options.durableHead
  let stopping = false
  let worker: Worker
  const waiters = createOffsetWaiters()
  const identityWaiters = createOffsetWaiters()
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
          identityConfig,
          identityManaged: options.identityManaged,
        },
        // The worker's garbage is short-lived batches; a small young generation keeps its
        // memory flat without slowing it measurably.
        resourceLimits: { maxYoungGenerationSizeMb: 16 },
      })
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'identity' || (m.type === 'ready' && m.identityPosition !== undefined)) {
          identityPosition = (m.type === 'ready' ? m.identityPosition : m.position) ?? -1
          identityWaiters.settle(identityPosition)
          if (m.type === 'identity') {
            options.onIdentity?.({ events: m.events ?? 0, rebuilds: m.rebuilds ?? 0 })
          }
        }
        if (m.type === 'identity') return
        if (m.type === 'ready' || m.type === 'applied') {
          position = m.position ?? m.offset ?? position
          if (m.type === 'applied') {
            options.onApplied({
              offset: position,
              stored: m.stored ?? 0,
              duplicates: m.duplicates ?? 0,
              rejected: m.rejected ?? 0,
            })
          }
          waiters.settle(position)
          if (m.type === 'ready' && !ready) {
            ready = true
            resolveReady({
              store: runner,
              identity: {
                position: () => identityPosition,
                waitFor: (offset, timeoutMs) =>
                  identityWaiters.waitFor(identityPosition, offset, timeoutMs),
              },
              setIdentityRules(config) {
                identityConfig = config
                worker.postMessage({ type: 'rules', config })
              },
            })
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
