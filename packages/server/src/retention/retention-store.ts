import type { RetentionRule } from './policy.js'

/**
 * Deletes what retention policies say is too old, in small batches, and keeps the policies set
 * through the API. Each delete is one short transaction of at most `limit` rows, oldest first,
 * so writers (the store consumer) wait at most one batch. Deletes are idempotent: running one
 * again deletes what is still there and matches.
 */
export interface RetentionStore {
  /** Raw events (table `events`) matching `rule`; returns the rows deleted. */
  deleteEvents(rule: RetentionRule, limit: number): Promise<number>
  /** Dead letters (copies of events) matching `rule` by their event's source, type and name. */
  deleteDeadLetters(rule: RetentionRule, limit: number): Promise<number>
  /** Pending retries that read their payload from an event that no longer exists. */
  deleteOrphanRetries(limit: number): Promise<number>
  /** Rejected events received before `before`. */
  deleteRejected(before: number, limit: number): Promise<number>
  /** Quarantined events (any status) received before `before`. */
  deleteQuarantined(before: number, limit: number): Promise<number>
  /** When the oldest remaining raw event was received (epoch ms), or null when none is left. */
  oldestEventAt(): Promise<number | null>
  /** The `retention` section saved through the API, or null when never saved. Not validated. */
  loadPolicies(): Promise<unknown>
  /** Replaces the saved section (already validated). */
  savePolicies(config: unknown, at: number): Promise<void>
}
