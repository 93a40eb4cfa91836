import type { AuditEntry, AuditFilter, NewAuditEntry } from './model.js'

/** A stored entry with its link in the hash chain (see `chain.ts`). */
export interface ChainedAuditEntry extends AuditEntry {
  prevHash: string
  hash: string
}

/**
 * The audit log's storage: append and read, nothing else. There is deliberately no update or
 * delete; the SQL adapters also refuse both in the database (triggers), so not even a bug or
 * an operator's stray statement through the application's connection can rewrite history.
 */
export interface AuditStore {
  /**
   * Appends `entries` in the given order, in one transaction: each gets the next id and
   * `hash = sha256(prevHash + canonical entry)`, `prevHash` being the hash of the entry before
   * it (`GENESIS_HASH` for the first). Appends are serialized across processes (PostgreSQL:
   * an advisory transaction lock), so the chain never forks. All or nothing; rejects when the
   * database does. Not idempotent: appending the same entry twice stores it twice.
   */
  append(entries: readonly NewAuditEntry[]): Promise<void>
  /**
   * Entries matching `filter`, newest first (by id), at most `limit`, only those with an id
   * below `beforeId` when given (paging: pass the last id of the previous page).
   */
  query(filter: AuditFilter, page: { limit: number; beforeId?: number }): Promise<AuditEntry[]>
  /** Entries with id greater than `afterId`, oldest first, at most `limit`, with chain fields. */
  scan(afterId: number, limit: number): Promise<ChainedAuditEntry[]>
}
