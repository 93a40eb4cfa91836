import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import {
  changedKeys,
  DeniedThrottle,
  outcomeOf,
  routeAction,
  TokenUseTracker,
  type AuditRecord,
  type AuditRecorder,
} from '../audit/index.js'
import type { Clock } from '../platform/clock.js'
import { requestActor } from './actor.js'

export interface AuditHookDeps {
  recorder: AuditRecorder
  clock: Clock
}

/** Controls of the hooks, for the platform's timers and stop. */
export interface AuditHooks {
  /** Records a summary of each finished window of authentication failures (all when `force`). */
  sweep(force?: boolean): void
}

/** The largest response body read for a created object's id. */
const MAX_ID_BODY = 64 * 1024

function createdId(payload: unknown): string | null {
  if (typeof payload !== 'string' || payload.length > MAX_ID_BODY || !payload.startsWith('{')) {
    return null
  }
  try {
    const id = (JSON.parse(payload) as { id?: unknown }).id
    return typeof id === 'string' ? id : null
  } catch {
    return null
  }
}

/** The `id` a create request names itself (`{id: 'hook-1', …}`), or null. */
function bodyId(body: unknown): string | null {
  const id = (body as { id?: unknown } | null | undefined)?.id
  return typeof id === 'string' ? id : null
}

/** The token part of an actor (`admin:1a2b3c4d/alice` → `admin:1a2b3c4d`). */
function tokenOf(actor: string): string {
  const slash = actor.indexOf('/')
  return slash < 0 ? actor : actor.slice(0, slash)
}

/** `auth.denied` for a refused request (the first of its address in a window). */
function deniedEntry(request: FastifyRequest, at: number, api: string): AuditRecord {
  return {
    at,
    actor: 'anonymous',
    action: 'auth.denied',
    target: { type: api, id: null },
    outcome: 'denied',
    requestId: request.id,
    ip: request.ip,
    details: { method: request.method, route: routeOf(request), count: 1 },
  }
}

function tokenUseEntry(request: FastifyRequest, at: number, actor: string): AuditRecord {
  const token = tokenOf(actor)
  return {
    at,
    actor: token,
    action: 'token.use',
    target: { type: 'token', id: token },
    outcome: 'ok',
    requestId: request.id,
    ip: request.ip,
    details: {},
  }
}

function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? request.url.split('?')[0] ?? ''
}

/** The entry of an audited admin request (see `routeAction`), or null when it is not audited. */
function requestEntry(
  request: FastifyRequest,
  answer: { status: number; at: number; actor: string; createdId: string | undefined },
): AuditRecord | null {
  const { status, at, actor, createdId } = answer
  const route = routeOf(request)
  const params = (request.params ?? {}) as Record<string, unknown>
  const described = routeAction(request.method, route, params)
  if (described === null) return null
  const keys = described.kind === 'change' ? changedKeys(request.body) : []
  return {
    at,
    actor,
    action: described.action,
    target: {
      type: described.target.type,
      id: described.target.id ?? createdId ?? bodyId(request.body),
    },
    outcome: outcomeOf(status),
    requestId: request.id,
    ip: request.ip,
    details: { method: request.method, route, status, ...(keys.length > 0 ? { keys } : {}) },
  }
}

/**
 * Audits the admin API generically, from inside its plugin scope, so routes added later are
 * covered without being listed: after each response (`onResponse`, off the reply's path; the
 * recorder only buffers), a change (POST/PUT/PATCH/DELETE) or a read of personal data (see
 * `routeAction`) becomes one entry with the actor, the action named from the route pattern, the
 * target from its parameters (or the created object's id), the outcome from the status, the
 * request id and client address. Bodies are never stored: only the names of their top-level
 * keys. A 401 becomes `auth.denied` (first per address per minute, then one summary with the
 * count); the first authenticated request of a token in an hour becomes `token.use`.
 */
