import Database from 'better-sqlite3'
import type { IdentityStore, IdentityTx } from '../../identity/identity-store.js'
import type { IdentitySourceEvent } from '../../identity/model.js'
import { systemClock, type Clock } from '../../platform/clock.js'
import { settle, toSourceEvent, type SourceEventRow } from '../sql/identity-rows.js'
import { createSerialRunner, type SerialRunner } from '../sql/serial-runner.js'
import { SqliteIdentityStatements } from './sqlite-identity-statements.js'
import { SqliteIdentityTx } from './sqlite-identity-tx.js'

/** Options of {@link SqliteIdentityStore}. */
export interface SqliteIdentityStoreOptions {
  /** Source of `settings.updated_at`. Default: the system clock. */
  clock?: Clock
  /**
   * Bytes of the database file {@link SqliteIdentityStore.open} maps into memory
   * (`mmap_size`): lookups of a batch's keys are random over the whole graph, and mapped pages
   * are read without a system call or a copy. 0 turns it off. Default 1 GiB.
   */
  mmapBytes?: number
}

const DEFAULT_MMAP_BYTES = 1024 * 1024 * 1024

/**
 * {@link IdentityStore} on the embedded SQLite database, on a connection of its own (the
 * migrations, 0002_identity included, must have run on the file).
 *
 * - `transact` serializes in two layers: an in-process queue (calls run one at a time, in
 *   call order, because `fn` is async and a second `BEGIN` on the same connection would fail),
 *   then `BEGIN IMMEDIATE`, which takes SQLite's write lock at once so other connections and
 *   processes wait (`busy_timeout`) instead of failing at the first write. `COMMIT` when `fn`
 *   resolves; `ROLLBACK` and the original error when `fn` or the commit rejects.
 * - Reads outside `transact` (`readEvents`, `eventsHead`, `getSetting`) run at once; while a
 *   transaction is open on the connection they see its uncommitted writes, which is harmless
 *   for the tables they read. `putSetting` is queued like a transaction, so its write never
 *   joins (and is never rolled back with) an open `transact` (and awaiting it inside a
 *   transaction's `fn` would wait forever).
 * - Every tx method runs synchronously under its promise, so an `fn` that awaits only tx
 *   methods runs within one turn of the event loop: no other code of the thread (such as a
 *   write on another connection, which would block on the write lock until `busy_timeout`)
 *   runs while the lock is held. Open one store per file and process: a second one in the
 *   same thread would block in `BEGIN IMMEDIATE` while the first awaits.
 * - Every statement is prepared once; lists travel as one JSON array parameter.
 */
export class SqliteIdentityStore implements IdentityStore {
  private readonly statements: SqliteIdentityStatements
  private readonly serial: SerialRunner = createSerialRunner()
  private readonly clock: Clock

  constructor(
    private readonly db: Database.Database,
    options: SqliteIdentityStoreOptions = {},
  ) {
    this.statements = new SqliteIdentityStatements(db)
    this.clock = options.clock ?? systemClock
  }

  /**
   * Opens a connection of its own to the (already migrated) database file with the pragmas of
   * `openSqliteStorage` (WAL, `synchronous = FULL`, a 5 s busy timeout, 32 MB of page cache)
   * plus `mmap_size` (see {@link SqliteIdentityStoreOptions.mmapBytes}). `close()` closes it.
   */
  static open(file: string, options: SqliteIdentityStoreOptions = {}): SqliteIdentityStore {
    const db = new Database(file)
    try {
      db.pragma('journal_mode = WAL')
      db.pragma('synchronous = FULL')
      db.pragma('busy_timeout = 5000')
      db.pragma('foreign_keys = ON')
      db.pragma('cache_size = -32768')
      db.pragma(`mmap_size = ${Math.max(0, Math.trunc(options.mmapBytes ?? DEFAULT_MMAP_BYTES))}`)
      return new SqliteIdentityStore(db, options)
    } catch (error) {
      db.close()
      throw error
    }
  }

  readEvents(after: number, limit: number): Promise<IdentitySourceEvent[]> {
    return settle(() =>
      (this.statements.readEvents.all(after, limit) as SourceEventRow[]).map(toSourceEvent),
    )
  }

  eventsHead(): Promise<number> {
    return settle(() => this.statements.eventsHead.get() as number)
  }

  transact<T>(fn: (tx: IdentityTx) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      this.db.exec('BEGIN IMMEDIATE')
      const tx = new SqliteIdentityTx(this.statements)
      try {
        const result = await fn(tx)
        tx.end()
        this.db.exec('COMMIT')
        return result
      } catch (error) {
        tx.end()
        if (this.db.inTransaction) this.db.exec('ROLLBACK')
        throw error
      }
    })
  }

  getSetting(key: string): Promise<unknown> {
    return settle(() => {
      const value = this.statements.getSetting.get(key) as string | undefined
      return value === undefined ? null : (JSON.parse(value) as unknown)
    })
  }

  /** `undefined` is stored as JSON `null` (read back as null, like a missing key). */
  putSetting(key: string, value: unknown, actor: string): Promise<void> {
    const text = JSON.stringify(value) ?? 'null'
    return this.serial(() =>
      settle(() => {
        this.statements.putSetting.run(key, text, this.clock.now(), actor)
      }),
    )
  }

  /** Closes the connection; call once no `transact` is pending. */
  close(): void {
    if (this.db.open) this.db.close()
  }
}
