import { request } from 'undici'

/** What a GET returned: the status and the body parsed as JSON (null when it is not JSON). */
export interface HttpResult {
  status: number
  body: unknown
}

/** A GET as the demo needs it; injectable so the logic around it can be tested offline. */
export type HttpGet = (url: string, options?: { bearer?: string }) => Promise<HttpResult>

/**
 * The demo's only HTTP call of its own (events go through `@segment/analytics-node`): a GET
 * with an optional bearer token and a 5 s timeout. Rejects on network failure.
 */
export const getJson: HttpGet = async (url, options = {}) => {
  const response = await request(url, {
    method: 'GET',
    headers: options.bearer === undefined ? {} : { authorization: `Bearer ${options.bearer}` },
    headersTimeout: 5_000,
    bodyTimeout: 5_000,
  })
  return { status: response.statusCode, body: parseJson(await response.body.text()) }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return null
  }
}
