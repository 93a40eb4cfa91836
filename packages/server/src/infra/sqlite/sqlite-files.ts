import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { TesseraDatabase } from '../sql/database.js'
import {
  FIELD_INVENTORY_TABLES,
  IDENTITY_TABLES,
  SQLITE_DELIVERY_MIGRATIONS,
  SQLITE_FIELDS_MIGRATIONS,
  SQLITE_IDENTITY_MIGRATIONS,
  SQLITE_QUALITY_MIGRATIONS,
} from './sqlite-migrations.js'
import { migrateSqlite } from './sqlite-migrate.js'
import { sqliteFilePaths } from './sqlite-paths.js'
import { withStatementCache } from './sqlite-statement-cache.js'

/**
 * The embedded store's side files beside `tessera.db`, one per writer, each with its own write
 * lock: `identity.db` (identity resolution), `quality.db` (data-quality counters and alerts),
 * `fields.db` (the field inventory) and `delivery.db` (destinations and delivery). A side file
 * that reads events attaches the store as `store`; its queries name `events` unqualified, as no
 * side file has such a table.
 */

/**
 * Moves `tables` (and the `consumer`'s offset) of a store written by an earlier version into
 * the side file open on `db` (the store attached as `store`): copied in one transaction of the
 * side file, marked there as `moved_from_store`, then dropped from the store, so a crash
 * between the two steps only repeats the drop. Nothing when the store no longer has them.
 */
function moveFromStore(db: Database.Database, tables: readonly string[], consumer: string): void {
  const [first] = tables
  const inStore = db
    .prepare("SELECT 1 FROM store.sqlite_master WHERE type = 'table' AND name = ?")
    .get(first)
  if (inStore === undefined) return
  const MOVED = 'moved_from_store'
  const moved = db.prepare('SELECT 1 FROM main.schema_migrations WHERE id = ?').get(MOVED)
  if (moved === undefined) {
    db.transaction(() => {
      for (const table of tables) db.exec(`INSERT INTO main.${table} SELECT * FROM store.${table}`)
      db.prepare(
        'INSERT INTO main.consumer_offsets SELECT * FROM store.consumer_offsets WHERE consumer = ?',
      ).run(consumer)
      db.prepare('INSERT INTO main.schema_migrations (id, applied_at) VALUES (?, ?)').run(
        MOVED,
        Date.now(),
      )
    }).immediate()
  }
  db.transaction(() => {
    for (const table of tables) db.exec(`DROP TABLE IF EXISTS store.${table}`)
    db.prepare('DELETE FROM store.consumer_offsets WHERE consumer = ?').run(consumer)
  }).immediate()
}

/**
 * Opens a side file in WAL mode with a 5 s busy timeout, the store attached as `store` when
 * `storeFile` is given, and applies its migrations.
 */
function openSideFile(
  file: string,
  migrations: ReadonlyArray<{ id: string; sql: string }>,
  storeFile?: string,
): Database.Database {
  const db = new Database(file)
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('busy_timeout = 5000')
    if (storeFile !== undefined) db.prepare('ATTACH DATABASE ? AS store').run(storeFile)
    migrateSqlite(db, migrations)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

/**
 * Creates or migrates `<dataDir>/identity.db`, moving the identity tables out of a store of an
 * earlier version (migration 0002 put them there). Returns the file's path.
 */
export function prepareIdentityDatabase(dataDir: string, storeFile: string): string {
  const file = sqliteFilePaths(dataDir).identity
  const db = openSideFile(file, SQLITE_IDENTITY_MIGRATIONS, storeFile)
  try {
    moveFromStore(db, IDENTITY_TABLES, 'identity')
    return file
  } finally {
    db.close()
  }
}

/**
 * Creates or migrates `<dataDir>/quality.db` (data-quality counters, rules, incidents) and
 * returns its path. It is attached to the store's connection as `quality`, so queries name its
 * tables unqualified while the counters' and alerts' writes lock only this file, never
 * tessera.db (whose writer is the store worker). `synchronous = NORMAL`: a power loss may undo
 * the last counter batches together with their position, which are then folded again.
 */
export function prepareQualityDatabase(dataDir: string): string {
  const file = sqliteFilePaths(dataDir).quality
  openSideFile(file, SQLITE_QUALITY_MIGRATIONS).close()
  return file
}

/**
 * Attaches `quality.db` (at `file`) to the store connection `db` as `quality`, with
 * `synchronous = NORMAL` (see {@link prepareQualityDatabase}).
 */
export function attachQualityDatabase(db: Database.Database, file: string): void {
  db.prepare('ATTACH DATABASE ? AS quality').run(file)
  db.pragma('quality.synchronous = NORMAL')
}

/**
 * Opens `<dataDir>/fields.db` (the field inventory and the `fields` consumer's position) with
 * the store attached, moving the inventory out of a store of an earlier version (migration
 * 0005 put it there). Its only writer is the `fields` consumer, whose transactions so lock
 * this file and never tessera.db: the store step never waits for the inventory.
 * `synchronous = NORMAL`: a power loss may undo the last inventory batches together with their
 * position, which are then counted again from the stored events.
 */
export function openFieldsDatabase(dataDir: string, storeFile: string): Kysely<TesseraDatabase> {
  const db = openSideFile(sqliteFilePaths(dataDir).fields, SQLITE_FIELDS_MIGRATIONS, storeFile)
  try {
    db.pragma('synchronous = NORMAL')
    moveFromStore(db, FIELD_INVENTORY_TABLES, 'fields')
  } catch (error) {
    db.close()
    throw error
  }
  return new Kysely<TesseraDatabase>({
    dialect: new SqliteDialect({ database: withStatementCache(db) }),
  })
}

/**
 * Opens `<dataDir>/delivery.db` (destinations and the delivery engine's state) with the store
 * attached, so delivery writes lock only delivery.db. `synchronous = NORMAL`: a power loss may
 * undo the last cursor moves, and those events are delivered again (at least once).
 */
export function openDeliveryDatabase(dataDir: string, storeFile: string): Kysely<TesseraDatabase> {
  const db = openSideFile(sqliteFilePaths(dataDir).delivery, SQLITE_DELIVERY_MIGRATIONS, storeFile)
  db.pragma('synchronous = NORMAL')
  return new Kysely<TesseraDatabase>({
    dialect: new SqliteDialect({ database: withStatementCache(db) }),
  })
}
