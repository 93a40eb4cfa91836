import type {
  AlertRule,
  CompletenessRow,
  IdentityMatchRow,
  Incident,
  PlanOutcomeRow,
  VolumeRow,
} from './model.js'

/** A stored event as the counters consumer reads it (in `seq` order). */
export interface CountedEvent {
  seq: number
  sourceId: string
  type: string
  /** `event` of track, `name` of page and screen; null otherwise. */
  name: string | null
  receivedAt: number
  /** The event as stored (JSON text). */
  payload: string
}

/** Counter increments of one batch; every field adds to the stored counters. */
export interface CounterDelta {
  volume: VolumeRow[]
  completeness: CompletenessRow[]
  /** Event names first counted in this batch (kept for the cardinality cap). */
  newNames: Array<{ sourceId: string; eventType: string; eventName: string }>
}

/** A time filter on counters: `[since, until)` on the minute, optionally one source/event. */
export interface CounterFilter {
  sourceId?: string
  eventName?: string
  since: number
  until: number
}

/**
 * The data-quality counters: per-minute volume and required-property presence, maintained
 * by the counters consumer that follows the event store by `seq`.
 */
export interface QualityCounters {
  /** The last event `seq` folded into the counters (0 at first). */
  position(): Promise<number>
  /** Stored events with `seq > after`, ascending, at most `limit`. */
  eventsAfter(after: number, limit: number): Promise<CountedEvent[]>
  /**
   * Adds `delta` and moves the position from `after` to `upTo`, in one transaction, only when
   * the stored position is still `after`: a batch applied twice (a replay, a second process)
   * counts once. Resolves to whether it was applied.
   */
  apply(after: number, upTo: number, delta: CounterDelta): Promise<boolean>
  /** Every event name counted so far, per source (for the cardinality cap). */
  eventNames(): Promise<Array<{ sourceId: string; eventType: string; eventName: string }>>
  /** Volume rows in the filter, ordered by minute. */
  volume(filter: CounterFilter): Promise<VolumeRow[]>
  /** Completeness rows in the filter, ordered by minute. */
  completeness(filter: CounterFilter): Promise<CompletenessRow[]>
  /** Accepted and duplicate counts per minute (from `ingest_stats`). */
  duplicates(
    filter: Omit<CounterFilter, 'eventName'>,
  ): Promise<Array<{ minute: number; accepted: number; duplicates: number }>>
}

/**
 * Tracking-plan outcomes per source, event and minute, from plan enforcement's `plan_stats`
 * table. `null` means no tracking plan is connected: the pass share is then unknown, not 0.
 */
export interface PlanOutcomes {
  outcomes(filter: CounterFilter): Promise<PlanOutcomeRow[] | null>
}

/** The null object used until plan enforcement is wired: no plan, so no pass share. */
export const noPlanOutcomes: PlanOutcomes = { outcomes: () => Promise.resolve(null) }

/**
 * Identity match rate inputs, read from identity resolution's tables. An anonymous visitor is
 * a user profile whose earliest identifiers (those first seen with the profile itself) are
 * `anonymous_id`s only; it is known when the profile now also holds a `user_id` or `email`.
 */
export interface IdentityMatch {
  /**
   * Anonymous visitors first seen in `[since, until)` (optionally first seen on one source),
   * grouped by buckets of `bucketMs` from epoch, ordered by bucket. Reads a snapshot; no
   * waiting for identity resolution.
   */
  matchRate(filter: {
    sourceId?: string
    since: number
    until: number
    bucketMs: number
  }): Promise<IdentityMatchRow[]>
}

/** Alert rules created through the API, and incidents. */
export interface QualityAlertStore {
  /** API-managed rules, by id. */
  rules(): Promise<AlertRule[]>
  /** Inserts a rule; false when the id exists (nothing written). */
  insertRule(rule: AlertRule, at: number): Promise<boolean>
  /** Replaces a rule; false when it does not exist. */
  updateRule(rule: AlertRule, at: number): Promise<boolean>
  /** Deletes a rule (its incidents stay); false when it did not exist. */
  deleteRule(id: string): Promise<boolean>
  /** Incidents newest first, optionally of one status or rule, at most `limit`. */
  incidents(filter: {
    status?: 'open' | 'resolved'
    ruleId?: string
    limit: number
  }): Promise<Incident[]>
  /** One incident, or null. */
  incident(id: string): Promise<Incident | null>
  /**
   * Inserts or replaces an incident by id (the evaluator is its only writer). Idempotent: the
   * same incident saved twice is stored once.
   */
  saveIncident(incident: Incident): Promise<void>
}
