/**
 * Audit appends relayed to the embedded store worker. On SQLite an append is a synchronous
 * commit with an fsync; on the main thread it would stop the event loop for as long as the disk
 * takes (seconds while a checkpoint floods it), and every request with it. The store worker
 * already writes tessera.db, so it appends between its batches on its own connection, with the
 * same durability (`synchronous = FULL`), and answers.
 */
import type { NewAuditEntry } from '../audit/index.js'
import type { WorkerMessage } from './supervised-worker.js'

/** Main thread → store worker. */
export interface AuditAppendRequest {
  type: 'audit'
  id: number
  entries: readonly NewAuditEntry[]
}

/** Store worker → main thread: the append `id` is committed, or failed with `error`. */
export interface AuditAppendAnswer {
  type: 'audited'
  id: number
  error?: string
}

export interface AuditRelay {
  /**
   * Sends `entries` to the worker; resolves once they are committed there, rejects when the
   * append failed or the worker ended before answering. Appends are answered in the order
   * sent (the worker takes messages one at a time and each append commits before the next
   * message is read). A worker that died after committing and before answering makes the
   * caller retry entries that are stored: the recorder then appends them again (at least once).
   */
  append(entries: readonly NewAuditEntry[]): Promise<void>
  /** Settles the request a worker's `audited` message answers; false for any other message. */
  answer(message: WorkerMessage): boolean
  /** Rejects every unanswered append: the worker ended (stopped, or died and restarts). */
  failPending(reason: string): void
}

export function createAuditRelay(post: (request: AuditAppendRequest) => void): AuditRelay {
  let next = 1
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>()
  return {
    append(entries) {
      if (entries.length === 0) return Promise.resolve()
      const id = next++
      return new Promise<void>((resolve, reject) => {
        pending.set(id, { resolve, reject })
        post({ type: 'audit', id, entries })
      })
    },
    answer(message) {
      if (message.type !== 'audited') return false
      const id = Number(message.id)
      const request = pending.get(id)
      if (request === undefined) return true
      pending.delete(id)
      if (typeof message.error === 'string') {
        request.reject(new Error(`audit append failed in the store worker: ${message.error}`))
      } else {
        request.resolve()
      }
      return true
    },
    failPending(reason) {
      const error = new Error(`audit append not answered: ${reason}`)
      for (const request of pending.values()) request.reject(error)
      pending.clear()
    },
  }
}

/**
 * The store worker's side: appends a request's entries with `append` and posts the answer.
 * Never throws; a failure is answered (the main thread keeps the entries for a retry).
 */
export function answerAuditAppend(
  request: AuditAppendRequest,
  append: (entries: readonly NewAuditEntry[]) => Promise<void>,
  reply: (answer: AuditAppendAnswer) => void,
): void {
  append(request.entries).then(
    () => reply({ type: 'audited', id: request.id }),
    (error: unknown) =>
      reply({
        type: 'audited',
        id: request.id,
        error: error instanceof Error ? error.message : String(error),
      }),
  )
}

/** Whether a message to the store worker is an audit append request. */
export function isAuditAppendRequest(message: { type: string }): message is AuditAppendRequest {
  const m = message as Partial<AuditAppendRequest>
  return m.type === 'audit' && typeof m.id === 'number' && Array.isArray(m.entries)
}
