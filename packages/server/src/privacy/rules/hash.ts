/**
 * Salted hashing of PII values: HMAC-SHA256 keyed with the salt, hex. The same value gives the
 * same hash under the same salt (so hashed e-mails can still be joined or matched), and nothing
 * without the salt. E-mails are trimmed and lower-cased first so that case does not split them.
 */
import { createHmac } from 'node:crypto'
import type { PiiKind } from '../pii/model.js'

export function hashValue(value: unknown, kind: PiiKind, salt: string | Buffer): string {
  let text = typeof value === 'string' ? value : JSON.stringify(value)
  if (kind === 'email') text = text.trim().toLowerCase()
  return createHmac('sha256', salt).update(text).digest('hex')
}
