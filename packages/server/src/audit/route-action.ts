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
  const path = routePattern.replace(/^\/api\/v1\/?/, '')
  const segments = path.split('/').filter((s) => s !== '')
  const literals = segments.filter((s) => !s.startsWith(':'))
  const area = literals[0]
  const verb = VERBS[method]
  if (area === undefined || verb === undefined) return null
  const last = segments.at(-1) ?? ''
  const endsLiteral = !last.startsWith(':')
  const isExport = method === 'GET' && endsLiteral && last === 'export'
  if (method === 'GET' && !isExport && !PERSONAL_AREAS.has(area)) return null
  if (method === 'POST' && endsLiteral && NON_CHANGING_POSTS.has(last)) return null
  const ownVerb = isExport || (method === 'POST' && endsLiteral && literals.length > 1)
  const action = ownVerb ? literals.join('.') : [...literals, verb].join('.')
  const firstParam = segments.find((s) => s.startsWith(':'))?.slice(1)
  const raw = firstParam === undefined ? undefined : params[firstParam]
  return {
    action,
    target: { type: singular(area), id: typeof raw === 'string' ? raw : null },
    kind: method === 'GET' ? 'read' : 'change',
  }
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
