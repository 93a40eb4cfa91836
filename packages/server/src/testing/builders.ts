import { randomUUID } from 'node:crypto'
import type { LogEntry, LogItem } from '../events/index.js'
import type { EventType, JsonObject, LogRecord, RejectedRecord } from '../protocol/index.js'
import type { Source } from '../sources/index.js'

/** The instant builders use when a test does not set one: 2026-01-01T00:00:00.000Z. */
export const BUILDER_EPOCH = Date.parse('2026-01-01T00:00:00.000Z')

function defaultName(type: EventType): string | null {
  if (type === 'track') return 'Order Completed'
  if (type === 'page' || type === 'screen') return 'Home'
  return null
}

/** The Segment event a {@link LogRecord} stores, built from the record's own columns. */
function segmentPayload(record: Omit<LogRecord, 'payload'>): JsonObject {
  const event: JsonObject = {
    type: record.type,
    messageId: record.messageId,
    context: { library: { name: 'tessera-test', version: '0.0.0' } },
    receivedAt: new Date(record.receivedAt).toISOString(),
    timestamp: new Date(record.timestamp).toISOString(),
  }
  if (record.userId !== null) event.userId = record.userId
  if (record.anonymousId !== null) event.anonymousId = record.anonymousId
  switch (record.type) {
    case 'track':
      event.event = record.name
      event.properties = { revenue: 42 }
      break
    case 'page':
    case 'screen':
      if (record.name !== null) event.name = record.name
      event.properties = {}
      break
    case 'identify':
      event.traits = { plan: 'pro' }
      break
    case 'group':
      event.groupId = 'group-1'
      event.traits = {}
      break
    case 'alias':
      event.previousId = 'previous-id'
      break
  }
  return event
}

/**
 * A valid accepted record. Defaults: a `track` "Order Completed" from `src_test` by a fresh user
 * at {@link BUILDER_EPOCH}, with a unique `messageId`. `payload` is the JSON of a Segment event
 * matching the record's columns unless `overrides.payload` is given.
 */
export function buildLogRecord(overrides: Partial<LogRecord> = {}): LogRecord {
  const type = overrides.type ?? 'track'
  const receivedAt = overrides.receivedAt ?? BUILDER_EPOCH
  const fields: Omit<LogRecord, 'payload'> = {
    messageId: overrides.messageId ?? `msg-${randomUUID()}`,
    sourceId: overrides.sourceId ?? 'src_test',
    type,
    name: overrides.name !== undefined ? overrides.name : defaultName(type),
    userId: overrides.userId !== undefined ? overrides.userId : `user-${randomUUID()}`,
    anonymousId: overrides.anonymousId !== undefined ? overrides.anonymousId : null,
    receivedAt,
    timestamp: overrides.timestamp ?? receivedAt,
  }
  return { ...fields, payload: overrides.payload ?? JSON.stringify(segmentPayload(fields)) }
}

/**
 * A rejection as ingest stores it. Defaults: a track without identity from `src_test` at
 * {@link BUILDER_EPOCH}; `payload` is what the client sent, as JSON.
 */
export function buildRejectedRecord(overrides: Partial<RejectedRecord> = {}): RejectedRecord {
  const messageId = overrides.messageId !== undefined ? overrides.messageId : `msg-${randomUUID()}`
  const sent: JsonObject = { type: 'track', event: 'Signed Up' }
  if (messageId !== null) sent.messageId = messageId
  return {
    sourceId: overrides.sourceId ?? 'src_test',
    receivedAt: overrides.receivedAt ?? BUILDER_EPOCH,
    code: overrides.code ?? 'EVENT_MISSING_IDENTITY',
    reason: overrides.reason ?? 'no userId and no anonymousId',
    payload: overrides.payload ?? JSON.stringify(sent),
    messageId,
  }
}

/** An accepted event as a log item; `overrides` go to {@link buildLogRecord}. */
export function buildEventItem(
  overrides: Partial<LogRecord> = {},
): Extract<LogItem, { kind: 'event' }> {
  return { kind: 'event', record: buildLogRecord(overrides) }
}

/** A rejection as a log item; `overrides` go to {@link buildRejectedRecord}. */
export function buildRejectionItem(
  overrides: Partial<RejectedRecord> = {},
): Extract<LogItem, { kind: 'rejection' }> {
  return { kind: 'rejection', record: buildRejectedRecord(overrides) }
}

/** A log entry at `offset`: `item` (default: a fresh event) as the log would return it. */
export function buildLogEntry(offset: number, item: LogItem = buildEventItem()): LogEntry {
  return { ...item, offset }
}

/** `items` as log entries with consecutive offsets from `first`. */
export function buildLogEntries(first: number, items: readonly LogItem[]): LogEntry[] {
  return items.map((item, i) => buildLogEntry(first + i, item))
}

/** A stored (API-created) source with one current write key and no limits. */
export function buildSource(overrides: Partial<Source> = {}): Source {
  const id = overrides.id ?? `src_${randomUUID().replaceAll('-', '')}`
  return {
    id,
    name: overrides.name ?? `Source ${id}`,
    writeKeys: overrides.writeKeys ?? [{ key: `wk_${randomUUID()}`, expiresAt: null }],
    allowedOrigins: overrides.allowedOrigins !== undefined ? overrides.allowedOrigins : null,
    rateLimit: overrides.rateLimit !== undefined ? overrides.rateLimit : null,
    managed: overrides.managed ?? false,
    createdAt: overrides.createdAt ?? BUILDER_EPOCH,
    updatedAt: overrides.updatedAt ?? overrides.createdAt ?? BUILDER_EPOCH,
  }
}
