/**
 * The event log (system of record for accepted events), its consumers' offsets and its read
 * side. See README.md.
 */
export type {
  AppendResult,
  ConsumerOffsets,
  EventLog,
  LogEntry,
  LogItem,
  PreparedItems,
} from './event-log.js'
export type { ApplyResult, EventStore } from './event-store.js'
export type {
  EventFilter,
  EventQuery,
  IngestStatsRow,
  Page,
  StoredEvent,
  StoredRejection,
} from './event-query.js'
export { EventsErrors } from './errors.js'
export { decodeCursor, encodeCursor } from './cursor.js'
export {
  createGroupCommitter,
  type CommitObserver,
  type GroupCommitter,
} from './group-committer.js'
export { createLogTailer, type LogTailer } from './log-tailer.js'
