/**
 * Segment-spec types and the pure functions that normalize raw client payloads into stored
 * events. Imports nothing from other folders.
 */
export {
  EVENT_TYPES,
  isEventType,
  type EventType,
  type JsonObject,
  type JsonValue,
  type LogRecord,
  type RejectedRecord,
  type SegmentEvent,
} from './segment-event.js'
export { correctTimestamp } from './timestamps.js'
export {
  MAX_EVENT_DEPTH,
  normalizeEvent,
  type NormalizeContext,
  type NormalizeResult,
} from './normalize-event.js'
