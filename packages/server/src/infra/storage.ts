import type { AuditStore } from '../audit/index.js'
import type { DeliveryAdmin, DeliveryQueue, DestinationConfigStore } from '../destinations/index.js'
import type { ConsumerOffsets, EventQuery, EventStore } from '../events/index.js'
import type { IdentityStore, ProfileQuery } from '../identity/index.js'
import type { RetentionStore } from '../retention/index.js'
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
  /** The append-only audit log. */
  readonly audit: AuditStore
  /** Deletes raw events past their retention; keeps the API-set policies. */
  readonly retention: RetentionStore
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>
  /** Closes connections. Call after the last apply resolved. */
  close(): Promise<void>
}
