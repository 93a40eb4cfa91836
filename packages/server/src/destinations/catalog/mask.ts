/**
 * Masks secret settings in what leaves the driver (error messages and exchange samples): each
 * secret value, as written and URL-encoded, becomes `***` in URLs, header values and bodies;
 * credential headers are masked whole (they carry secrets encoded, e.g. basic auth).
 */
import type { ExchangeSample } from '../driver.js'
import type { Exchange } from './bridge.js'

export const MASK = '***'

/** Headers whose whole value is a credential. */
const CREDENTIAL_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'x-auth-token',
])

/** Secrets shorter than this are not searched for (too likely to hit ordinary text). */
const MIN_SECRET_LENGTH = 3

/** A text transform replacing the given secret values with {@link MASK}. */
export type Masker = (text: string) => string

/** Builds a masker for the string values of `settings` under `secretKeys`. */
export function createMasker(
  settings: Readonly<Record<string, unknown>>,
  secretKeys: readonly string[],
): Masker {
  const needles = new Set<string>()
  for (const key of secretKeys) {
    const value = settings[key]
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) continue
    needles.add(value)
    needles.add(encodeURIComponent(value))
    needles.add(new URLSearchParams({ v: value }).toString().slice(2))
  }
  // Longest first, so a secret containing another is masked whole.
  const list = [...needles].sort((a, b) => b.length - a.length)
  if (list.length === 0) return (text) => text
  return (text) => list.reduce((out, needle) => out.split(needle).join(MASK), text)
}

function maskHeaders(
  headers: Readonly<Record<string, string>>,
  mask: Masker,
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    out[name] = CREDENTIAL_HEADERS.has(name.toLowerCase()) ? MASK : mask(value)
  }
  return out
}

/** Bodies in samples are cut to this many characters. */
const SAMPLE_BODY_MAX = 4_096

/** Masks first, then cuts, so a secret is never left half visible at the cut. */
function bodyText(body: string | Uint8Array | undefined, mask: Masker): string {
  if (body === undefined) return ''
  const text = mask(typeof body === 'string' ? body : Buffer.from(body).toString('utf8'))
  return text.length > SAMPLE_BODY_MAX ? `${text.slice(0, SAMPLE_BODY_MAX)}…` : text
}

/** A masked sample of an exchange. */
export function toSample(exchange: Exchange, mask: Masker): ExchangeSample {
  const { request, response } = exchange
  return {
    request: {
      method: request.method,
      url: mask(request.url),
      headers: maskHeaders(request.headers, mask),
      body: bodyText(request.body, mask),
    },
    response: response && {
      status: response.status,
      headers: maskHeaders(response.headers, mask),
      body: bodyText(response.body, mask),
    },
  }
}
