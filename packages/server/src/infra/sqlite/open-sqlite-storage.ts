import { mkdirSync } from 'node:fs'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
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
import { sqliteAuditTransaction, sqliteWriteTransaction } from '../sql/write-transactions.js'
import type { Storage } from '../storage.js'
import { SqliteEventStore } from './sqlite-event-store.js'
import { SqliteIdentityStore } from './sqlite-identity-store.js'
import {
  attachQualityDatabase,
  openDeliveryDatabase,
  openFieldsDatabase,
  prepareIdentityDatabase,
  prepareQualityDatabase,
} from './sqlite-files.js'
import { migrateSqlite } from './sqlite-migrate.js'
import { sqliteFilePaths } from './sqlite-paths.js'
import { withStatementCache } from './sqlite-statement-cache.js'

export { migrateSqlite }

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE'
}

/**
 * Page cache, in MB, of the connection that inserts every event (the store worker's): index
 * inserts into a large events table stay in memory (SQLite's default is 2 MB).
 */
export const STORE_WRITER_CACHE_MB = 32

/** The embedded storage, with its file maintenance. */
export interface SqliteStorage extends Storage {
  /**
   * Copies what identity resolution committed to identity.db's WAL into the database file
   * (`wal_checkpoint(PASSIVE)`: never waits for a lock, skips what a reader still needs).
   * Called periodically by the store worker, so identity batches seldom reach their own
   * automatic checkpoint, which would stall them for seconds on a large graph. Best effort.
   */
  checkpointIdentity(): void
}

/** Options of {@link openSqliteStorage}. */
export interface SqliteStorageOptions {
  dataDir: string
  /**
   * Page cache of the store's own connection, in MB. Default 8: the threads that only read
   * events and write small tables (main, delivery) need no more. The store worker, which
   * inserts every event into the events table and its indexes, passes
   * {@link STORE_WRITER_CACHE_MB}. Each connection of each thread holds its own cache.
   */
  pageCacheMb?: number
}

/** The store's connection, migrated: settings as {@link openSqliteStorage} describes. */
function openStoreConnection(file: string, pageCacheMb: number): Database.Database {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('busy_timeout = 5000')
  db.pragma('foreign_keys = ON')
  db.pragma(`cache_size = -${Math.max(1, Math.trunc(pageCacheMb)) * 1024}`)
  // Checkpoint every ~80 MB of WAL rather than every 4 MB: identity batches write thousands of
  // pages, and with the default the store's next commit would copy them all on the ingest path.
  db.pragma('wal_autocheckpoint = 20000')
  migrateSqlite(db)
  return db
}

/**
 * Opens (creating if needed) the embedded store at `<dataDir>/tessera.db` (events, sources,
 * counters) and its side files (`sqlite-files.ts`): `identity.db` and `quality.db` attached
 * to the store's connection (as `identity` and `quality`, so queries name their tables
 * unqualified), `fields.db` and `delivery.db` on connections of their own with the store
 * attached. Each file has its own write lock. The store: WAL journal, `synchronous = FULL` so
 * every commit is durable, a 5 s busy timeout for other processes (the CLI) that open the same
 * file. Runs migrations before returning.
 */
export function openSqliteStorage(options: SqliteStorageOptions): SqliteStorage {
  mkdirSync(options.dataDir, { recursive: true })
  const file = sqliteFilePaths(options.dataDir).store
  const db = openStoreConnection(file, options.pageCacheMb ?? 8)
  const identityFile = prepareIdentityDatabase(options.dataDir, file)
  db.prepare('ATTACH DATABASE ? AS identity').run(identityFile)
  attachQualityDatabase(db, prepareQualityDatabase(options.dataDir))
  const delivery = openDeliveryDatabase(options.dataDir, file)
  const fields = openFieldsDatabase(options.dataDir, file)
  const kysely = new Kysely<TesseraDatabase>({
    dialect: new SqliteDialect({ database: withStatementCache(db) }),
  })
  // Opened on first use: of the threads that open the storage, only the main thread reads and
  // writes the graph here (the identity worker opens its own, `openSqliteIdentityStore`), and
  // each connection holds its own page cache.
  let identityStore: SqliteIdentityStore | null = null
  let closed = false
  return {
    kind: 'sqlite',
    eventStore: new SqliteEventStore(db),
    eventQuery: new KyselyEventQuery(kysely),
    offsets: new KyselyConsumerOffsets(kysely),
    sources: new KyselySourceStore(kysely, isUniqueViolation),
    get identityStore() {
      if (closed && identityStore === null) throw new Error('the storage is closed')
      identityStore ??= SqliteIdentityStore.open({ identity: identityFile, store: file })
      return identityStore
    },
    profileQuery: new KyselyProfileQuery(kysely),
    traitCorrections: new KyselyTraitCorrectionStore(kysely),
    subjectRecords: new KyselySubjectRecords({
      main: kysely,
      delivery: delivery,
      dialect: 'sqlite',
    }),
    plans: new KyselyPlanStore(kysely),
    quarantine: new KyselyQuarantineStore(kysely),
    violationOutbox: new KyselyViolationOutbox(kysely),
    consentHistory: new KyselyConsentHistory(kysely),
    preferences: new KyselyPreferenceStore(kysely),
    qualityCounters: new KyselyQualityCounters(kysely),
    qualityAlerts: new KyselyQualityAlerts(kysely),
    identityMatch: new KyselyIdentityMatch(kysely),
    deliveryQueue: new KyselyDeliveryQueue(delivery),
    deliveryAdmin: new KyselyDeliveryAdmin(delivery),
    destinationConfigs: new KyselyDestinationConfigStore(delivery),
    fieldInventory: new KyselyFieldInventory(fields),
    regulations: new KyselyRegulationStore(kysely),
    erasure: {
      targets: createErasureTargets({ main: kysely, delivery, dialect: 'sqlite' }),
      finder: new KyselySubjectEventFinder(kysely),
    },
    audit: new KyselyAuditStore(kysely.withTables<AuditRetentionTables>(), sqliteAuditTransaction),
    retention: new KyselyRetentionStore(
      kysely.withTables<AuditRetentionTables>(),
      delivery.withTables<AuditRetentionTables>(),
      sqliteWriteTransaction,
    ),
    ping: () => {
      db.prepare('SELECT 1').get()
      return Promise.resolve()
    },
    checkpointIdentity: () => {
      if (db.open) db.pragma('identity.wal_checkpoint(PASSIVE)')
    },
    close: async () => {
      closed = true
      identityStore?.close()
      await delivery.destroy()
      await fields.destroy()
      await kysely.destroy()
      if (db.open) db.close()
    },
  }
}
