import { resolve } from 'node:path'
import type { Storage } from '../infra/storage.js'
import { openSqliteStorage } from '../infra/sqlite/open-sqlite-storage.js'

/**
 * Opens the store the config selects: PostgreSQL when `storage.databaseUrl` is set, else the
 * embedded SQLite file in `storage.dataDir`. The PostgreSQL adapter is loaded only when used.
 */
export async function openStorage(storage: { dataDir: string; databaseUrl?: string | undefined }): Promise<Storage> {
  if (storage.databaseUrl !== undefined) {
    const { openPostgresStorage } = await import('../infra/postgres/open-postgres-storage.js')
    return openPostgresStorage({ url: storage.databaseUrl })
  }
  return openSqliteStorage({ dataDir: resolve(storage.dataDir) })
}
