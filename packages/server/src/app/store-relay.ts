/**
 * Background writes of the embedded store relayed to the store worker (ADR 8). better-sqlite3
 * is synchronous: a commit on the main thread stops every request until it returns, for as long
 * as the fsync takes (seconds while a checkpoint floods the disk) or the busy timeout while
 * another connection holds the file's write lock. The store worker already writes tessera.db,
 * so it runs these calls between its batches on its own connections, with the same durability,
 * and answers.
 *
 * Only the methods listed in {@link RELAYED} travel; every other method of a wrapped store runs
 * where it is called. Arguments and results cross the thread boundary by structured clone, so
 * the listed methods take and return plain data.
 */
import type { ErasureCounts, ErasureTarget } from '../regulations/index.js'
import type { WorkerMessage } from './supervised-worker.js'

/** The stores and methods that run on the store worker, by the name the worker knows them by. */
export const RELAYED = {
  /** The audit recorder's appends (`AuditStore`). */
  audit: ['append'],
  /** The retention job's deletions (`RetentionStore`), up to a batch per call. */
  retention: [
    'deleteEvents',
    'deleteDeadLetters',
    'deleteOrphanRetries',
    'deleteRejected',
    'deleteQuarantined',
  ],
  /** The suppressed-event counts flushed every few seconds (`RegulationStore`). */
  regulations: ['addSuppressedCounts'],
  /** Forwarded violations removed from the outbox once in the log (`ViolationOutbox`). */
  outbox: ['remove'],
  /** Incidents the alert evaluator opens, updates and resolves (`QualityAlertStore`). */
  qualityAlerts: ['saveIncident'],
  /**
   * A data-subject erasure of one store (`ErasureTarget.erase`, by target name; see
   * {@link relayedErasure}): a person with 100,000 events takes seconds to delete.
   */
  erasure: ['erase'],
} as const satisfies Record<string, readonly string[]>

export type RelayTarget = keyof typeof RELAYED

/** Main thread → store worker: run `target.method(...args)`. */
export interface RelayRequest {
  type: 'relay'
  id: number
  target: RelayTarget
  method: string
  args: unknown[]
}

/** Store worker → main thread: request `id` returned `value`, or failed with `error`. */
export interface RelayAnswer {
  type: 'relayed'
  id: number
  value?: unknown
  error?: string
}

export interface StoreRelay {
  /**
   * Sends the call to the worker; resolves with its result once it returned there (its writes
   * committed), rejects when it failed or the worker ended before answering. Calls are
   * answered in the order sent (the worker takes messages one at a time and each call's work
   * is synchronous on its connection). A worker that died after committing and before
   * answering makes the caller retry work that is done: every relayed method is safe to
   * repeat (appends are at least once, deletions and removals idempotent, counts are kept by
   * the caller for the retry and may count twice).
   */
  call(target: RelayTarget, method: string, args: unknown[]): Promise<unknown>
  /** Settles the request a worker's `relayed` message answers; false for any other message. */
  answer(message: WorkerMessage): boolean
  /** Rejects every unanswered call: the worker ended (stopped, or died and restarts). */
  failPending(reason: string): void
}

export function createStoreRelay(post: (request: RelayRequest) => void): StoreRelay {
  let next = 1
  const pending = new Map<
    number,
    { what: string; resolve: (value: unknown) => void; reject: (error: Error) => void }
  >()
  return {
    call(target, method, args) {
      const id = next++
      return new Promise<unknown>((resolve, reject) => {
        pending.set(id, { what: `${target}.${method}`, resolve, reject })
        post({ type: 'relay', id, target, method, args })
      })
    },
    answer(message) {
      if (message.type !== 'relayed') return false
      const id = Number(message.id)
      const request = pending.get(id)
      if (request === undefined) return true
      pending.delete(id)
      if (typeof message.error === 'string') {
        request.reject(new Error(`${request.what} failed in the store worker: ${message.error}`))
      } else {
        request.resolve(message.value)
      }
      return true
    },
    failPending(reason) {
      for (const request of pending.values()) {
        request.reject(new Error(`${request.what} not answered: ${reason}`))
      }
      pending.clear()
    },
  }
}

