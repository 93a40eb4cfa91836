import { normalizeEvent, type JsonObject, type LogRecord } from '../protocol/index.js'

/** The result of {@link toLogRecord}. */
export type RequeueResult =
  { ok: true; record: LogRecord } | { ok: false; code: string; reason: string }

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Turns a stored event (a quarantined one, possibly edited, or a forwarded violation) back
 * into a log record for `sourceId`, through the same normalization ingest uses. The event
 * keeps its `messageId`; `timestamp` is rebuilt from `originalTimestamp` (it was already
 * corrected for clock skew once) with `receivedAt` as given. With `markReplayed`,
 * `context.protocols.replayed_from_quarantine` is set to true. Pure; never throws.
 */
export function toLogRecord(
  payload: string,
  options: { sourceId: string; receivedAt: number; markReplayed?: boolean },
): RequeueResult {
  let raw: unknown
  try {
    raw = JSON.parse(payload)
  } catch {
    return { ok: false, code: 'EVENT_NOT_OBJECT', reason: 'the payload is not JSON' }
  }
  if (!isObject(raw)) {
    return { ok: false, code: 'EVENT_NOT_OBJECT', reason: 'event is not an object' }
  }
  if (typeof raw.originalTimestamp === 'string') raw.timestamp = raw.originalTimestamp
  delete raw.originalTimestamp
  delete raw.receivedAt
  if (options.markReplayed) {
    const context = isObject(raw.context) ? raw.context : (raw.context = {})
    const protocols = isObject(context.protocols) ? context.protocols : (context.protocols = {})
    protocols.replayed_from_quarantine = true
  }
  const result = normalizeEvent(raw, {
    sourceId: options.sourceId,
    routeType: undefined,
    receivedAt: options.receivedAt,
    batchSentAt: undefined,
    batchContext: undefined,
    batchIntegrations: undefined,
    ip: undefined,
  })
  if (result.ok) return { ok: true, record: result.record }
  return { ok: false, code: result.error.code, reason: result.reason }
}
