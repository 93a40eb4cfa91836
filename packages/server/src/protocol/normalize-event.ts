import { randomUUID } from 'node:crypto'
import type { ErrorFactory } from '../platform/errors/index.js'
import { EventErrors } from './errors.js'
import { isEventType, type EventType, type JsonObject, type LogRecord } from './segment-event.js'
import { correctTimestamp, parseTime } from './timestamps.js'

/** Largest stored event, in bytes of UTF-8 JSON (Segment's per-call limit). */
export const MAX_EVENT_BYTES = 32 * 1024
/** Deepest nesting accepted; deeper payloads cannot be flattened into warehouse columns. */
export const MAX_EVENT_DEPTH = 64
const MAX_MESSAGE_ID_LENGTH = 100

/** What the request around an event contributes to it. */
export interface NormalizeContext {
  sourceId: string
  /** Set by single-event routes; batch items carry their own `type`. */
  routeType: EventType | undefined
  receivedAt: number
  /** `receivedAt` as ISO-8601, computed once per request. */
  receivedAtIso?: string
  /** Batch-level `sentAt`, applied to items without their own. */
  batchSentAt: unknown
  /** Batch-level `context`, merged under each item's own context. */
  batchContext: JsonObject | undefined
  /** Batch-level `integrations`, merged under each item's own. */
  batchIntegrations: JsonObject | undefined
  /** The client address, filled into `context.ip` when the event has none. */
  ip: string | undefined
  /**
   * An upper bound on the nesting depth of the events, e.g. the number of `{` and `[` in the
   * request body. Below {@link MAX_EVENT_DEPTH} the depth check is skipped; absent, it runs.
   */
  depthBound?: number
}

export type NormalizeResult =
  | { ok: true; record: LogRecord }
  | { ok: false; error: ErrorFactory; reason: string; messageId: string | null }

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** String ids as Segment accepts them: strings, or finite numbers turned into strings. */
function readId(value: unknown): string | null | false {
  if (value === undefined || value === null || value === '') return null
  if (typeof value === 'string') return value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return false
}

/** Walks without allocating (no `Object.values` arrays): it runs for every accepted event. */
function depthExceeds(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false
  if (limit === 0) return true
  if (Array.isArray(value)) {
    for (const child of value as unknown[]) if (depthExceeds(child, limit - 1)) return true
    return false
  }
  const object = value as Record<string, unknown>
  // Parsed JSON and spread copies have no enumerable inherited keys.
  for (const key in object) if (depthExceeds(object[key], limit - 1)) return true
  return false
}

/** Whether `raw` nests {@link MAX_EVENT_DEPTH} levels or more; `bound` may rule it out cheaply. */
function isTooDeep(raw: JsonObject, bound: number | undefined): boolean {
  if (bound !== undefined && bound < MAX_EVENT_DEPTH) return false
  return depthExceeds(raw, MAX_EVENT_DEPTH - 1)
}

function fail(error: ErrorFactory, reason: string, messageId: string | null): NormalizeResult {
  return { ok: false, error, reason, messageId }
}

interface Identity {
  userId: string | null
  anonymousId: string | null
}

function checkRequired(type: EventType, raw: JsonObject, ids: Identity): NormalizeResult | null {
  const messageId = typeof raw.messageId === 'string' ? raw.messageId : null
  if (type === 'alias') {
    const previousId = readId(raw.previousId)
    if (ids.userId === null || previousId === null || previousId === false) {
      return fail(EventErrors.missingPreviousId, 'alias needs userId and previousId', messageId)
    }
    return null
  }
  if (ids.userId === null && ids.anonymousId === null) {
    return fail(EventErrors.missingIdentity, 'no userId and no anonymousId', messageId)
  }
  if (type === 'track' && (typeof raw.event !== 'string' || raw.event.length === 0)) {
    return fail(EventErrors.missingEventName, 'track without a string `event`', messageId)
  }
  if (type === 'group') {
    const groupId = readId(raw.groupId)
    if (groupId === null) {
      return fail(EventErrors.missingGroupId, 'group without a `groupId`', messageId)
    }
    if (groupId === false) {
      return fail(EventErrors.invalidField, '`groupId` must be a string', messageId)
    }
  }
  return null
}

const OBJECT_FIELDS = ['context', 'integrations', 'properties', 'traits'] as const

function checkShapes(raw: JsonObject, messageId: string | null): NormalizeResult | null {
  for (const field of OBJECT_FIELDS) {
    const value = raw[field]
    if (value !== undefined && value !== null && !isObject(value)) {
      return fail(EventErrors.invalidField, `\`${field}\` must be an object`, messageId)
    }
  }
  if (raw.event !== undefined && raw.event !== null && typeof raw.event !== 'string') {
    return fail(EventErrors.invalidField, '`event` must be a string', messageId)
  }
  if (raw.name !== undefined && raw.name !== null && typeof raw.name !== 'string') {
    return fail(EventErrors.invalidField, '`name` must be a string', messageId)
  }
  return null
}

