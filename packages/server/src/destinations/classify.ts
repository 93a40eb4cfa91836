/**
 * One pure policy for what a destination's answer means, after Segment's (segment-compat.md
 * §6.3; analytics-next's publisher): 2xx delivered; 408, 410, 429, 460 and 5xx (but 501 and
 * 505) retried, honouring `Retry-After` up to a cap; every other status fails permanently.
 * Transport errors are retried (network, timeout) except an egress refusal.
 */

export type Classification =
  { kind: 'ok' } | { kind: 'retry'; afterMs: number | undefined } | { kind: 'fail' }

const RETRYABLE_4XX = new Set([408, 410, 429, 460])
const PERMANENT_5XX = new Set([501, 505])
/** A `Retry-After` longer than this is capped (a destination must not park events for days). */
export const MAX_RETRY_AFTER_MS = 15 * 60_000

/** Reads `Retry-After` (seconds or an HTTP date) as a delay from `now`; undefined if absent or invalid. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  if (text === '') return undefined
  if (/^\d+(\.\d+)?$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS)
  // An HTTP date names its day and month; anything else (`-5`, `soon`) is ignored.
  const at = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN
  if (Number.isNaN(at)) return undefined
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS)
}

/** Classifies an HTTP answer. `headers` has lower-cased names. */
export function classifyHttpResponse(
  status: number,
  headers: Readonly<Record<string, string | undefined>>,
  now: number,
): Classification {
  if (status >= 200 && status < 300) return { kind: 'ok' }
  const retryable =
    RETRYABLE_4XX.has(status) || (status >= 500 && status < 600 && !PERMANENT_5XX.has(status))
  if (!retryable) return { kind: 'fail' }
  return { kind: 'retry', afterMs: parseRetryAfter(headers['retry-after'], now) }
}

/** Classifies a request that got no answer, by its transport error code. */
export function classifyTransportError(code: string): Classification {
  return code === 'EGRESS_BLOCKED' || code === 'INVALID_URL'
    ? { kind: 'fail' }
    : { kind: 'retry', afterMs: undefined }
}
