import type { EventType } from '../protocol/index.js'

/** Filters of the events query API; every field is optional and they combine with AND. */
export interface EventFilter {
  sourceId?: string
  type?: EventType
  /** `event` of track calls, `name` of page and screen calls. */
  event?: string
  userId?: string
  anonymousId?: string
  messageId?: string
  /** Inclusive lower bound on `receivedAt`, epoch ms. */
  since?: number
  /** Exclusive upper bound on `receivedAt`, epoch ms. */
  until?: number
}

/** A stored event as the query API returns it. */
export interface StoredEvent {
  offset: number
  sourceId: string
  receivedAt: number
  event: Record<string, unknown>
}

/** A stored rejection. */
export interface StoredRejection {
  id: number
  sourceId: string
  receivedAt: number
  code: string
  reason: string
  messageId: string | null
  /** The payload as the client sent it (truncated to 64 KB), parsed when it was JSON. */
  payload: unknown
}

/** One per-source, per-minute counter row. */
export interface IngestStatsRow {
  sourceId: string
  /** Start of the minute, epoch ms. */
  minute: number
  accepted: number
  duplicates: number
  rejected: number
  bytes: number
  /** Events of suppressed identifiers, answered 200 and not stored (data-subject requests). */
  suppressed: number
}

/** A page of results; `next` is an opaque cursor for the following page, or null at the end. */
export interface Page<T> {
  data: T[]
  next: string | null
}

/**
 * Read side of the log for the admin API and console. Results are newest first. Cursors are
 * opaque strings produced by the adapter; an invalid cursor yields an `EVENTS_INVALID_CURSOR`
 * error. Reads are consistent with every append that resolved before the call.
 */
export interface EventQuery {
  events(
    filter: EventFilter,
    options: { limit: number; cursor?: string },
  ): Promise<Page<StoredEvent>>
  rejected(
    filter: { sourceId?: string; since?: number; until?: number },
    options: { limit: number; cursor?: string },
  ): Promise<Page<StoredRejection>>
  /** Counters per source and minute in `[since, until)`, ordered by minute then source. */
  stats(filter: { sourceId?: string; since: number; until: number }): Promise<IngestStatsRow[]>
}
