import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import type { ProfileQuery, ProfileRecord } from '../identity/index.js'
import { AppError } from '../platform/errors/index.js'
import {
  profileApiParamsSchema,
  profileEventsQuerySchema,
  profileExternalIdsQuerySchema,
  profileTraitsQuerySchema,
} from './profile-query-schemas.js'
import {
  pageTraits,
  segmentCursor,
  segmentEvent,
  segmentExternalId,
  segmentMetadata,
  segmentTraits,
} from './profile-serialize.js'

/** Segment's error codes of the Profile API (its own strings, not AppError codes). */
export type ProfileApiErrorCode =
  'authentication_error' | 'invalid_request_error' | 'not_found' | 'internal_error'

/** An expected failure of the Profile API, answered as `{error: {code, message}}`. */
export class ProfileApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ProfileApiErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'ProfileApiError'
  }
}

export interface ProfileApiDeps {
  profiles: ProfileQuery
  /** The space id the API answers for; null turns the API off (every request is a 404). */
  spaceId: () => string | null
  /** Access tokens accepted as the Basic username; read on every request. */
  tokens: () => readonly string[]
  /** Called with unexpected failures (answered 500). */
  onError: (error: unknown, requestId: string) => void
  /** Called after every answer (the audit log's profile views and refusals). */
  onResponse?: (request: FastifyRequest, status: number) => void
}

/** Segment answers at most 20 linked records. */
const MAX_LINKS = 20
const LINK_IDENTIFIERS = 20

const notFound = (message = 'Profile was not found.') =>
  new ProfileApiError(404, 'not_found', message)
const invalid = (message: string) => new ProfileApiError(400, 'invalid_request_error', message)

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/** The access token: the username of `Authorization: Basic` (the password is not read). */
function basicUsername(authorization: string | undefined): string | null {
  if (authorization?.slice(0, 6).toLowerCase() !== 'basic ') return null
  const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  const username = colon < 0 ? decoded : decoded.slice(0, colon)
  return username === '' ? null : username
}

/** Space enabled, token valid, then space matched: the first failure, or null. */
function accessError(request: FastifyRequest, deps: ProfileApiDeps): ProfileApiError | null {
  const space = deps.spaceId()
  if (space === null) return notFound('Space was not found.')
  const token = basicUsername(request.headers.authorization)
  if (token === null || !deps.tokens().some((t) => sameSecret(t, token))) {
    return new ProfileApiError(
      401,
      'authentication_error',
      'Send an access token as the Basic username with an empty password.',
    )
  }
  const { spaceId } = request.params as { spaceId?: string }
  return spaceId === space ? null : notFound('Space was not found.')
}

