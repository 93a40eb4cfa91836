import type { DeliveryAdmin, DeliveryQueue, DestinationConfigStore } from '../destinations/index.js'
import type { ConsumerOffsets, EventQuery, EventStore } from '../events/index.js'
import type { IdentityStore, ProfileQuery } from '../identity/index.js'
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
  /** The delivery engine's lanes over the event store. */
  readonly deliveryQueue: DeliveryQueue
  /** Dead letters, replay, backfills, delivery metrics and traces. */
  readonly deliveryAdmin: DeliveryAdmin
  /** Destinations defined through the API. */
  readonly destinationConfigs: DestinationConfigStore
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
