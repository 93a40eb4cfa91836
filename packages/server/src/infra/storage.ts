import type { ConsumerOffsets, EventLog, EventQuery } from '../events/index.js'
import type { SourceStore } from '../sources/index.js'

/**
 * Every storage port, opened on one database. Built by `openSqliteStorage` or
 * `openPostgresStorage`; `app/` picks one from the config and domains see only the ports.
 */
export interface Storage {
  readonly kind: 'sqlite' | 'postgres'
  readonly eventLog: EventLog
  readonly eventQuery: EventQuery
  readonly offsets: ConsumerOffsets
  readonly sources: SourceStore
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>
  /** Closes connections. Call after the last append resolved. */
  close(): Promise<void>
}
