import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { ProfileQuery } from '../identity/index.js'
import {
  identifierTypeOf,
  normalizeSubjectValue,
  RegulationErrors,
  type RegulationAuditSink,
  type RegulationStore,
} from '../regulations/index.js'
import { requestActor } from './actor.js'
import { edgeToJson, profileToJson, timelineEventToJson } from './profile-serialize.js'

/** Events exported per profile at most; `truncated` says when more exist. */
const MAX_EVENTS = 100_000
const PAGE = 1000
const MAX_IDENTIFIERS = 1000

const accessSchema = z
  .object({
    subjectType: z.string().min(1).max(64),
    subjectIds: z.array(z.string().min(1).max(1024)).min(1).max(100),
  })
  .strict()

export interface SubjectAccessDeps {
  profiles: ProfileQuery
  store: Pick<RegulationStore, 'suppressed' | 'restricted'>
  audit: RegulationAuditSink
  now: () => number
}

const iso = (ms: number) => new Date(ms).toISOString()

async function exportProfile(profiles: ProfileQuery, profileId: string) {
  const profile = await profiles.get(profileId)
  if (profile === null) return null
  const identifiers = (await profiles.identifiers(profileId, { limit: MAX_IDENTIFIERS })).data
  const history = []
  let cursor: string | undefined
  do {
    const page = await profiles.history(profileId, { limit: PAGE, ...(cursor ? { cursor } : {}) })
    history.push(...page.data.map(edgeToJson))
    cursor = page.next ?? undefined
  } while (cursor !== undefined)
  const events = []
  let truncated = false
  cursor = undefined
  do {
    const page = await profiles.events(profileId, {
      limit: PAGE,
      sort: 'asc',
      ...(cursor ? { cursor } : {}),
    })
    events.push(...page.data.map(timelineEventToJson))
    cursor = page.next ?? undefined
    if (cursor !== undefined && events.length >= MAX_EVENTS) {
      truncated = true
      break
    }
  } while (cursor !== undefined)
  return {
    profile: profileToJson(profile, identifiers, []),
    mergeHistory: history,
    events,
    eventsTruncated: truncated,
  }
}

/**
 * `POST /api/v1/subject-access`: a JSON document of what Tessera holds about a person (the
 * profiles the ids resolve to, with traits and their provenance, identifiers, merge history
 * and resolved events; suppression and restriction records naming the identifiers). The
 * export is recorded to the audit sink.
 */
export function registerSubjectAccessRoutes(app: FastifyInstance, deps: SubjectAccessDeps): void {
  app.post('/api/v1/subject-access', async (request) => {
    const parsed = accessSchema.safeParse(request.body)
    if (!parsed.success) {
      throw RegulationErrors.invalidRequest(
        parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
      )
    }
    const type = identifierTypeOf(parsed.data.subjectType)
    const profileIds = new Set<string>()
    for (const raw of parsed.data.subjectIds) {
      const value = normalizeSubjectValue(type, raw)
      const profile = await deps.profiles.findByIdentifier('users', { type, value })
      if (profile) profileIds.add(profile.id)
    }
    const exported = []
    const keys = new Set<string>()
    for (const id of profileIds) {
      const one = await exportProfile(deps.profiles, id)
      if (!one) continue
      for (const i of one.profile.identifiers) keys.add(`${i.type}\u0000${i.value}`)
      exported.push(one)
    }
    for (const raw of parsed.data.subjectIds) {
      keys.add(`${type}\u0000${normalizeSubjectValue(type, raw)}`)
    }
    const named = (r: { type: string; value: string }) => keys.has(`${r.type}\u0000${r.value}`)
    const at = deps.now()
    deps.audit.record({
      action: 'subject.exported',
      actor: requestActor(request),
      target: [...profileIds].join(','),
      at,
      details: { subjectType: parsed.data.subjectType, profiles: profileIds.size },
    })
    return {
      data: {
        generatedAt: iso(at),
        subjectType: parsed.data.subjectType,
        subjectIds: parsed.data.subjectIds,
        profiles: exported,
        suppressions: (await deps.store.suppressed()).filter(named).map((s) => ({
          type: s.type,
          value: s.value,
          regulateId: s.regulationId,
          createdAt: iso(s.createdAt),
        })),
        restrictions: (await deps.store.restricted()).filter(named).map((r) => ({
          type: r.type,
          value: r.value,
          createdAt: iso(r.createdAt),
        })),
      },
    }
  })
}
