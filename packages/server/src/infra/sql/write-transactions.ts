import { sql } from 'kysely'
import type { WriteTransaction } from './kysely-audit-store.js'

/**
 * SQLite: a deferred transaction on Kysely's one connection (which it holds for the whole
 * callback, so no other query of this process interleaves). `fn` must write before it reads:
 * a transaction whose first statement writes waits for the write lock (up to the busy timeout)
 * and retries on a stale snapshot, like `BEGIN IMMEDIATE`, but locks only the files that
 * statement writes; `BEGIN IMMEDIATE` would also lock every attached file (identity.db on the
 * store's connection, the store on delivery.db's).
 */
export const sqliteWriteTransaction: WriteTransaction = (db, fn) =>
  db.connection().execute(async (connection) => {
    await sql`BEGIN`.execute(connection)
    try {
      const result = await fn(connection)
      await sql`COMMIT`.execute(connection)
      return result
    } catch (error) {
      await sql`ROLLBACK`.execute(connection)
      throw error
    }
  })

/**
 * SQLite audit appends: the transaction above, opened with a write to `audit_append_lock`, so
 * the chain head is read under tessera.db's write lock and no other process can append between
 * the read and the insert.
 */
export const sqliteAuditTransaction: WriteTransaction = (db, fn) =>
  sqliteWriteTransaction(db, async (tx) => {
    await sql`UPDATE audit_append_lock SET appends = appends + 1 WHERE singleton = 1`.execute(tx)
    return fn(tx)
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
