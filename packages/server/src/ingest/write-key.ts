/**
 * Reads the write key from `Authorization: Basic base64(writeKey:)`. The username is the key;
 * a header encoded without the colon is accepted too, as Segment does. Bearer tokens (OAuth)
 * carry no write key: the body's `writeKey` is used then. Returns null when absent.
 */
export function writeKeyFromAuthorization(header: string | undefined): string | null {
  if (header === undefined || header.length < 7) return null
  if (header.slice(0, 6).toLowerCase() !== 'basic ') return null
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  const key = colon === -1 ? decoded : decoded.slice(0, colon)
  return key.length > 0 ? key : null
}
