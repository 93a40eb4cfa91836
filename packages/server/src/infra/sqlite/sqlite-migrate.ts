import type Database from 'better-sqlite3'
import { SQLITE_MIGRATIONS } from './sqlite-migrations.js'

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
