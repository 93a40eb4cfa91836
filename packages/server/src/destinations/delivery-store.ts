/**
 * Storage ports of the delivery engine. A destination's queue is its **lane**: a cursor into
 * the event store (events with `seq` above it are still to deliver), a backoff state when the
 * whole destination is failing, per-event retries, and dead letters. Nothing is copied per
 * event while a destination is healthy or down as a whole; rows are written only for events
 * that fail alone (retries) or for good (dead letters).
 */
import type { DeliveryError } from './driver.js'

/** An event of the event store, as the engine reads it. */
export interface QueuedEvent {
  seq: number
  messageId: string
  sourceId: string
  receivedAt: number
  /** The stored JSON payload. */
  payload: string
}

/** One attempt at delivering an event. */
export interface AttemptRecord {
  at: number
  durationMs: number
  code: string | null
  httpStatus: number | null
  message: string | null
}

/** The backoff state of a lane whose every request fails; null when healthy. */
export interface LaneBackoff {
  attempts: number
  firstFailureAt: number
  nextAt: number
  lastError: DeliveryError
  /** The failed attempts of this failure (up to 100: the first and the latest), copied into dead letters. */
  history: AttemptRecord[]
}

export interface LaneState {
  /** Every event with `seq <= cursor` was delivered, filtered, parked for retry or dead-lettered. */
  cursor: number
  backoff: LaneBackoff | null
  /** User keys with a pending retry (kept only for destinations ordered by user). */
  blockedUsers: string[]
}

/** An event waiting for its next attempt. */
export interface RetryEntry {
  seq: number
  messageId: string
  sourceId: string
  receivedAt: number
  userKey: string | null
  attempts: AttemptRecord[]
  firstAttemptAt: number
  nextAt: number
  /** The payload: from the event store, or the copy a replayed dead letter carried. */
  payload: string
  /** True when the payload is held by the retry row itself (a replay), not the event store. */
  ownPayload: boolean
}

/** An event that will not be retried any more. */
export interface DeadLetterInput {
  seq: number
  messageId: string
  sourceId: string
  receivedAt: number
  payload: string
  error: DeliveryError
  attempts: AttemptRecord[]
  firstAttemptAt: number
  failedAt: number
}

export interface DeadLetter extends DeadLetterInput {
  id: number
  destinationId: string
  eventType: string
  eventName: string | null
  replayedAt: number | null
}

/** Upper bounds (ms) of the ingest-to-delivery latency buckets; the last bucket is open. */
export const LATENCY_BUCKETS_MS = [50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000] as const

/** Counters of one destination for one minute (`minute` = epoch ms at the minute's start). */
export interface DeliveryStatsDelta {
  minute: number
  delivered: number
  retried: number
  failed: number
  /** Events routing discarded (every reason, the three below included). */
  filtered: number
  /** Of `filtered`: discarded by end user consent. */
  filteredConsent: number
  /** Of `filtered`: the person opted out of the destination's channel or content type. */
  filteredPreference: number
  /** Of `filtered`: the person's processing is restricted (marketing destinations). */
  filteredRestriction: number
  deadLettered: number
  /** Delivered events per latency bucket: LATENCY_BUCKETS_MS.length + 1 counts. */
  latency: number[]
}

export interface ErrorSampleInput {
  at: number
  messageId: string | null
  error: DeliveryError
}

export interface BackfillProgress {
  id: string
  position: number
  events: number
  done: boolean
}

/**
 * Everything one lane step changed, written in one transaction (so a crash leaves either all
 * of it or none, and the step is simply redone: deliveries are at least once).
 */
export interface LaneCommit {
  /** The new cursor; only ever moves forward. */
  cursor?: number
  /** The backoff state; `null` clears it, absent leaves it. */
  backoff?: LaneBackoff | null
  /** Retries to insert or replace (by seq). */
  retries: RetryEntry[]
  /** Seqs whose retry is over (delivered, filtered or dead-lettered). */
  retriesDone: number[]
  deadLetters: DeadLetterInput[]
  stats: DeliveryStatsDelta[]
  errors: ErrorSampleInput[]
  backfill?: BackfillProgress
}

export interface Backfill {
  id: string
  destinationId: string
  /** Received-at range, epoch ms, inclusive start, exclusive end. */
  from: number
  to: number
  /** Seq range the range maps to, and the position reached in it. */
  startSeq: number
  endSeq: number
  position: number
  status: 'running' | 'done' | 'cancelled'
  events: number
  createdAt: number
  finishedAt: number | null
}

