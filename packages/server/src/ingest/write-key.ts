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

/**
 * {@link writeKeyFromAuthorization} with a memo of recent header values: a client sends the
 * same header with every request, so each distinct value is decoded once. Holds at most
 * `capacity` values and starts over when full, so a flood of distinct headers costs what no
 * memo would and memory stays bounded. Same answers as the plain function.
 */
export function createWriteKeyReader(
  capacity = 1024,
): (header: string | undefined) => string | null {
  let memo = new Map<string, string | null>()
  return (header) => {
    if (header === undefined) return null
    const known = memo.get(header)
    if (known !== undefined) return known
    const key = writeKeyFromAuthorization(header)
    if (memo.size >= capacity) memo = new Map()
    memo.set(header, key)
    return key
  }
}
