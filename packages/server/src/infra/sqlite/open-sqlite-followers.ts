import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { FieldInventoryStore } from '../../privacy/index.js'
import type { QualityCounters } from '../../quality/index.js'
import type { TesseraDatabase } from '../sql/database.js'
import { KyselyFieldInventory } from '../sql/kysely-field-inventory.js'
import { KyselyQualityCounters } from '../sql/kysely-quality-counters.js'
import { attachQualityDatabase, openFieldsDatabase } from './sqlite-files.js'
import { sqliteFilePaths } from './sqlite-paths.js'
import { withStatementCache } from './sqlite-statement-cache.js'

/** What the store's followers write, on connections of their own. */
export interface SqliteFollowerStores {
  fieldInventory: FieldInventoryStore
  qualityCounters: QualityCounters
  /** Closes both connections. */
  close(): Promise<void>
}

/**
 * Opens only what the followers worker needs: `tessera.db` with `quality.db` attached as
 * `quality` (the counters read events and write their own file), and `fields.db` with the
 * store attached (the inventory). Nothing else of the storage is loaded or opened, so the
 * worker's thread holds two connections instead of five and a fraction of the modules.
 *
 * It creates and migrates nothing but `fields.db` (idempotent): `openSqliteStorage` must have
 * opened `dataDir` first, as the main thread does before it starts any worker. The connections
 * use the same settings as the storage's own: WAL, a 5 s busy timeout, and `synchronous =
 * NORMAL` for the two side files.
 */
export function openSqliteFollowerStores(dataDir: string): SqliteFollowerStores {
  const files = sqliteFilePaths(dataDir)
  const db = new Database(files.store, { fileMustExist: true })
  let fields: Kysely<TesseraDatabase>
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('busy_timeout = 5000')
    attachQualityDatabase(db, files.quality)
    fields = openFieldsDatabase(dataDir, files.store)
  } catch (error) {
    db.close()
    throw error
  }
  const kysely = new Kysely<TesseraDatabase>({
    dialect: new SqliteDialect({ database: withStatementCache(db) }),
  })
  return {
    fieldInventory: new KyselyFieldInventory(fields),
    qualityCounters: new KyselyQualityCounters(kysely),
    close: async () => {
      await fields.destroy()
      await kysely.destroy()
      if (db.open) db.close()
    },
  }
}
