import type { LogRecord, RejectedRecord } from '../protocol/index.js'

/**
 * What the log holds: accepted events and rejections (an invalid event is kept with its
 * reason, never dropped), in the order they were accepted.
 */
export type LogItem =
  { kind: 'event'; record: LogRecord } | { kind: 'rejection'; record: RejectedRecord }

/** One item read back from the log, with its position. */
export type LogEntry = LogItem & {
  /** Position in the log: 1, 2, 3, … strictly increasing in append order, never reused. */
  offset: number
}

/** Offsets given to one append: `first..last` inclusive (`last = first - 1` when empty). */
export interface AppendResult {
  first: number
  last: number
}

/**
 * Items already put in one log's own form by {@link EventLog.prepare}: all a caller has to
 * hold while it waits for the next append, so the items themselves can be collected.
 */
export interface PreparedItems {
  /** How many items it holds. */
  readonly count: number
}

/**
 * The durable, ordered log of everything the tracking API accepted: the hand-off between the
 * request path and the pipeline (docs/adr/0003-event-log.md). Adapters: a segment-file log
 * (embedded), PostgreSQL; NATS JetStream is the scale-out adapter.
 */
export interface EventLog {
  /**
   * Appends `items` in one atomic write and resolves only once it is durable (synced to disk,
   * or committed in the database). Items get consecutive offsets in order, after every offset
   * already given. No deduplication happens here (the store dedupes by `messageId`). On
   * failure nothing of the call is visible to readers and the promise rejects.
   */
  append(items: readonly LogItem[]): Promise<AppendResult>
  /**
   * Puts `items` in this log's own form ahead of an append (the embedded log encodes them to
   * bytes), synchronously. The result is a snapshot: changing the items afterwards does not
   * change what is appended. Throws only for items the log cannot store. It does work the
   * append would otherwise do, so preparing early costs nothing extra.
   */
  prepare(items: readonly LogItem[]): PreparedItems
  /**
   * {@link EventLog.append} of the prepared batches' items, in order, as one atomic write.
   * Rejects a batch this log did not prepare.
   */
  appendPrepared(batches: readonly PreparedItems[]): Promise<AppendResult>
  /**
   * Reads entries with `offset > after` in ascending order, at most `limit`. Returns an empty
   * array at the head; never waits for new entries.
   */
  read(after: number, limit: number): Promise<LogEntry[]>
  /** The highest offset appended so far (0 for an empty log). */
  head(): Promise<number>
  /**
   * Tells the log that every consumer is past `upTo`; the adapter may delete entries at or
   * below it (the segment log drops whole closed segments). Reads below a released offset may
   * then return fewer entries.
   */
  release(upTo: number): Promise<void>
}

/**
 * Committed positions of named consumers (pipeline steps) in the {@link EventLog}.
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
