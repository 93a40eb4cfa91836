import type { LogRecord, RejectedRecord } from '../protocol/index.js'

/** One entry read back from the log: a stored record and its position. */
export interface LogEntry extends LogRecord {
  /** Position in the log; strictly increasing in append order, never reused. */
  offset: number
}

/** What one commit writes: accepted records and the rejections seen in the same requests. */
export interface AppendBatch {
  records: readonly LogRecord[]
  rejected: readonly RejectedRecord[]
}

/** Outcome of {@link EventLog.append}. */
export interface AppendResult {
  /** `stored[i]` is false when `records[i].messageId` was already in the log (a duplicate). */
  stored: boolean[]
}

/**
 * The durable, ordered log of accepted events: the system of record every pipeline step,
 * query and stream reads from. Adapters: SQLite (embedded), PostgreSQL; NATS JetStream is the
 * scale-out adapter (see docs/adr/0003-event-log.md).
 */
export interface EventLog {
  /**
   * Appends a batch in one atomic commit and resolves only once it is durable on disk (or
   * committed in the database). Records keep their order; offsets grow in append order.
   * Idempotent by `messageId`, globally across sources: a record whose `messageId` is already
   * stored is not written again and is reported in `stored`. The same commit stores the
   * rejections and adds the per-source, per-minute ingest counters (accepted, duplicates,
   * rejected, bytes). On failure nothing of the batch is stored and the promise rejects.
   */
  append(batch: AppendBatch): Promise<AppendResult>
  /**
   * Reads entries with `offset > after` in ascending order, at most `limit`. Returns an empty
   * array at the head. Never blocks waiting for new entries.
   */
  read(after: number, limit: number): Promise<LogEntry[]>
  /** The highest offset appended so far (0 for an empty log). */
  head(): Promise<number>
}

/**
 * Committed positions of named consumers (pipeline steps, streams) in the {@link EventLog}.
 */
export interface ConsumerOffsets {
  /** The committed offset of `consumer`, or 0 when it never committed. */
  get(consumer: string): Promise<number>
  /**
   * Records that `consumer` processed everything up to `offset`. Offsets only move forward:
   * committing a lower offset than the stored one is ignored. Idempotent.
   */
  commit(consumer: string, offset: number): Promise<void>
}
