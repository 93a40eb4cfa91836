/**
 * Consent and preferences of a profile (admin API):
 * `GET /api/v1/profiles/:id/consent` answers the current consent (the fold of the history, in
 * event-time order, last write wins per category; workspace categories never collected count
 * as false) and the history with provenance (event seq, messageId, source, time).
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { ConsentErrors, foldConsent, type ConsentHistory } from '../consent/index.js'
import type { ProfileQuery } from '../identity/index.js'
import { parseOrThrow } from './admin-routes.js'

export interface ConsentRouteDeps {
  profiles: ProfileQuery
  consentHistory: ConsentHistory
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

export function registerConsentRoutes(api: FastifyInstance, deps: ConsentRouteDeps): void {
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
