/**
 * Consent and preferences of a profile (admin API):
 * `GET /api/v1/profiles/:id/consent` answers the current consent (the fold of the history, in
 * event-time order, last write wins per category; workspace categories never collected count
 * as false) and the history with provenance (event seq, messageId, source, time).
 * `GET|PUT|PATCH /api/v1/profiles/:id/preferences` read and change the preference centre
 * (PUT replaces, PATCH merges, `null` removes a key); each change is recorded with the
 * caller (`requestActor`) and its time. An invalid body changes nothing.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import {
  ConsentErrors,
  foldConsent,
  parsePreferencesBody,
  type ConsentHistory,
  type PreferenceService,
  type ProfilePreferences,
} from '../consent/index.js'
import type { ProfileQuery } from '../identity/index.js'
import { requestActor } from './actor.js'
import { parseOrThrow } from './admin-routes.js'

export interface ConsentRouteDeps {
  profiles: ProfileQuery
  consentHistory: ConsentHistory
  preferences: PreferenceService
  /** Ids of the workspace's consent categories (config `consent.categories`). */
  categories: () => readonly string[]
  /** Resolves once identity resolution has caught up with what was acknowledged (bounded). */
  catchUp: () => Promise<void>
}

const consentQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
})

type Params = { Params: { id: string } }

export async function requireProfileId(profiles: ProfileQuery, id: string): Promise<string> {
  const profile = await profiles.get(id)
  if (profile === null) {
    throw ConsentErrors.profileNotFound(undefined, { details: { id } })
  }
  return profile.id
}

export function preferencesToJson(answer: ProfilePreferences) {
  return {
    profileId: answer.profileId,
    ...answer.preferences,
    updatedAt: answer.updatedAt,
    history: answer.history.map((change) => ({
      id: change.id,
      at: change.at,
      identifier: change.identifier,
      actor: change.actor,
      changes: change.values,
    })),
  }
}

export function registerConsentRoutes(api: FastifyInstance, deps: ConsentRouteDeps): void {
  api.get<Params>('/api/v1/profiles/:id/preferences', async (request) => {
    await deps.catchUp()
    return preferencesToJson(await deps.preferences.get(request.params.id))
  })
  for (const method of ['PUT', 'PATCH'] as const) {
    api.route<Params>({
      method,
      url: '/api/v1/profiles/:id/preferences',
      handler: async (request) => {
        const body = parsePreferencesBody(request.body)
        await deps.catchUp()
        const answer = await deps.preferences.update(request.params.id, body, {
          replace: method === 'PUT',
          actor: { kind: 'api', actor: requestActor(request) },
        })
        return preferencesToJson(answer)
      },
    })
  }

  api.get<Params>('/api/v1/profiles/:id/consent', async (request) => {
    const { limit } = parseOrThrow(consentQuerySchema, request.query)
    await deps.catchUp()
    const profileId = await requireProfileId(deps.profiles, request.params.id)
    const history = await deps.consentHistory.entries(profileId, limit)
    const current = foldConsent(history, deps.categories())
    return {
      profileId,
      categories: current.categories,
      updatedAt: current.updatedAt,
      history: history.map((entry) => ({
        seq: entry.seq,
        messageId: entry.messageId,
        sourceId: entry.sourceId,
        type: entry.type,
        event: entry.event,
        timestamp: entry.timestamp,
        categories: entry.consent.categories,
        ignoredCategories: entry.consent.ignored,
      })),
    }
  })
}
