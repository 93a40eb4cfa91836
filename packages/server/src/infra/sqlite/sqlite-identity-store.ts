import Database from 'better-sqlite3'
import type { IdentityStore, IdentityTx } from '../../identity/identity-store.js'
import type { IdentitySourceEvent } from '../../identity/model.js'
import { systemClock, type Clock } from '../../platform/clock.js'
import { settle, toSourceEvent, type SourceEventRow } from '../sql/identity-rows.js'
import { createSerialRunner, type SerialRunner } from '../sql/serial-runner.js'
import { SqliteIdentityStatements } from './sqlite-identity-statements.js'
import { SqliteIdentityTx } from './sqlite-identity-tx.js'
import { sqliteFilePaths } from './sqlite-paths.js'
import { TAKE_MAIN_WRITE_LOCK } from './sqlite-write-lock.js'

/** Options of {@link SqliteIdentityStore}. */
export interface SqliteIdentityStoreOptions {
  /** Source of `settings.updated_at`. Default: the system clock. */
  clock?: Clock
  /**
   * Bytes of the database file {@link SqliteIdentityStore.open} maps into memory
   * (`mmap_size`): lookups of a batch's keys are random over the whole graph, and mapped pages
   * are read without a system call or a copy, but they count in the process's resident memory.
   * 0 (the default) turns it off; measured reads cost the same without it.
   */
  mmapBytes?: number
  /**
   * WAL size, in pages, past which a commit of this connection checkpoints
   * (`wal_autocheckpoint`). A batch dirties a few thousand pages spread over the graph; a
   * large WAL lets a page written by several batches reach the database file once, and keeps
   * the checkpoint off most commits. 0 turns automatic checkpoints off. Default 20,000 (about
   * 80 MB of WAL).
   */
  walAutocheckpointPages?: number
  /**
   * Milliseconds without a transaction after which the store checkpoints the WAL
   * (`wal_checkpoint(PASSIVE)`: copies what no reader still needs, never waits for a lock), so
   * an idle database does not keep up to {@link walAutocheckpointPages} pages in its WAL.
   * 0 turns it off. Default 1,000.
   */
  idleCheckpointMs?: number
}

/** No memory map by default: mapped pages count in the process's RSS, and reads cost the same. */
const DEFAULT_MMAP_BYTES = 0
const DEFAULT_WAL_AUTOCHECKPOINT_PAGES = 20_000
const DEFAULT_IDLE_CHECKPOINT_MS = 1000
/** Bytes the WAL file is cut back to when a checkpoint of this connection restarts it. */
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024

const count = (value: number | undefined, fallback: number): number =>
  Math.max(0, Math.trunc(value ?? fallback))

/**
 * {@link IdentityStore} on the embedded SQLite database, on a connection of its own (the
 * migrations, 0002_identity included, must have run on the file).
 *
 * - `transact` serializes in two layers: an in-process queue (calls run one at a time, in
 *   call order, because `fn` is async and a second `BEGIN` on the same connection would fail),
 *   then `BEGIN` and a first statement that writes to identity.db (and changes nothing), which
 *   takes that file's write lock at once so other connections and processes wait
 *   (`busy_timeout`) instead of failing at the first write. Not `BEGIN IMMEDIATE`: it would
 *   also lock the attached store file, and storing events would wait for identity batches. `COMMIT` when `fn`
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
 *   same thread would block taking the write lock while the first awaits.
 * - Every statement is prepared once; lists travel as one JSON array parameter.
 */
export class SqliteIdentityStore implements IdentityStore {
  private readonly statements: SqliteIdentityStatements
  private readonly serial: SerialRunner = createSerialRunner()
  /** A write that changes nothing: takes identity.db's write lock, and no other file's. */
  private readonly lockIdentity: Database.Statement
  private readonly clock: Clock
  private readonly idleCheckpointMs: number
  private idleTimer: NodeJS.Timeout | undefined

