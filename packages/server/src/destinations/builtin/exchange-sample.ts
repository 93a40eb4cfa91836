/**
 * Builds the {@link ExchangeSample} kept with a failed delivery (Segment's "Request to
 * Destination / Response from Destination"): secrets and credentials masked, bodies cut to
 * {@link SAMPLE_BODY_CHARS} so a sample never holds a whole batch.
 */
import type { ExchangeSample } from '../driver.js'
import type { HttpRequest, HttpResponse } from '../http-client.js'

export const SAMPLE_BODY_CHARS = 2_048
export const MASK = '[masked]'

/** Header names whose values are credentials (matched case-insensitively). */
const SECRET_HEADER = /auth|cookie|token|secret|passw|key|signature|session/i
/** Matches the pattern above but carries nothing secret. */
const PUBLIC_HEADERS = new Set(['idempotency-key'])

/** `headers` with credential-like values masked, plus every value in `secrets` masked. */
export function maskHeaders(
  headers: Readonly<Record<string, string>>,
  secrets: readonly string[] = [],
): Record<string, string> {
  const masked: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase()
    const secret =
      (SECRET_HEADER.test(lower) && !PUBLIC_HEADERS.has(lower)) ||
      secrets.some((s) => s !== '' && value.includes(s))
    masked[name] = secret ? MASK : value
  }
  return masked
}

/** The URL without its password and with credential-like query values masked. */
export function maskUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return MASK
  }
  if (url.password !== '') url.password = 'masked'
  for (const name of [...url.searchParams.keys()]) {
    if (SECRET_HEADER.test(name)) url.searchParams.set(name, 'masked')
  }
  return url.href
}

export function truncateText(text: string, max = SAMPLE_BODY_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`
}

function bodyText(body: HttpRequest['body']): string {
  if (body === undefined) return ''
  if (typeof body === 'string') return truncateText(body)
  return truncateText(Buffer.from(body.subarray(0, SAMPLE_BODY_CHARS * 4)).toString('utf8'))
}

/**
 * The sample of one exchange. `secrets` are setting values to mask wherever they appear in
 * header values (e.g. a secret pasted into a custom header under an innocent name).
 */
export function buildExchangeSample(
  request: HttpRequest,
  response: HttpResponse | null,
  secrets: readonly string[] = [],
): ExchangeSample {
  return {
    request: {
      method: request.method,
      url: maskUrl(request.url),
      headers: maskHeaders(request.headers, secrets),
      body: bodyText(request.body),
    },
    response:
      response === null
        ? null
        : {
            status: response.status,
            headers: maskHeaders(response.headers),
            body: truncateText(response.body),
          },
  }
}
