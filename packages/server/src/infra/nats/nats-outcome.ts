/**
 * What a NATS or JetStream error means for delivery: a stable `code` and retry or fail.
 * Permanent, for a publish: the message can never be accepted as is (too big, invalid subject,
 * a 4xx JetStream API error) or publishing on its subject is not permitted (after Segment's
 * 401/403 rule). Everything else (no responders, timeouts, connection loss) is retried. The
 * driver retries failures to connect or set up the stream whatever their code.
 */
import type { DeliveryError, DeliveryOutcome } from '../../destinations/driver.js'

const PERMANENT = new Set([
  'MAX_PAYLOAD_EXCEEDED',
  'BAD_SUBJECT',
  'BAD_PAYLOAD',
  'INVALID_PAYLOAD',
  'PERMISSIONS_VIOLATION',
  'AUTHORIZATION_VIOLATION',
  'BAD_AUTHENTICATION',
  'BAD_CREDS',
])

/** Codes renamed to the vocabulary the delivery engine already uses. */
const RENAMED: Readonly<Record<string, string>> = {
  '503': 'NATS_NO_RESPONDERS',
  TIMEOUT: 'TIMEOUT',
  CONNECTION_REFUSED: 'ECONNREFUSED',
  CONNECTION_TIMEOUT: 'TIMEOUT',
}

interface NatsLikeError {
  code?: unknown
  message?: unknown
  api_error?: { code?: unknown; err_code?: unknown; description?: unknown }
}

/** The delivery error and whether it is permanent, for anything the client threw. */
export function describeNatsError(error: unknown): { error: DeliveryError; permanent: boolean } {
  const e = (typeof error === 'object' && error !== null ? error : {}) as NatsLikeError
  const message = typeof e.message === 'string' ? e.message : String(error)
  const api = e.api_error
  if (api !== undefined && typeof api.code === 'number') {
    const code = `NATS_JS_${typeof api.err_code === 'number' ? api.err_code : api.code}`
    const permanent = api.code >= 400 && api.code < 500 && api.code !== 408 && api.code !== 429
    return { error: { code, message }, permanent }
  }
  const raw = typeof e.code === 'string' ? e.code : 'UNKNOWN'
  return {
    error: { code: RENAMED[raw] ?? `NATS_${raw}`, message },
    permanent: PERMANENT.has(raw),
  }
}

/** The outcome for an event whose publish (or connection) failed with `error`. */
export function natsFailureOutcome(error: unknown): DeliveryOutcome {
  const described = describeNatsError(error)
  return described.permanent
    ? { status: 'failed', error: described.error }
    : { status: 'retry', error: described.error }
}
