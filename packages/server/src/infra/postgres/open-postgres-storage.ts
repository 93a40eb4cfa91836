import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { TesseraDatabase } from '../sql/database.js'
import type { AuditRetentionTables } from '../sql/audit-tables.js'
import { KyselyAuditStore } from '../sql/kysely-audit-store.js'
import { KyselyConsumerOffsets } from '../sql/kysely-consumer-offsets.js'
import { KyselyDeliveryAdmin } from '../sql/kysely-delivery-admin.js'
import { KyselyDeliveryQueue } from '../sql/kysely-delivery-queue.js'
import { KyselyDestinationConfigStore } from '../sql/kysely-destination-config-store.js'
import { KyselyEventQuery } from '../sql/kysely-event-query.js'
import { KyselyPlanStore } from '../sql/kysely-plan-store.js'
import { KyselyFieldInventory } from '../sql/kysely-field-inventory.js'
import { KyselyConsentHistory } from '../sql/kysely-consent-history.js'
import { KyselyPreferenceStore } from '../sql/kysely-preference-store.js'
import { KyselyIdentityMatch } from '../sql/kysely-identity-match.js'
import { KyselyQualityAlerts } from '../sql/kysely-quality-alerts.js'
import { KyselyQualityCounters } from '../sql/kysely-quality-counters.js'
import { KyselyProfileQuery } from '../sql/kysely-profile-query.js'
import { KyselySubjectRecords } from '../sql/kysely-subject-records.js'
import { KyselyTraitCorrectionStore } from '../sql/kysely-trait-corrections.js'
import { KyselyQuarantineStore, KyselyViolationOutbox } from '../sql/kysely-quarantine-store.js'
import { createErasureTargets, KyselySubjectEventFinder } from '../sql/kysely-erasure-targets.js'
import { KyselyRegulationStore } from '../sql/kysely-regulation-store.js'
import { KyselyRetentionStore } from '../sql/kysely-retention-store.js'
import { KyselySourceStore } from '../sql/kysely-source-store.js'
import { postgresAuditTransaction, postgresPlainWrite } from '../sql/write-transactions.js'
import type { Storage } from '../storage.js'
import { PostgresEventLog } from './postgres-event-log.js'
import { PostgresEventStore } from './postgres-event-store.js'
import { IDENTITY_LOCK_KEY } from './postgres-identity-sql.js'
import { PostgresIdentityStore } from './postgres-identity-store.js'
import { assertSchemaName, migratePostgres } from './postgres-migrations.js'

/** OID of `int8` (bigint), which `pg` returns as a string by default. */
const INT8_OID = 20

/** Options of {@link openPostgresStorage}. */
export interface PostgresStorageOptions {
  /** Connection string, e.g. `postgres://user@host:5432/db`. */
  url: string
  /**
   * Schema holding Tessera's tables, created when missing; every connection gets it as its
   * only `search_path`. Default: the server's default search path (normally `public`).
   * Lower-case letters, digits and `_` only.
   */
  schema?: string
  /** Pool size. Default 10. */
  maxConnections?: number
  /** How long to wait for a new connection before failing, in ms. Default 10 000. */
  connectionTimeoutMs?: number
  /**
   * Called when an idle pooled connection fails (server restart, network cut). `pg` has
   * already dropped it and the next query opens a fresh one. Default: ignore.
   */
  onIdleError?: (error: Error) => void
}

/**
 * The PostgreSQL storage: every storage port, plus the event log, which lives in the same
 * database (the `event_log` table) and shares the pool.
 */
export type PostgresStorage = Storage & { readonly eventLog: PostgresEventLog }

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505'
}

/**
 * Opens the PostgreSQL store: one `pg` pool shared by the event log and the event store (which
 * use the driver directly) and Kysely (for queries, offsets and sources). `bigint` columns come back as
 * numbers: every one holds epoch ms, offsets or counters, all below 2^53. Runs migrations
 * before resolving; rejects, with the pool closed, when the database cannot be reached or
 * migrated.
 */
export async function openPostgresStorage(
  options: PostgresStorageOptions,
): Promise<PostgresStorage> {
  if (options.schema !== undefined) assertSchemaName(options.schema)
  const types = new pg.TypeOverrides()
  types.setTypeParser(INT8_OID, Number)
  const pool = new pg.Pool({
    connectionString: options.url,
    types,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  })
  const onIdleError = options.onIdleError ?? ((): void => undefined)
  pool.on('error', (error) => onIdleError(error))
  try {
    await migratePostgres(pool, options.schema === undefined ? {} : { schema: options.schema })
  } catch (error) {
    await pool.end()
    throw error
  }
  const kysely = new Kysely<TesseraDatabase>({ dialect: new PostgresDialect({ pool }) })
  return {
    kind: 'postgres',
    eventLog: new PostgresEventLog(pool),
    eventStore: new PostgresEventStore(pool),
    eventQuery: new KyselyEventQuery(kysely),
    offsets: new KyselyConsumerOffsets(kysely),
    identityStore: new PostgresIdentityStore(pool),
    profileQuery: new KyselyProfileQuery(kysely),
    traitCorrections: new KyselyTraitCorrectionStore(kysely),
    subjectRecords: new KyselySubjectRecords({
      main: kysely,
      delivery: kysely,
      dialect: 'postgres',
    }),
    plans: new KyselyPlanStore(kysely),
    quarantine: new KyselyQuarantineStore(kysely),
    violationOutbox: new KyselyViolationOutbox(kysely),
    consentHistory: new KyselyConsentHistory(kysely),
    preferences: new KyselyPreferenceStore(kysely),
    qualityCounters: new KyselyQualityCounters(kysely),
    qualityAlerts: new KyselyQualityAlerts(kysely),
    identityMatch: new KyselyIdentityMatch(kysely),
    deliveryQueue: new KyselyDeliveryQueue(kysely),
    deliveryAdmin: new KyselyDeliveryAdmin(kysely),
    destinationConfigs: new KyselyDestinationConfigStore(kysely),
    fieldInventory: new KyselyFieldInventory(kysely),
    sources: new KyselySourceStore(kysely, isUniqueViolation),
    regulations: new KyselyRegulationStore(kysely),
    erasure: {
      targets: createErasureTargets({
        main: kysely,
        delivery: kysely,
        dialect: 'postgres',
        identityLockKey: IDENTITY_LOCK_KEY,
      }),
      finder: new KyselySubjectEventFinder(kysely),
    },
    audit: new KyselyAuditStore(
      kysely.withTables<AuditRetentionTables>(),
      postgresAuditTransaction,
    ),
    retention: new KyselyRetentionStore(
      kysely.withTables<AuditRetentionTables>(),
      kysely.withTables<AuditRetentionTables>(),
      postgresPlainWrite,
    ),
    ping: async () => {
      await pool.query('SELECT 1')
    },
    close: async () => {
      // Kysely ends the pool only if it ever ran a query; end it here otherwise.
      await kysely.destroy()
      if (!pool.ending) await pool.end()
    },
  }
}
