import type Database from 'better-sqlite3'
import type { SqliteDatabase } from 'kysely'

/** Prepared statements kept per connection (distinct SQL texts; `IN` lists of other lengths count apart). */
export const STATEMENT_CACHE_SIZE = 256

/**
 * A better-sqlite3 connection as Kysely's `SqliteDatabase`, keeping prepared statements by SQL
 * text. Kysely prepares every query it runs; on a small read (a Profile API lookup) preparing
 * costs about as much as running it. The least recently used statement is dropped past
 * `capacity` (SQLite finalizes it when it is collected or the connection closes). A statement
 * still being iterated (a streamed query) is never handed out twice: the same text then gets a
 * fresh, uncached statement. Statements are re-prepared by SQLite itself after a schema change.
 */
export function withStatementCache(
  db: Database.Database,
  capacity = STATEMENT_CACHE_SIZE,
): SqliteDatabase {
  const cache = new Map<string, Database.Statement>()
  return {
    close: () => db.close(),
    prepare(sql) {
      const hit = cache.get(sql)
      if (hit !== undefined) {
        if (hit.busy) return db.prepare(sql)
        // Map order is insertion order: re-inserting marks it most recently used.
        cache.delete(sql)
        cache.set(sql, hit)
        return hit
      }
      const statement = db.prepare(sql)
      cache.set(sql, statement)
      if (cache.size > capacity) {
        const oldest = cache.keys().next()
        if (oldest.done !== true) cache.delete(oldest.value)
      }
      return statement
    },
  }
}
