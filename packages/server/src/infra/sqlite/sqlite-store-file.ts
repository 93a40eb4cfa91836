import { join } from 'node:path'
import Database from 'better-sqlite3'

/**
 * What `<dataDir>/tessera.db` holds, read on a read-only connection of its own: its table names
 * and the consumers with an offset in it. Tests of the moves into side files check both.
 */
export function storeFileContents(dataDir: string): { tables: string[]; consumers: string[] } {
  const store = new Database(join(dataDir, 'tessera.db'), { readonly: true })
  try {
    return {
      tables: store
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .pluck()
        .all() as string[],
      consumers: store.prepare('SELECT consumer FROM consumer_offsets').pluck().all() as string[],
    }
  } finally {
    store.close()
  }
}
