import type { Violation } from './model.js'

/** Where a quarantined event stands. */
export const QUARANTINE_STATUSES = ['quarantined', 'replayed', 'discarded'] as const
export type QuarantineStatus = (typeof QUARANTINE_STATUSES)[number]

/** An event a gate step blocked, as kept in quarantine. */
export interface QuarantinedEvent {
  /** Increasing with insertion order. */
  id: number
  sourceId: string
  messageId: string
  /** When the platform received it (epoch ms). */
  receivedAt: number
  type: string
  name: string | null
  /** The event as received, or as last edited (serialized JSON). */
  payload: string
  violations: Violation[]
  /** The gate step that blocked it (`plan`). */
  step: string
  planId: string | null
  planRevision: number | null
  status: QuarantineStatus
  quarantinedAt: number
  updatedAt: number
}

/** Filters of {@link QuarantineStore.list}; all optional, combined with AND. */
export interface QuarantineFilter {
  sourceId?: string
  /** Track event or page/screen name, exact. */
  eventName?: string
  /** One of the violation types the event carries. */
  violationType?: string
  status?: QuarantineStatus
  /** `receivedAt` bounds, epoch ms: `since <= receivedAt < until`. */
  since?: number
  until?: number
}

/** Violations of one event, field and type, summed over a window. */
export interface ViolationGroup {
  eventType: string
  eventName: string
  field: string
  violationType: string
  count: number
  firstSeen: number
  lastSeen: number
  lastMessageId: string
  lastDescription: string
}

/** Plan checks of one source, event and minute. */
export interface PlanStatsRow {
  minute: number
  eventType: string
  eventName: string
  checked: number
  passed: number
  violated: number
  blocked: number
  omitted: number
}

/**
 * The quarantine and violation read side, and the edits the API makes. The store step writes
 * quarantined events, stats and violations itself, inside its apply transaction
 * (`EventStore.apply` with a gate).
 */
export interface QuarantineStore {
  /** Newest first; `after` is the id of the last row of the previous page. */
  list(
    filter: QuarantineFilter,
    page: { limit: number; after?: number },
  ): Promise<{ data: QuarantinedEvent[]; next: number | null }>
  /** The event with this id, or null. */
  get(id: number): Promise<QuarantinedEvent | null>
  /**
   * Replaces the payload (and the type and name lifted from it) of an event still
   * `quarantined`; returns the updated event, or null when there is none in that status.
   */
  edit(
    id: number,
    change: { payload: string; type: string; name: string | null },
    at: number,
  ): Promise<QuarantinedEvent | null>
  /**
   * Moves events that are `quarantined` to `status`; others are left alone. Returns how many
   * moved. Idempotent.
   */
  setStatus(ids: readonly number[], status: 'replayed' | 'discarded', at: number): Promise<number>
  /** Violations of a source whose bucket started at or after `since`, by event, field, type. */
  violations(sourceId: string, since: number): Promise<ViolationGroup[]>
  /** Plan checks of a source with `since <= minute < until`, by minute then event. */
  planStats(sourceId: string, since: number, until: number): Promise<PlanStatsRow[]>
}

/** One forwarded event waiting in the outbox. */
export interface OutboxItem {
  /** Increasing in insertion order. */
  id: number
  sourceId: string
  messageId: string
  payload: string
}

/**
 * The `Violation Generated` events the store step queued (`violation_outbox`), drained by
 * the main thread into the log in id order.
 */
export interface ViolationOutbox {
  /** The oldest `limit` items, ascending id. */
  pending(limit: number): Promise<OutboxItem[]>
  /** Deletes items with `id <= upTo` (after their append is durable). Idempotent. */
  remove(upTo: number): Promise<void>
}
