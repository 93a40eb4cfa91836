import type { ErasureCounts, ErasureSubject } from './model.js'

/**
 * What the runner gathers before erasing: the stored events of the subject (by the profiles'
 * resolved events and by `user_id`/`anonymous_id`), so stores that hold copies of events
 * (delivery retries, dead letters) find them by seq and messageId.
 */
export interface SubjectEvents {
  seqs: number[]
  messageIds: string[]
}

/**
 * One store a deletion reaches (events, rejected events, identity graph, delivery state, and
 * later quarantine): adding a store is one object implementing this, appended to the list the
 * storage adapter returns.
 *
 * `erase` deletes every row of the subject and returns the rows removed per table. It must be
 * idempotent (a second call removes nothing and succeeds) because a task interrupted by a
 * restart runs again. It runs after the targets before it in the list: a target may rely on
 * what earlier targets still hold only if it comes first (delivery before events, events
 * before identity, since events are found through identity's `profile_events`).
 */
export interface ErasureTarget {
  /** Stable name, shown per store in the status (e.g. `events`, `identity`). */
  readonly name: string
  erase(subject: ErasureSubject, events: SubjectEvents): Promise<ErasureCounts>
}

/** Reads the subject's stored events before erasure (see {@link SubjectEvents}). */
export interface SubjectEventFinder {
  find(subject: ErasureSubject): Promise<SubjectEvents>
}

/** A destination as the runner sees it for forwarding. */
export interface ErasableDestination {
  id: string
  name: string
  /** False when its driver has no `deleteSubject`: the task is `NOT_SUPPORTED`. */
  supportsDeletion: boolean
}

/** Forwards a deletion to destinations whose drivers support it. */
export interface DestinationEraser {
  /** The enabled destinations at request time. */
  list(): Promise<ErasableDestination[]>
  /**
   * Asks the destination to delete the subject; resolves with what it reported (counts), or
   * rejects with the reason (the task fails after its retries). Gone destination: rejects.
   */
  erase(
    destinationId: string,
    request: { regulationId: string; subject: ErasureSubject },
  ): Promise<ErasureCounts>
}

/** Destinations are unknown (no delivery): nothing to forward to. */
export const noDestinations: DestinationEraser = {
  list: () => Promise.resolve([]),
  erase: () => Promise.reject(new Error('no destinations')),
}

/**
 * Where corrections and regulations are recorded for the audit log. The project's audit log
 * connects here; until then {@link noAudit} drops the entries.
 */
export interface RegulationAuditSink {
  record(entry: {
    action: string
    actor: string
    target: string
    at: number
    details: Record<string, unknown>
  }): void
}

export const noAudit: RegulationAuditSink = { record: () => undefined }
