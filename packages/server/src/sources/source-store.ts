import type { Source } from './source.js'

/**
 * Persistence of sources created through the API (sources from the config file never reach
 * the store). All methods are strongly consistent with each other on one database.
 */
export interface SourceStore {
  /** Every stored source, ordered by creation time. */
  list(): Promise<Source[]>
  /** The source with `id`, or null. */
  get(id: string): Promise<Source | null>
  /**
   * Inserts or replaces the source with `source.id` (idempotent). Write keys must be unique
   * across sources; a clash rejects with SOURCES_WRITE_KEY_TAKEN and stores nothing.
   */
  put(source: Source): Promise<void>
  /** Deletes the source; true when it existed. */
  delete(id: string): Promise<boolean>
}