/** The engine's side. One writer per destination at a time (the process running the engine). */
export interface DeliveryQueue {
  /**
   * Up to `limit` stored events with `afterSeq < seq` (and `seq <= toSeq`, `from <= received_at
   * < to` when given), in seq order. Reads are outside any transaction.
   */
  readEvents(
    afterSeq: number,
    limit: number,
    range?: { toSeq?: number; from?: number; to?: number },
  ): Promise<QueuedEvent[]>
  /** The highest stored seq (0 when empty). */
  eventsHead(): Promise<number>
  /**
   * The lane of a destination. A destination never seen starts at the current head (a new
   * destination gets new events; history comes through a backfill), and that start is stored.
   */
  loadLane(destinationId: string): Promise<LaneState>
  /** Retries due at `now`, oldest seq first; entries whose event is gone are dropped. */
  dueRetries(destinationId: string, now: number, limit: number): Promise<RetryEntry[]>
  /** When the next retry of the destination is due; null when none is pending. */
  nextRetryAt(destinationId: string): Promise<number | null>
  /** Applies a step's changes atomically. */
  commit(destinationId: string, commit: LaneCommit): Promise<void>
  /** Backfills still running for the destination, oldest first. */
  runningBackfills(destinationId: string): Promise<Backfill[]>
}

export interface DeadLetterQuery {
  from?: number
  to?: number
  errorCode?: string
  /** Only dead letters not replayed yet (default true). */
  pendingOnly?: boolean
  cursor?: string
  limit: number
}

/** Which dead letters a bulk operation takes: ids, or everything matching a query. */
export type DeadLetterSelector =
  { ids: number[] } | { from?: number; to?: number; errorCode?: string }

export interface DeliveryStatsRow extends DeliveryStatsDelta {
  destinationId: string
}

export interface ErrorSample extends ErrorSampleInput {
  id: number
  destinationId: string
}

/** What the store knows of one event at every destination (see `traceEvent`). */
export interface EventDeliveryFacts {
  seq: number
  sourceId: string
  payload: string
  lanes: Array<{
    destinationId: string
    cursor: number
    /** Where the lane started: events at or below it were stored before the destination. */
    startSeq: number
    /** A backfill of this destination has passed the event. */
    backfilled: boolean
    retry: RetryEntry | null
    deadLetters: DeadLetter[]
  }>
}

/** The admin side: dead letters, replay, backfills, metrics and traces. */
export interface DeliveryAdmin {
  /**
   * Starts a destination's lane at `cursor` (events with a higher seq are delivered) unless it
   * already has one. Called when a destination is created, before its creation is answered, so
   * every event acknowledged after that answer reaches it. Idempotent.
   */
  initLane(destinationId: string, cursor: number): Promise<void>
  /** Newest first. Invalid cursors yield `DESTINATIONS_INVALID_CURSOR`. */
  deadLetters(
    destinationId: string,
    query: DeadLetterQuery,
  ): Promise<{ data: DeadLetter[]; next: string | null }>
  /**
   * Puts the selected dead letters (not replayed yet) back in the retry queue, due at `now`,
   * with fresh attempts; marks them replayed. Idempotent per dead letter. Returns how many.
   */
  replayDeadLetters(
    destinationId: string,
    selector: DeadLetterSelector,
    now: number,
  ): Promise<number>
  /** Deletes the selected dead letters. Returns how many. */
  deleteDeadLetters(destinationId: string, selector: DeadLetterSelector): Promise<number>
  /** Starts a backfill of the events received in [from, to). */
  createBackfill(
    destinationId: string,
    range: { from: number; to: number },
    now: number,
  ): Promise<Backfill>
  backfills(destinationId: string): Promise<Backfill[]>
  /** Per-minute counters in [since, until), oldest first. */
  stats(destinationId: string | null, since: number, until: number): Promise<DeliveryStatsRow[]>
  /** The most recent error samples, newest first. */
  recentErrors(destinationId: string, limit: number): Promise<ErrorSample[]>
  /** Facts about one event at every lane; null when no stored event has this messageId. */
  traceEvent(messageId: string): Promise<EventDeliveryFacts | null>
}

/** A destination as stored (its settings' secrets already sealed by the caller). */
export interface StoredDestination {
  id: string
  config: string
  createdAt: number
  updatedAt: number
}

/** Destinations defined through the API (when the config file does not manage them). */
export interface DestinationConfigStore {
  list(): Promise<StoredDestination[]>
  get(id: string): Promise<StoredDestination | null>
  /** Inserts or replaces. */
  put(destination: StoredDestination): Promise<void>
  /** Deletes the destination and its lane, retries, dead letters, errors and backfills. */
  delete(id: string): Promise<boolean>
}