/** Whether a message to the store worker is a relayed call. */
export function isRelayRequest(message: { type: string }): message is RelayRequest {
  const m = message as Partial<RelayRequest>
  return (
    m.type === 'relay' &&
    typeof m.id === 'number' &&
    typeof m.target === 'string' &&
    typeof m.method === 'string' &&
    Array.isArray(m.args)
  )
}

const isRelayed = (target: string, method: string): boolean =>
  Object.hasOwn(RELAYED, target) &&
  (RELAYED[target as RelayTarget] as readonly string[]).includes(method)

/**
 * The store worker's side: runs the request on its store of that name and posts the answer.
 * A target or method not in {@link RELAYED} is refused (answered with an error), never run.
 * Never throws; a failure is answered, and the caller decides whether to retry.
 */
export function answerRelayRequest(
  request: RelayRequest,
  stores: { readonly [K in RelayTarget]: object },
  reply: (answer: RelayAnswer) => void,
): void {
  const fail = (error: unknown): void =>
    reply({
      type: 'relayed',
      id: request.id,
      error: error instanceof Error ? error.message : String(error),
    })
  if (!isRelayed(request.target, request.method)) {
    fail(new Error(`${request.target}.${request.method} is not relayed`))
    return
  }
  const store = stores[request.target] as Record<string, unknown>
  const method = store[request.method]
  if (typeof method !== 'function') {
    fail(new Error(`${request.target}.${request.method} is not a method`))
    return
  }
  Promise.resolve()
    .then(() => (method as (...args: unknown[]) => unknown).apply(store, request.args))
    .then((value) => reply({ type: 'relayed', id: request.id, value }), fail)
}

/** Where relayed methods go now: the store worker's relay, or (null) the local store. */
export interface RelaySwitch {
  current: StoreRelay | null
}

/**
 * `local`, with the methods {@link RELAYED} lists for `target` sent through `via.current` when
 * it is set, and run on `local` when it is null (no worker, or it is stopping). The switch is
 * read at each call, so a call under way finishes where it started. Every other property is
 * `local`'s own (methods bound to it).
 */
export function relayed<T extends object>(local: T, target: RelayTarget, via: RelaySwitch): T {
  const methods: readonly string[] = RELAYED[target]
  return new Proxy(local, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object)
      if (typeof value !== 'function') return value
      const own = value as (...args: unknown[]) => unknown
      if (typeof property !== 'string' || !methods.includes(property)) return own.bind(object)
      return (...args: unknown[]) => {
        const relay = via.current
        return relay === null ? own.apply(object, args) : relay.call(target, property, args)
      }
    },
  })
}

/**
 * `targets`, each erasing through the store worker (by its name, see {@link erasureByName})
 * when `via` is set, and locally otherwise. Order and names are unchanged.
 */
export function relayedErasure(
  targets: readonly ErasureTarget[],
  via: RelaySwitch,
): ErasureTarget[] {
  return targets.map((target) => ({
    name: target.name,
    erase: (subject, events) =>
      via.current === null
        ? target.erase(subject, events)
        : (via.current.call('erasure', 'erase', [
            target.name,
            subject,
            events,
          ]) as Promise<ErasureCounts>),
  }))
}

/** The store worker's side of {@link relayedErasure}: erases with the target of that name. */
export function erasureByName(targets: readonly ErasureTarget[]): {
  erase(name: string, ...args: Parameters<ErasureTarget['erase']>): Promise<ErasureCounts>
} {
  return {
    erase(name, subject, events) {
      const target = targets.find((t) => t.name === name)
      if (target === undefined) return Promise.reject(new Error(`no erasure target ${name}`))
      return target.erase(subject, events)
    },
  }
}
