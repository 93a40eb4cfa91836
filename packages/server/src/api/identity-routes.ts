import type { FastifyInstance } from 'fastify'
import {
  IdentityErrors,
  identifierKey,
  type Identifier,
  type IdentityService,
  type ProfileQuery,
  type ProfileRecord,
  type SplitRequest,
} from '../identity/index.js'
import { parseOrThrow } from './admin-routes.js'
import {
  explainQuerySchema,
  overridesQuerySchema,
  profileHistoryQuerySchema,
  profilesQuerySchema,
  profileTimelineQuerySchema,
  splitBodySchema,
} from './profile-query-schemas.js'
import {
  edgeToJson,
  graphToJson,
  overrideToJson,
  profileSummaryToJson,
  profileToJson,
  rebuildToJson,
  timelineEventToJson,
} from './profile-serialize.js'

export interface IdentityRouteDeps {
  profiles: ProfileQuery
  identity: IdentityService
  /** Resolves once identity resolution has caught up with what was acknowledged (bounded). */
  catchUp: () => Promise<void>
}

/** Who the admin API acts as in overrides and rule edits. */
const ACTOR = 'admin'
/** Identifiers shown per profile in lists. */
const SUMMARY_IDENTIFIERS = 5
/** Up to the default identifier cap: every identifier of a profile. */
const ALL_IDENTIFIERS = 1000
const MAX_LINKS = 20
const MAX_GRAPH_EDGES = 5000

type Params = { Params: { id: string } }

const cursorOf = (cursor: string | undefined) => (cursor === undefined ? {} : { cursor })

async function requireProfile(profiles: ProfileQuery, id: string): Promise<ProfileRecord> {
  const profile = await profiles.get(id)
  if (profile === null) {
    throw IdentityErrors.notFound('No profile has this id.', { details: { id } })
  }
  return profile
}

async function allIdentifiers(profiles: ProfileQuery, id: string) {
  return (await profiles.identifiers(id, { limit: ALL_IDENTIFIERS })).data
}

/** Profiles as list entries, each with its first few identifiers (one read each, concurrent). */
function summarize(profiles: ProfileQuery, list: ProfileRecord[]) {
  return Promise.all(
    list.map(async (p) =>
      profileSummaryToJson(
        p,
        (await profiles.identifiers(p.id, { limit: SUMMARY_IDENTIFIERS })).data,
      ),
    ),
  )
}

/** Fails with IDENTITY_NOT_FOUND unless every identifier is on `profile`. */
async function requireOnProfile(
  profiles: ProfileQuery,
  profile: ProfileRecord,
  ids: Identifier[],
): Promise<void> {
  for (const id of ids) {
    const holder = await profiles.findByIdentifier(profile.collection, id)
    if (holder?.id !== profile.id) {
      throw IdentityErrors.notFound('The identifier is not on this profile.', {
        details: { profileId: profile.id, identifier: identifierKey(id) },
      })
    }
  }
}

