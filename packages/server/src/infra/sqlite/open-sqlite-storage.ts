import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
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
  IDENTITY_TABLES,
  SQLITE_DELIVERY_MIGRATIONS,
  SQLITE_IDENTITY_MIGRATIONS,
  SQLITE_MIGRATIONS,
  SQLITE_QUALITY_MIGRATIONS,
} from './sqlite-migrations.js'

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE'
}

/** Applies pending migrations, each in its own transaction. Returns the ids applied. */
export function migrateSqlite(
  db: Database.Database,
  migrations: ReadonlyArray<{ id: string; sql: string }> = SQLITE_MIGRATIONS,
): string[] {
  db.exec(
    `CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`,
  )
  const done = new Set(db.prepare('SELECT id FROM schema_migrations').pluck().all() as string[])
  const applied: string[] = []
  for (const migration of migrations) {
    if (done.has(migration.id)) continue
    db.transaction(() => {
      db.exec(migration.sql)
      db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(
        migration.id,
        Date.now(),
      )
    })()
    applied.push(migration.id)
  }
  return applied
}

/**
 * Opens (creating if needed) the embedded store at `<dataDir>/tessera.db` (events, sources,
 * counters), with `identity.db` (the identity graph and profiles, attached as `identity` so
 * queries name its tables unqualified) and `delivery.db` (destinations and delivery) beside
 * it, each file with its own write lock: WAL journal,
 * `synchronous = FULL` so every commit is durable, a 5 s busy timeout for other processes
 * (the CLI) that open the same file. Runs migrations before returning.
 */
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

export function openSqliteStorage(options: { dataDir: string }): SqliteStorage {
  mkdirSync(options.dataDir, { recursive: true })
  const file = join(options.dataDir, 'tessera.db')
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('busy_timeout = 5000')
  db.pragma('foreign_keys = ON')
  // 32 MB of page cache (default 2 MB): index inserts into a large events table stay in memory.
  db.pragma('cache_size = -32768')
  // Checkpoint every ~80 MB of WAL rather than every 4 MB: identity batches write thousands of
  // pages, and with the default the store's next commit would copy them all on the ingest path.
  db.pragma('wal_autocheckpoint = 20000')
  migrateSqlite(db)
  const identityFile = prepareIdentityDatabase(options.dataDir, file)
  db.prepare('ATTACH DATABASE ? AS identity').run(identityFile)
  db.prepare('ATTACH DATABASE ? AS quality').run(prepareQualityDatabase(options.dataDir))
  db.pragma('quality.synchronous = NORMAL')
  const delivery = openDeliveryDatabase(options.dataDir, file)
  const kysely = new Kysely<TesseraDatabase>({ dialect: new SqliteDialect({ database: db }) })
  const identityStore = SqliteIdentityStore.open({ identity: identityFile, store: file })
  return {
    kind: 'sqlite',
    eventStore: new SqliteEventStore(db),
    eventQuery: new KyselyEventQuery(kysely),
    offsets: new KyselyConsumerOffsets(kysely),
    sources: new KyselySourceStore(kysely, isUniqueViolation),
    identityStore,
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
    fieldInventory: new KyselyFieldInventory(kysely),
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
      identityStore.close()
      await delivery.destroy()
      await kysely.destroy()
      if (db.open) db.close()
    },
  }
}

/**
 * Creates or migrates `<dataDir>/quality.db` (data-quality counters, rules, incidents) and
 * returns its path. It is attached to the store's connection as `quality`, so queries name its
 * tables unqualified while the main thread's writes lock only this file, never tessera.db
 * (whose writer is the store worker). `synchronous = NORMAL`: a power loss may undo the last
 * counter batches together with their position, which are then folded again.
 */
function prepareQualityDatabase(dataDir: string): string {
  const file = join(dataDir, 'quality.db')
  const db = new Database(file)
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('busy_timeout = 5000')
    migrateSqlite(db, SQLITE_QUALITY_MIGRATIONS)
    return file
  } finally {
    db.close()
  }
}

/**
 * Opens `<dataDir>/delivery.db` (destinations and the delivery engine's state) with the store
 * attached as `store`, so queries name `events` unqualified (no such table exists in
 * delivery.db) while delivery writes lock only delivery.db. `synchronous = NORMAL`: a power
 * loss may undo the last cursor moves, and those events are delivered again (at least once).
 */
function openDeliveryDatabase(dataDir: string, storeFile: string): Kysely<TesseraDatabase> {
  const db = new Database(join(dataDir, 'delivery.db'))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('busy_timeout = 5000')
  db.prepare('ATTACH DATABASE ? AS store').run(storeFile)
  migrateSqlite(db, SQLITE_DELIVERY_MIGRATIONS)
  return new Kysely<TesseraDatabase>({ dialect: new SqliteDialect({ database: db }) })
}

/**
 * Creates or migrates `<dataDir>/identity.db`. A store written by an earlier version holds the
 * identity tables itself (migration 0002): they are copied into identity.db (in one
 * transaction, marked done there), then dropped from the store, so a crash between the two
 * steps only repeats the drop. Returns the file's path.
 */
function prepareIdentityDatabase(dataDir: string, storeFile: string): string {
  const file = join(dataDir, 'identity.db')
  const db = new Database(file)
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('busy_timeout = 5000')
    migrateSqlite(db, SQLITE_IDENTITY_MIGRATIONS)
    db.prepare('ATTACH DATABASE ? AS store').run(storeFile)
    const inStore = db
      .prepare("SELECT 1 FROM store.sqlite_master WHERE type = 'table' AND name = 'profiles'")
      .get()
    if (inStore === undefined) return file
    const MOVED = 'moved_from_store'
    const moved = db.prepare('SELECT 1 FROM main.schema_migrations WHERE id = ?').get(MOVED)
    if (moved === undefined) {
      db.transaction(() => {
        for (const table of IDENTITY_TABLES) {
          db.exec(`INSERT INTO main.${table} SELECT * FROM store.${table}`)
        }
        db.exec(
          "INSERT INTO main.consumer_offsets SELECT * FROM store.consumer_offsets WHERE consumer = 'identity'",
        )
        db.prepare('INSERT INTO main.schema_migrations (id, applied_at) VALUES (?, ?)').run(
          MOVED,
          Date.now(),
        )
      }).immediate()
    }
    db.transaction(() => {
      for (const table of IDENTITY_TABLES) db.exec(`DROP TABLE store.${table}`)
      db.exec("DELETE FROM store.consumer_offsets WHERE consumer = 'identity'")
    }).immediate()
    return file
  } finally {
    db.close()
  }
}
