/**
 * The Segment spec vocabulary, verbatim at the edges (house style §8.7). These are the shapes
 * clients send and the shapes Tessera stores and forwards.
 */
export const EVENT_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const
export type EventType = (typeof EVENT_TYPES)[number]

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value)
}

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }
export type JsonObject = { [key: string]: JsonValue }

/** A normalized, accepted event as stored in the log (camelCase, Segment field names). */
export interface SegmentEvent extends JsonObject {
  type: EventType
  messageId: string
  receivedAt: string
  timestamp: string
}

/**
 * One accepted event ready for the log. Indexed columns are lifted out of the JSON so stores
 * can filter without parsing; `payload` is the exact JSON that is stored and forwarded.
 */
export interface LogRecord {
  messageId: string
  sourceId: string
  type: EventType
  /** `event` for track, `name` for page and screen, otherwise null. */
  name: string | null
  userId: string | null
  anonymousId: string | null
  /** Server receive time, epoch ms. */
  receivedAt: number
  /** Skew-corrected event time, epoch ms. */
  timestamp: number
  /** The stored event, serialized. */
  payload: string
}

/** An event that failed validation, kept with its reason (never silently dropped). */
export interface RejectedRecord {
  sourceId: string
  receivedAt: number
  code: string
  reason: string
  /** What the client sent for this event, serialized and truncated to 64 KB. */
  payload: string
  messageId: string | null
}
