import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { getJson, type HttpGet } from './http.js'

/** A step that either worked or has a message for the person at the terminal. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string }

const describe = (error: unknown): string =>
  error instanceof Error ? error.message : String(error)

function unreachable(url: string, error: unknown): Outcome<never> {
  return {
    ok: false,
    message: `Cannot reach Tessera at ${url} (${describe(error)}). Is it running? Start it with \`tessera start\`, or pass --url.`,
  }
}

/**
 * The admin token to use: the given one, else the token `tessera start` generated in
 * `<dataDir>/admin-token`.
 */
export function readAdminToken(input: {
  token: string | undefined
  dataDir: string
}): Outcome<string> {
  if (input.token !== undefined && input.token !== '') return { ok: true, value: input.token }
  const file = join(input.dataDir, 'admin-token')
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim()
    if (token !== '') return { ok: true, value: token }
  }
  return {
    ok: false,
    message: `No write key and no admin token: pass --write-key, set TESSERA_ADMIN_TOKEN, or run where ${file} exists (TESSERA_DATA_DIR).`,
  }
}

/** The write key of the first source, from `GET /api/v1/sources` with the admin token. */
export async function firstSourceWriteKey(
  url: string,
  adminToken: string,
  get: HttpGet = getJson,
): Promise<Outcome<{ writeKey: string; sourceName: string }>> {
  let result
  try {
    result = await get(`${url}/api/v1/sources`, { bearer: adminToken })
  } catch (error) {
    return unreachable(url, error)
  }
  if (result.status === 401) {
    return { ok: false, message: `${url} refused the admin token; pass --write-key instead.` }
  }
  if (result.status !== 200) {
    return { ok: false, message: `GET ${url}/api/v1/sources answered ${result.status}.` }
  }
  const sources = (result.body as { data?: unknown } | null)?.data
  const first = Array.isArray(sources)
    ? (sources as Array<{ writeKey?: unknown; name?: unknown }>).find(
        (s) => typeof s.writeKey === 'string',
      )
    : undefined
  if (first === undefined) {
    return {
      ok: false,
      message: `${url} has no source yet: create one in the console, or pass --write-key.`,
    }
  }
  return {
    ok: true,
    value: {
      writeKey: first.writeKey as string,
      sourceName: typeof first.name === 'string' ? first.name : '',
    },
  }
}

/**
 * Checks, before sending anything, that the server is up and knows the write key, through
 * the settings endpoint browsers load (`/v1/projects/<key>/settings`, 404 for unknown keys).
 */
export async function checkWriteKey(
  url: string,
  writeKey: string,
  get: HttpGet = getJson,
): Promise<Outcome<null>> {
  let result
  try {
    result = await get(`${url}/v1/projects/${encodeURIComponent(writeKey)}/settings`)
  } catch (error) {
    return unreachable(url, error)
  }
  if (result.status === 200) return { ok: true, value: null }
  if (result.status === 404) return { ok: false, message: `${url} does not know this write key.` }
  return {
    ok: false,
    message: `${url} answered ${result.status} to the settings request; is it Tessera?`,
  }
}
