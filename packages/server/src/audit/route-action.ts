import type { AuditTarget } from './model.js'

/** What an admin API request means for the audit log. */
export interface RouteAction {
  action: string
  target: AuditTarget
  /** `change` for writes, `read` for reads of personal data. */
  kind: 'change' | 'read'
}

const VERBS: Record<string, string> = {
  POST: 'create',
  PUT: 'update',
  PATCH: 'update',
  DELETE: 'delete',
  GET: 'view',
}

/** POST routes that compute an answer and change nothing (their last path segment). */
const NON_CHANGING_POSTS = new Set(['validate', 'preview'])

/** Areas whose GET routes read personal data. */
const PERSONAL_AREAS = new Set(['profiles'])

function singular(word: string): string {
  return word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word
}

/**
 * Names an admin API request from its route pattern, generically, so routes added later are
 * audited without being listed anywhere: `PUT /api/v1/destinations/:id` is
 * `destinations.update` on `{type: 'destination', id}`; the literal segments joined by dots,
 * plus a verb from the method (POST `create`, PUT/PATCH `update`, DELETE `delete`, GET
 * `view`), except for a POST naming its own action (`/sources/:id/rotate-write-key` is
 * `sources.rotate-write-key`) and exports (`/audit/export` is `audit.export`). The target is
 * the area (singular) and the route's first parameter. Returns null for requests that are
 * not audited: reads other than personal data and exports, and POSTs that only compute
 * (`validate`, `preview`).
 */
export function routeAction(
  method: string,
  routePattern: string,
  params: Readonly<Record<string, unknown>>,
): RouteAction | null {
  const segments = routePattern
    .replace(/^\/api\/v1\/?/, '')
    .split('/')
    .filter((s) => s !== '')
  const literals = segments.filter((s) => !s.startsWith(':'))
  const area = literals[0]
  const verb = VERBS[method]
  if (area === undefined || verb === undefined || !isAudited(method, area, segments)) return null
  const action = namesItself(method, segments, literals.length)
    ? literals.join('.')
    : [...literals, verb].join('.')
  return {
    action,
    target: { type: singular(area), id: firstParam(segments, params) },
    kind: method === 'GET' ? 'read' : 'change',
  }
}

/** The last segment when it is a literal (not a `:param`), else null. */
function lastLiteral(segments: readonly string[]): string | null {
  const last = segments.at(-1)
  return last === undefined || last.startsWith(':') ? null : last
}

/** Changes (but POSTs that only compute), reads of personal data, and exports. */
function isAudited(method: string, area: string, segments: readonly string[]): boolean {
  const last = lastLiteral(segments)
  if (method === 'GET') return PERSONAL_AREAS.has(area) || last === 'export'
  return !(method === 'POST' && last !== null && NON_CHANGING_POSTS.has(last))
}

/** Exports, and POSTs ending in their own verb (`/sources/:id/rotate-write-key`). */
function namesItself(method: string, segments: readonly string[], literals: number): boolean {
  const last = lastLiteral(segments)
  if (method === 'GET') return last === 'export'
  return method === 'POST' && last !== null && literals > 1
}

function firstParam(
  segments: readonly string[],
  params: Readonly<Record<string, unknown>>,
): string | null {
  const name = segments.find((s) => s.startsWith(':'))?.slice(1)
  const value = name === undefined ? undefined : params[name]
  return typeof value === 'string' ? value : null
}

/** The top-level keys of a JSON object body (names only, at most 20); empty otherwise. */
export function changedKeys(body: unknown): string[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return []
  return Object.keys(body).slice(0, 20)
}

/** `ok` below 400, `denied` for 401 and 403, `failed` otherwise. */
export function outcomeOf(status: number): 'ok' | 'denied' | 'failed' {
  if (status < 400) return 'ok'
  return status === 401 || status === 403 ? 'denied' : 'failed'
}