function toProfileApiError(error: unknown): ProfileApiError {
  if (error instanceof ProfileApiError) return error
  if (error instanceof AppError && error.httpStatus === 404) return notFound()
  if (error instanceof AppError && error.httpStatus < 500) return invalid(error.message)
  const status = (error as { statusCode?: unknown }).statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return invalid((error as { message?: string }).message ?? 'The request is not valid.')
  }
  return new ProfileApiError(500, 'internal_error', 'Internal error.')
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issues = result.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`)
  throw invalid(issues.join('; '))
}

/**
 * The profile named by the path: `type:value` in the collection, or `segment_id:<profile id>`.
 * Not found (or in the other collection): 404 `not_found`.
 */
async function resolveProfile(
  profiles: ProfileQuery,
  params: { spaceId: string; collection: string; externalId: string },
): Promise<ProfileRecord> {
  const { collection, externalId } = parse(profileApiParamsSchema, params)
  const profile =
    externalId.type === 'segment_id'
      ? await profiles.get(externalId.value)
      : await profiles.findByIdentifier(collection, externalId)
  if (profile === null || profile.collection !== collection) throw notFound()
  return profile
}

const decodeName = (next: string | undefined) =>
  next === undefined ? undefined : Buffer.from(next, 'base64url').toString('utf8')
const encodeName = (name: string | null) =>
  name === null ? null : Buffer.from(name).toString('base64url')

/** What an endpoint reads: the query string, the profile (resolved lazily), the request URL. */
interface EndpointCall {
  profiles: ProfileQuery
  query: unknown
  url: string
  profile: () => Promise<ProfileRecord>
}

async function traits({ query, url, profile }: EndpointCall) {
  const q = parse(profileTraitsQuerySchema, query)
  const found = await profile()
  // Audiences and computed traits do not exist yet: those classes are empty.
  const page =
    q.class === undefined
      ? pageTraits(found, {
          limit: q.limit,
          ...optional('include', q.include),
          ...optional('after', decodeName(q.next)),
        })
      : { entries: [], next: null }
  return {
    traits: segmentTraits(page.entries, q.verbose),
    cursor: segmentCursor(url, encodeName(page.next), q.limit),
  }
}

async function events({ profiles, query, url, profile }: EndpointCall) {
  const { next, include, exclude, start, end, limit, sort } = parse(profileEventsQuerySchema, query)
  const page = await profiles.events((await profile()).id, {
    limit,
    sort,
    ...optional('cursor', next),
    ...optional('start', start),
    ...optional('end', end),
    ...optional('include', include),
    ...optional('exclude', exclude),
  })
  return { data: page.data.map(segmentEvent), cursor: segmentCursor(url, page.next, limit) }
}

async function externalIds({ profiles, query, url, profile }: EndpointCall) {
  const { next, include, limit } = parse(profileExternalIdsQuerySchema, query)
  const page = await profiles.identifiers((await profile()).id, {
    limit,
    ...optional('cursor', next),
    ...optional('types', include),
  })
  return { data: page.data.map(segmentExternalId), cursor: segmentCursor(url, page.next, limit) }
}

async function metadata({ profile }: EndpointCall) {
  return { metadata: segmentMetadata(await profile()) }
}

async function links({ profiles, profile }: EndpointCall) {
  const linked = await profiles.links((await profile()).id, MAX_LINKS)
  const data = await Promise.all(
    linked.map(async (other) => {
      const ids = await profiles.identifiers(other.id, { limit: LINK_IDENTIFIERS })
      return { to_collection: other.collection, external_ids: ids.data.map(segmentExternalId) }
    }),
  )
  return { data }
}

/** The endpoints under `…/profiles/<type:value>/`. */
export const PROFILE_API_ENDPOINTS: Readonly<
  Record<string, (call: EndpointCall) => Promise<unknown>>
> = { traits, events, external_ids: externalIds, metadata, links }

/**
 * One wildcard route for every endpoint: identifier values may be longer than the router's
 * parameter limit (push tokens) and may hold an encoded `/`, so the path after `profiles/` is
 * split at its last `/` into the identifier and the endpoint.
 */
function registerRoutes(scope: FastifyInstance, profiles: ProfileQuery): void {
  scope.get<{ Params: { spaceId: string; collection: string; '*': string } }>(
    '/v1/spaces/:spaceId/collections/:collection/profiles/*',
    (request) => {
      const { '*': rest, ...params } = request.params
      const slash = rest.lastIndexOf('/')
      const endpoint = Object.hasOwn(PROFILE_API_ENDPOINTS, rest.slice(slash + 1))
        ? PROFILE_API_ENDPOINTS[rest.slice(slash + 1)]
        : undefined
      if (slash < 0 || endpoint === undefined) throw notFound('No such endpoint.')
      const externalId = rest.slice(0, slash)
      return endpoint({
        profiles,
        query: request.query,
        url: request.url,
        profile: () => resolveProfile(profiles, { ...params, externalId }),
      })
    },
  )
}

/** `{[key]: value}` when the value is defined, `{}` otherwise (exact optional properties). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
}

/**
 * Segment's Profile API, read-only, on the main app (not under the admin token): `GET
 * /v1/spaces/:spaceId/collections/:collection/profiles/:externalId/(traits|events|external_ids|
 * metadata|links)`. Basic auth with an access token as username and an empty password. Every
 * answer carries `Request-Id`; errors are Segment's `{error: {code, message}}`; no CORS
 * headers. Reads are a few indexed queries and do not wait for the pipeline: like Segment's,
 * the answers are eventually consistent with what was just sent.
 */
export async function registerProfileApi(
  app: FastifyInstance,
  deps: ProfileApiDeps,
): Promise<void> {
  await app.register((scope, _options, done) => {
    scope.addHook('onRequest', (request, _reply, next) => {
      next(accessError(request, deps) ?? undefined)
    })
    scope.addHook('onSend', (request, reply, payload, next) => {
      reply.header('request-id', request.id)
      next(null, payload)
    })
    const onResponse = deps.onResponse
    if (onResponse !== undefined) {
      scope.addHook('onResponse', (request, reply, next) => {
        onResponse(request, reply.statusCode)
        next()
      })
    }
    scope.setErrorHandler((error, request, reply) => {
      const answer = toProfileApiError(error)
      if (answer.status >= 500) deps.onError(error, request.id)
      return reply
        .code(answer.status)
        .send({ error: { code: answer.code, message: answer.message } })
    })
    registerRoutes(scope, deps.profiles)
    done()
  })
}