export function registerAdminAuditHooks(api: FastifyInstance, deps: AuditHookDeps): AuditHooks {
  const { recorder, clock } = deps
  const denied = new DeniedThrottle()
  const tokens = new TokenUseTracker()
  const created = new WeakMap<FastifyRequest, string>()

  api.addHook('onSend', (request, reply, payload, done) => {
    if (request.method === 'POST' && reply.statusCode < 300) {
      const id = createdId(payload)
      if (id !== null) created.set(request, id)
    }
    done(null, payload)
  })

  api.addHook('onResponse', (request, reply, done) => {
    const at = clock.now()
    if (reply.statusCode === 401) {
      if (denied.hit(request.ip, at)) recorder.record(deniedEntry(request, at, 'admin-api'))
    } else {
      const actor = requestActor(request)
      if (tokens.firstUse(tokenOf(actor), at)) recorder.record(tokenUseEntry(request, at, actor))
      const entry = requestEntry(request, {
        status: reply.statusCode,
        at,
        actor,
        createdId: created.get(request),
      })
      if (entry !== null) recorder.record(entry)
    }
    done()
  })

  return {
    sweep(force = false) {
      for (const window of denied.closed(clock.now(), force)) {
        recorder.record({
          actor: 'anonymous',
          action: 'auth.denied',
          target: { type: 'admin-api', id: null },
          outcome: 'denied',
          requestId: null,
          ip: window.ip,
          details: { count: window.count, since: new Date(window.from).toISOString() },
        })
      }
    },
  }
}

/** A Fastify `onResponse` hook with the sweep of its authentication-failure windows. */
export interface ProfileApiAudit extends AuditHooks {
  onResponse: (request: FastifyRequest, status: number) => void
}

/**
 * Audits the Segment Profile API (`/v1/spaces/…`): every answered read is `profiles.view` by
 * `profile-api:<fingerprint of the access token>` on the profile `<collection>/<externalId>`
 * (the endpoint in details); a 401 is `auth.denied`, throttled as on the admin API.
 */
export function createProfileApiAudit(deps: AuditHookDeps): ProfileApiAudit {
  const { recorder, clock } = deps
  const denied = new DeniedThrottle()
  return {
    onResponse(request, status) {
      const at = clock.now()
      if (status === 401) {
        if (denied.hit(request.ip, at)) recorder.record(deniedEntry(request, at, 'profile-api'))
        return
      }
      const params = request.params as { collection?: string; '*'?: string } | undefined
      const rest = params?.['*'] ?? ''
      const slash = rest.lastIndexOf('/')
      recorder.record({
        at,
        actor: `profile-api:${basicFingerprint(request.headers.authorization)}`,
        action: 'profiles.view',
        target: {
          type: 'profile',
          id: slash < 0 ? null : `${params?.collection ?? ''}/${rest.slice(0, slash)}`,
        },
        outcome: outcomeOf(status),
        requestId: request.id,
        ip: request.ip,
        details: { api: 'profile', endpoint: rest.slice(slash + 1), status },
      })
    },
    sweep(force = false) {
      for (const window of denied.closed(clock.now(), force)) {
        recorder.record({
          actor: 'anonymous',
          action: 'auth.denied',
          target: { type: 'profile-api', id: null },
          outcome: 'denied',
          requestId: null,
          ip: window.ip,
          details: { count: window.count, since: new Date(window.from).toISOString() },
        })
      }
    },
  }
}

/** 8 hex of sha256 of the Basic username (the Profile API access token). */
function basicFingerprint(authorization: string | undefined): string {
  const encoded =
    authorization?.slice(0, 6).toLowerCase() === 'basic ' ? authorization.slice(6) : ''
  const decoded = Buffer.from(encoded.trim(), 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  const token = colon < 0 ? decoded : decoded.slice(0, colon)
  return createHash('sha256').update(token).digest('hex').slice(0, 8)
}
