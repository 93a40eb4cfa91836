import type { Gate } from '../plans/index.js'
import type { LogEntry } from './event-log.js'

/** What one {@link EventStore.apply} did. */
export interface ApplyResult {
  /** Events written to the store. */
  stored: number
  /** Events whose `messageId` was already stored (not written again). */
  duplicates: number
  /** Events a gate step blocked, written to quarantine instead of the store. */
  quarantined: number
  /** Rejections written to the rejected-events store. */
  rejected: number
  /** Entries at or below the consumer's committed offset, ignored (already applied). */
  skipped: number
  /** The consumer's committed offset after the call. */
  offset: number
}

/**
 * The queryable store of events, written by the pipeline from the log. Read side:
 * {@link EventQuery}.
 */
export interface EventStore {
  /**
   * Applies log entries (ascending offsets) for `consumer` in one transaction: events are
   * inserted unless their `messageId` is already stored (dedupe is global, across sources, for
   * as long as the event is kept), rejections are inserted, the per-source, per-minute counters
   * (accepted, duplicates, rejected, bytes) grow, and the consumer's offset moves to the last
   * entry. Entries at or below the committed offset are skipped, so replaying a range after a
   * crash is harmless (exactly-once effect). On failure nothing is written.
   *
   * With a `gate`, the entries' events first pass its steps (`runGate`, in the same
   * transaction): blocked events go to `quarantined_events` instead of `events`, changed
   * events are stored as changed, and the gate's counters (`plan_stats`), grouped violations
   * (`plan_violations`) and forwarded events (`violation_outbox`) are written with them.
   */
  apply(consumer: string, entries: readonly LogEntry[], gate?: Gate): Promise<ApplyResult>
}
