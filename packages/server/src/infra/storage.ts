import type { ConsentHistory, PreferenceStore } from '../consent/index.js'
import type { DeliveryAdmin, DeliveryQueue, DestinationConfigStore } from '../destinations/index.js'
import type { ConsumerOffsets, EventQuery, EventStore } from '../events/index.js'
import type { IdentityStore, ProfileQuery } from '../identity/index.js'
import type { PlanStore } from '../plans/index.js'
import type { QuarantineStore, ViolationOutbox } from '../plans/index.js'
import type { FieldInventoryStore } from '../privacy/index.js'
import type {
  ErasureTarget,
  RegulationStore,
  SubjectEventFinder,
  SubjectRecords,
  TraitCorrectionStore,
} from '../regulations/index.js'
import type { AuditStore } from '../audit/index.js'
import type { RetentionStore } from '../retention/index.js'
import type { IdentityMatch, QualityAlertStore, QualityCounters } from '../quality/index.js'
import type { SourceStore } from '../sources/index.js'

/**
 * Every storage port, opened on one database. Built by `openSqliteStorage` or
 * `openPostgresStorage`; `app/` picks one from the config and domains see only the ports.
 * The event log is opened apart: a segment-file log beside the SQLite file, or the
 * `event_log` table of the PostgreSQL storage (`PostgresStorage.eventLog`).
 */
export interface Storage {
  readonly kind: 'sqlite' | 'postgres'
  readonly eventStore: EventStore
  readonly eventQuery: EventQuery
  readonly offsets: ConsumerOffsets
  readonly sources: SourceStore
  /** The identity graph's write side (its own connection on SQLite). */
  readonly identityStore: IdentityStore
  /** Profiles and the identity graph, read side. */
  readonly profileQuery: ProfileQuery
  /** The consent its events carried, per profile (read side over events and identity). */
  readonly consentHistory: ConsentHistory
  /** Preference centre changes, keyed by identifier. */
  readonly preferences: PreferenceStore
  /** The delivery engine's lanes over the event store. */
  readonly deliveryQueue: DeliveryQueue
  /** Dead letters, replay, backfills, delivery metrics and traces. */
  readonly deliveryAdmin: DeliveryAdmin
  /** Destinations defined through the API. */
  readonly destinationConfigs: DestinationConfigStore
  /** Tracking plans defined through the API, their revisions and source connections. */
  readonly plans: PlanStore
  /** Quarantined events, plan statistics and grouped violations (tracking plans). */
  readonly quarantine: QuarantineStore
  /** Forwarded violations waiting to be appended to the log. */
  readonly violationOutbox: ViolationOutbox
  /** The field inventory and observed schema (the `fields` consumer writes it). */
  readonly fieldInventory: FieldInventoryStore
  /** Data-subject requests, their tasks and the suppressed identifiers. */
  readonly regulations: RegulationStore
  /** Trait corrections (rectification), keyed by identifier; applied by `profileQuery`. */
  readonly traitCorrections: TraitCorrectionStore
  /** What the access export reads beside the profile: rejections, quarantine, delivery. */
  readonly subjectRecords: SubjectRecords
  /** Every store a deletion reaches, in execution order, and how the subject's events are found. */
  readonly erasure: { targets: readonly ErasureTarget[]; finder: SubjectEventFinder }
  /** The append-only audit log. */
  readonly audit: AuditStore
  /** Deletes raw events past their retention; keeps the API-set policies. */
  readonly retention: RetentionStore
  /** Data-quality counters (volume, completeness) and their consumer position. */
  readonly qualityCounters: QualityCounters
  /** Alert rules created through the API, and alert incidents. */
  readonly qualityAlerts: QualityAlertStore
  /** Identity match rate, read from identity resolution's tables. */
  readonly identityMatch: IdentityMatch
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>
  /** Closes connections. Call after the last apply resolved. */
  close(): Promise<void>
}