  constructor(
    private readonly db: Database.Database,
    options: SqliteIdentityStoreOptions = {},
  ) {
    this.statements = new SqliteIdentityStatements(db)
    this.lockIdentity = db.prepare(TAKE_MAIN_WRITE_LOCK)
    this.clock = options.clock ?? systemClock
    this.idleCheckpointMs = count(options.idleCheckpointMs, DEFAULT_IDLE_CHECKPOINT_MS)
  }

  /**
   * Opens a connection of its own to the (already migrated) database file: WAL, a 5 s busy
   * timeout and 32 MB of page cache (a batch's lookups are spread over the whole graph), plus
   * `mmap_size` and
   * `wal_autocheckpoint` (see {@link SqliteIdentityStoreOptions}) and `synchronous = NORMAL`.
   * `close()` closes it.
   *
   * `synchronous = NORMAL` (the store connection keeps `FULL`): a commit of this connection
   * appends to the WAL without waiting for the disk, which is synced at checkpoints. An
   * application crash loses nothing; a power or OS crash may lose the last batches committed
   * here, never part of one, as SQLite discards an incompletely synced WAL tail. That is safe
   * because the graph is derived data: a batch and its consumer offset commit in one
   * transaction, so a lost batch also loses its offset move and is resolved again from the
   * event store, whose own commits stay fully durable. Resolution is deterministic, so the
   * graph ends the same.
   */
  static open(
    files: { identity: string; store: string },
    options: SqliteIdentityStoreOptions = {},
  ): SqliteIdentityStore {
    const db = new Database(files.identity)
    try {
      // Events are read from the store file; everything identity writes is in its own file.
      db.prepare('ATTACH DATABASE ? AS store').run(files.store)
      db.pragma('journal_mode = WAL')
      db.pragma('synchronous = NORMAL')
      db.pragma('busy_timeout = 5000')
      db.pragma('foreign_keys = ON')
      db.pragma('cache_size = -32768')
      db.pragma(`mmap_size = ${count(options.mmapBytes, DEFAULT_MMAP_BYTES)}`)
      const pages = count(options.walAutocheckpointPages, DEFAULT_WAL_AUTOCHECKPOINT_PAGES)
      db.pragma(`wal_autocheckpoint = ${pages}`)
      db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`)
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
      this.db.exec('BEGIN')
      const tx = new SqliteIdentityTx(this.statements)
      try {
        this.lockIdentity.run()
        const result = await fn(tx)
        tx.end()
        this.db.exec('COMMIT')
        return result
      } catch (error) {
        tx.end()
        if (this.db.inTransaction) this.db.exec('ROLLBACK')
        throw error
      } finally {
        this.armIdleCheckpoint()
      }
    })
  }

  /**
   * (Re)starts the idle timer: once no transaction has run for `idleCheckpointMs`, a passive
   * checkpoint runs in the queue (never inside a transaction). The timer does not keep the
   * process alive; `close()` stops it.
   */
  private armIdleCheckpoint(): void {
    if (this.idleCheckpointMs === 0) return
    clearTimeout(this.idleTimer)
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined
      // Best effort: a checkpoint that fails (an I/O error) loses nothing, as the pages stay
      // in the WAL for the next automatic or idle checkpoint, and there is no caller to tell.
      void this.serial(() =>
        settle(() => {
          if (this.db.open) this.db.pragma('wal_checkpoint(PASSIVE)')
        }),
      ).catch(() => undefined)
    }, this.idleCheckpointMs)
    this.idleTimer.unref()
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
    clearTimeout(this.idleTimer)
    this.idleTimer = undefined
    if (this.db.open) this.db.close()
  }
}

/**
 * The identity store of the embedded store in `dataDir`, on a connection of its own
 * ({@link SqliteIdentityStore.open}), for the identity worker: it loads and opens nothing else.
 * `openSqliteStorage` must have created and migrated `dataDir` first, as the main thread does
 * before it starts any worker.
 */
export function openSqliteIdentityStore(
  dataDir: string,
  options: SqliteIdentityStoreOptions = {},
): SqliteIdentityStore {
  return SqliteIdentityStore.open(sqliteFilePaths(dataDir), options)
}