/** Profile search, one profile, its timeline, history and graph. Reads wait for `catchUp`. */
function registerProfileReads(api: FastifyInstance, deps: IdentityRouteDeps): void {
  const { profiles } = deps
  api.get('/api/v1/profiles', async (request) => {
    const { q, collection, limit, cursor } = parseOrThrow(profilesQuerySchema, request.query)
    await deps.catchUp()
    const page = await profiles.search({ q, collection }, { limit, ...cursorOf(cursor) })
    return { data: await summarize(profiles, page.data), next: page.next }
  })

  api.get<Params>('/api/v1/profiles/:id', async (request) => {
    await deps.catchUp()
    const profile = await requireProfile(profiles, request.params.id)
    const identifiers = await allIdentifiers(profiles, profile.id)
    const links = await summarize(profiles, await profiles.links(profile.id, MAX_LINKS))
    return profileToJson(profile, identifiers, links)
  })

  api.get<Params>('/api/v1/profiles/:id/events', async (request) => {
    const { limit, cursor, start, end } = parseOrThrow(profileTimelineQuerySchema, request.query)
    await deps.catchUp()
    const profile = await requireProfile(profiles, request.params.id)
    const page = await profiles.events(profile.id, {
      limit,
      ...cursorOf(cursor),
      ...(start === undefined ? {} : { start }),
      ...(end === undefined ? {} : { end }),
    })
    return { data: page.data.map(timelineEventToJson), next: page.next }
  })

  api.get<Params>('/api/v1/profiles/:id/history', async (request) => {
    const { limit, cursor } = parseOrThrow(profileHistoryQuerySchema, request.query)
    await deps.catchUp()
    const profile = await requireProfile(profiles, request.params.id)
    const page = await profiles.history(profile.id, { limit, ...cursorOf(cursor) })
    return { data: page.data.map(edgeToJson), next: page.next }
  })

  api.get<Params>('/api/v1/profiles/:id/graph', async (request) => {
    await deps.catchUp()
    const profile = await requireProfile(profiles, request.params.id)
    const identifiers = await allIdentifiers(profiles, profile.id)
    return graphToJson(identifiers, await profiles.edges(profile.id, MAX_GRAPH_EDGES))
  })
}

/** Split, explain, overrides, rules and totals. */
function registerIdentityAdmin(api: FastifyInstance, deps: IdentityRouteDeps): void {
  const { profiles, identity } = deps
  api.post<Params>('/api/v1/profiles/:id/split', async (request) => {
    const body = parseOrThrow(splitBodySchema, request.body)
    await deps.catchUp()
    const profile = await requireProfile(profiles, request.params.id)
    const split: SplitRequest =
      body.kind === 'block'
        ? { kind: 'block', identifier: body.identifier, reason: body.reason, actor: ACTOR }
        : { kind: 'separate', a: body.a, b: body.b, reason: body.reason, actor: ACTOR }
    await requireOnProfile(
      profiles,
      profile,
      body.kind === 'block' ? [body.identifier] : [body.a, body.b],
    )
    const result = await identity.split(profile.collection, split)
    return { override: overrideToJson(result.override), rebuild: rebuildToJson(result.rebuild) }
  })

  api.get('/api/v1/identity/explain', async (request) => {
    const { collection, a, b } = parseOrThrow(explainQuerySchema, request.query)
    await deps.catchUp()
    const result = await identity.explain(collection, a, b)
    return {
      connected: result.connected,
      profileId: result.profileId,
      path: result.path.map(edgeToJson),
    }
  })

  api.get('/api/v1/identity/overrides', async (request) => {
    const query = parseOrThrow(overridesQuerySchema, request.query)
    await deps.catchUp()
    let list
    if (query.profileId !== undefined) {
      const profile = await requireProfile(profiles, query.profileId)
      const ids = await allIdentifiers(profiles, profile.id)
      list = ids.length === 0 ? [] : await profiles.overrides(profile.collection, ids)
    } else {
      list = await profiles.overrides(query.collection, query.identifier ? [query.identifier] : [])
    }
    return { data: list.map(overrideToJson) }
  })

  api.get('/api/v1/identity/rules', () => {
    const { config, managed } = identity.rules()
    return { config, managed }
  })

  api.put('/api/v1/identity/rules', async (request) => {
    const config = await identity.setRules(request.body, ACTOR)
    return { config, managed: false }
  })

  api.get('/api/v1/identity/stats', async () => {
    await deps.catchUp()
    return profiles.totals()
  })
}

/**
 * The identity admin API under `/api/v1` (registered inside the admin scope, which checks the
 * Bearer token and maps errors): profile search and detail, timeline, merge history, graph,
 * explain, split, overrides, rules and totals. Reads first wait for `catchUp`; a split
 * re-resolves the profile's components before it answers.
 */
export function registerIdentityRoutes(api: FastifyInstance, deps: IdentityRouteDeps): void {
  registerProfileReads(api, deps)
  registerIdentityAdmin(api, deps)
}
