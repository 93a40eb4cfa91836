/**
 * Webhook request signing. With a `secret`, every request carries
 * `x-tessera-timestamp: <unix seconds>` and
 * `x-tessera-signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. Receivers recompute
 * the HMAC over the raw body and refuse stale timestamps, so a captured request cannot be
 * replayed after the tolerance window (and the idempotency key dedupes within it).
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

export const TIMESTAMP_HEADER = 'x-tessera-timestamp'
export const SIGNATURE_HEADER = 'x-tessera-signature'

/** The hex HMAC-SHA256 of `"<timestamp>.<body>"` under `secret`. */
export function signWebhookBody(
  secret: string,
  timestamp: number | string,
  body: string | Uint8Array,
): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')
}

/**
 * Checks a signed webhook request, as a receiver would: true when `timestamp` (the
 * `x-tessera-timestamp` header) is within `toleranceSec` of now and `header` (the
 * `x-tessera-signature` header) holds a `v1=` signature matching the raw `body`. Several
 * comma-separated `v1=` values are accepted (any one may match). Compares in constant time.
 *
 * @example
 * verifyWebhookSignature(secret, req.headers['x-tessera-timestamp'], rawBody,
 *   req.headers['x-tessera-signature'], 300)
 */
// eslint-disable-next-line max-params -- the receiver recipe's documented signature
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | undefined,
  body: string | Uint8Array,
  header: string | undefined,
  toleranceSec: number,
): boolean {
  if (timestamp === undefined || header === undefined || !/^\d{1,12}$/.test(timestamp)) return false
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSec) return false
  const expected = Buffer.from(signWebhookBody(secret, timestamp, body), 'utf8')
  return header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .some((part) => {
      const given = Buffer.from(part.slice(3), 'utf8')
      return given.length === expected.length && timingSafeEqual(given, expected)
    })
}
