import { sql } from 'kysely'
import type { WriteTransaction } from './kysely-audit-store.js'

/**
 * SQLite: `BEGIN IMMEDIATE` on Kysely's one connection (which it holds for the whole
 * callback, so no other query of this process interleaves): the write lock is taken before
 * the first read, waiting up to the busy timeout when another connection (the store worker)
 * holds it, instead of failing later on a stale snapshot.
 */
export const sqliteWriteTransaction: WriteTransaction = (db, fn) =>
  db.connection().execute(async (connection) => {
    await sql`BEGIN IMMEDIATE`.execute(connection)
    try {
      const result = await fn(connection)
      await sql`COMMIT`.execute(connection)
      return result
    } catch (error) {
      await sql`ROLLBACK`.execute(connection)
      throw error
    }
  })

/** Lock key of audit appends: any constant distinct from the migration lock. */
const AUDIT_APPEND_LOCK = 7_370_001

/** PostgreSQL: a transaction holding an advisory lock, so appends from every process queue. */
export const postgresAuditTransaction: WriteTransaction = (db, fn) =>
  db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${AUDIT_APPEND_LOCK})`.execute(tx)
    return fn(tx)
  })

/** PostgreSQL deletes: one autocommit statement each, row locks only. */
export const postgresPlainWrite: WriteTransaction = (db, fn) => fn(db)
