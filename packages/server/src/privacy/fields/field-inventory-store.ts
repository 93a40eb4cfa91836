import type {
  EventKey,
  EventRow,
  FieldFilter,
  FieldRow,
  InventoryBatch,
  InventoryInput,
} from './model.js'

/**
 * Storage of the field inventory (port). One writer: the `fields` consumer. Implemented on the
 * shared SQL schema for SQLite (tessera.db) and PostgreSQL; see field-inventory-store.contract.ts.
 */
export interface FieldInventoryStore {
  /** The seq of the last event counted (0 when nothing was). */
  position(): Promise<number>
  /** Stored events after `afterSeq` in seq order, at most `limit`. Reads only. */
  readEvents(afterSeq: number, limit: number): Promise<InventoryInput[]>
  /**
   * Adds a batch's counts and moves the position to `batch.toSeq`, in one transaction. Counts
   * add up, first seen takes the minimum, last seen the maximum, the PII class the most harmful.
   * Idempotent by position: a batch with `toSeq` not after the current position is ignored, so
   * a batch replayed after a crash is not counted twice.
   */
  apply(batch: InventoryBatch): Promise<void>
  /** Field paths recorded for one event (to enforce the cap of distinct paths). */
  paths(event: EventKey): Promise<string[]>
  /** Fields in `(sourceId, eventType, eventName, path)` order, filtered, after the cursor. */
  fields(filter: FieldFilter): Promise<FieldRow[]>
  /** Events of a source (all sources when absent), in `(sourceId, eventType, eventName)` order. */
  events(filter: { sourceId?: string }): Promise<EventRow[]>
}
