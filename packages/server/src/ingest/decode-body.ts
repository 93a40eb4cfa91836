import { promisify } from 'node:util'
import { gunzip, inflate } from 'node:zlib'
import { IngestErrors } from './errors.js'

const gunzipAsync = promisify(gunzip)
const inflateAsync = promisify(inflate)

/** Whether a `Content-Encoding` value means the body is not encoded (absent, empty, identity). */
export function isIdentityEncoding(encoding: string | undefined): boolean {
  if (encoding === undefined) return true
  const kind = encoding.trim().toLowerCase()
  return kind === '' || kind === 'identity'
}

/**
 * Undoes `Content-Encoding` (gzip or deflate) with an output cap, so a small compressed body
 * cannot expand without bound. `tooLarge` is thrown when the decoded body exceeds `maxBytes`.
 */
export async function decodeBody(
  body: Buffer,
  encoding: string | undefined,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<Buffer> {
  const kind = encoding?.trim().toLowerCase()
  let decoded: Buffer
  if (isIdentityEncoding(kind)) {
    decoded = body
  } else if (kind === 'gzip' || kind === 'deflate') {
    try {
      const options = { maxOutputLength: maxBytes + 1 }
      decoded =
        kind === 'gzip' ? await gunzipAsync(body, options) : await inflateAsync(body, options)
    } catch (cause) {
      if ((cause as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge()
      throw IngestErrors.badEncoding(undefined, { cause })
    }
  } else {
    throw IngestErrors.unsupportedEncoding(undefined, { details: { encoding: kind } })
  }
  if (decoded.length > maxBytes) throw tooLarge()
  return decoded
}
