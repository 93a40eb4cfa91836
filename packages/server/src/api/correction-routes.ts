/**
 * Trait corrections (rectification) of a profile (admin API):
 * `PATCH /api/v1/profiles/:id/traits` with `{set?: {trait: value}, unset?: [trait], reason?}`
 * stores one correction per trait (by the caller, `requestActor`) and answers the corrected
 * profile; `GET /api/v1/profiles/:id/trait-corrections` lists the corrections applying to the
 * profile, newest first. Both wait for identity to catch up first, so a correction sees the
 * traits of every acknowledged event. An invalid body changes nothing.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { TraitCorrection } from '../identity/index.js'
import type { CorrectionService } from '../regulations/index.js'
import { requestActor } from './actor.js'
import { parseOrThrow } from './admin-routes.js'
import { profileToJson } from './profile-serialize.js'

export interface CorrectionRouteDeps {
  corrections: CorrectionService
  /** Resolves once identity resolution has caught up with what was acknowledged (bounded). */
  catchUp: () => Promise<void>
}

const listQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).optional(),
})

type Params = { Params: { id: string } }

/** A correction as the API shows it (also in the access export). */
export function correctionToJson(c: TraitCorrection) {
  return {
    id: c.id,
    profileId: c.profileId,
    collection: c.collection,
    identifier: c.identifier,
    trait: c.trait,
    action: c.removed ? 'unset' : 'set',
    value: c.removed ? null : c.value,
    previous: c.previous,
    reason: c.reason,
    actor: c.actor,
    createdAt: new Date(c.createdAt).toISOString(),
  }
}

export function registerCorrectionRoutes(api: FastifyInstance, deps: CorrectionRouteDeps): void {
  api.patch<Params>('/api/v1/profiles/:id/traits', async (request) => {
    await deps.catchUp()
    const result = await deps.corrections.correct(
      request.params.id,
      request.body,
      requestActor(request),
    )
    return {
      data: {
        profile: profileToJson(result.profile, result.identifiers, []),
        corrections: result.corrections.map(correctionToJson),
      },
    }
  })

  api.get<Params>('/api/v1/profiles/:id/trait-corrections', async (request) => {
    const query = parseOrThrow(listQuerySchema, request.query)
    await deps.catchUp()
    const page = await deps.corrections.list(request.params.id, {
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
    })
    return {
      data: {
        corrections: page.data.map(correctionToJson),
        pagination: { next: page.next },
      },
    }
  })
}