/** `own` over `base` (shallow); `own` is reused when there is no base. */
function mergeUnder(base: JsonObject | undefined, own: unknown): JsonObject | undefined {
  if (base === undefined) return isObject(own) ? own : undefined
  return isObject(own) ? { ...base, ...own } : { ...base }
}

/**
 * Turns one raw client event into a stored record, exactly as Segment's HTTP API would:
 * assigns `messageId` when absent, sets `receivedAt`, keeps `originalTimestamp` and corrects
 * `timestamp` for clock skew, merges batch-level `context`/`integrations`/`sentAt`, fills
 * `context.ip`, and drops the body `writeKey`. The raw object is completed in place (it must
 * be owned by the caller, e.g. freshly parsed). Never throws on any JSON input. Failures are values carrying a stable error code and a human reason.
 */
export function normalizeEvent(raw: unknown, ctx: NormalizeContext): NormalizeResult {
  if (!isObject(raw)) return fail(EventErrors.notObject, 'event is not an object', null)
  const rawMessageId = raw.messageId
  if (
    rawMessageId !== undefined &&
    rawMessageId !== null &&
    (typeof rawMessageId !== 'string' || rawMessageId.length > MAX_MESSAGE_ID_LENGTH)
  ) {
    return fail(EventErrors.invalidMessageId, 'messageId is not a string of ≤100 chars', null)
  }
  const givenMessageId =
    typeof rawMessageId === 'string' && rawMessageId !== '' ? rawMessageId : null
  const type = ctx.routeType ?? raw.type
  if (!isEventType(type)) {
    return fail(
      EventErrors.unknownType,
      `unknown type ${JSON.stringify(type ?? null)}`,
      givenMessageId,
    )
  }
  const userId = readId(raw.userId)
  const anonymousId = readId(raw.anonymousId)
  if (userId === false || anonymousId === false) {
    return fail(EventErrors.invalidField, 'userId and anonymousId must be strings', givenMessageId)
  }
  const ids = { userId, anonymousId }
  const problem = checkShapes(raw, givenMessageId) ?? checkRequired(type, raw, ids)
  if (problem) return problem
  return buildRecord(raw, type, ids, givenMessageId, ctx)
}

function buildRecord(
  raw: JsonObject,
  type: EventType,
  ids: Identity,
  givenMessageId: string | null,
  ctx: NormalizeContext,
): NormalizeResult {
  const originalTimestamp = parseTime(raw.timestamp)
  const sentAtValue = raw.sentAt ?? ctx.batchSentAt
  const sentAt = parseTime(sentAtValue)
  if (Number.isNaN(originalTimestamp) || Number.isNaN(sentAt)) {
    return fail(EventErrors.invalidTimestamp, 'timestamp or sentAt is not a date', givenMessageId)
  }
  const timestamp = correctTimestamp({ receivedAt: ctx.receivedAt, sentAt, originalTimestamp })
  if (!Number.isFinite(timestamp) || Math.abs(timestamp) > 8.64e15) {
    return fail(EventErrors.invalidTimestamp, 'timestamp is out of range', givenMessageId)
  }
  if (isTooDeep(raw, ctx.depthBound)) {
    return fail(EventErrors.tooDeep, `nested deeper than ${MAX_EVENT_DEPTH} levels`, givenMessageId)
  }
  const messageId = givenMessageId ?? `api-${randomUUID()}`
  // The parsed body belongs to this request, so the event is completed in place (no copy).
  const event = raw
  const context = mergeUnder(ctx.batchContext, event.context) ?? {}
  if (ctx.ip !== undefined && context.ip === undefined) context.ip = ctx.ip
  event.type = type
  event.messageId = messageId
  event.context = context
  delete event.writeKey
  const integrations = mergeUnder(ctx.batchIntegrations, event.integrations)
  if (integrations !== undefined) event.integrations = integrations
  if (ids.userId !== null) event.userId = ids.userId
  if (ids.anonymousId !== null) event.anonymousId = ids.anonymousId
  if (originalTimestamp !== undefined) {
    event.originalTimestamp =
      typeof raw.timestamp === 'string' ? raw.timestamp : new Date(originalTimestamp).toISOString()
  }
  if (sentAt !== undefined) {
    event.sentAt = typeof sentAtValue === 'string' ? sentAtValue : new Date(sentAt).toISOString()
  }
  event.receivedAt = ctx.receivedAtIso ?? new Date(ctx.receivedAt).toISOString()
  event.timestamp = new Date(timestamp).toISOString()
  const payload = JSON.stringify(event)
  if (payload.length > MAX_EVENT_BYTES / 4 && Buffer.byteLength(payload) > MAX_EVENT_BYTES) {
    return fail(EventErrors.tooLarge, 'event is larger than 32 KB', messageId)
  }
  const name =
    type === 'track' ? (event.event as string) : typeof event.name === 'string' ? event.name : null
  const record: LogRecord = {
    messageId,
    sourceId: ctx.sourceId,
    type,
    name,
    userId: ids.userId,
    anonymousId: ids.anonymousId,
    receivedAt: ctx.receivedAt,
    timestamp,
    payload,
  }
  return { ok: true, record }
}
