import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import {
  identifierTypeOf,
  normalizeSubjectValue,
  RegulationErrors,
  type RegulationAuditSink,
} from '../regulations/index.js'
import { requestActor } from './actor.js'
import { buildSubjectExport, type SubjectExportDeps } from './subject-access-export.js'

const accessSchema = z
  .object({
    subjectType: z.string().min(1).max(64),
    subjectIds: z.array(z.string().min(1).max(1024)).min(1).max(100),
  })
  .strict()

export interface SubjectAccessDeps extends SubjectExportDeps {
  audit: RegulationAuditSink
  now: () => number
  /** Resolves once identity resolution has caught up with what was acknowledged (bounded). */
  catchUp: () => Promise<void>
}

/**
 * `POST /api/v1/subject-access`: a JSON document of everything Tessera holds about a person:
 * the profiles the ids resolve to (traits with provenance, identifiers, merge history, resolved
 * events, consent state and history, preferences), trait corrections, rejected and quarantined
 * events naming them, delivery retries and dead letters of their events, regulations naming
 * them, and suppression and restriction records (sections: `regulations/README.md`). Waits
 * for identity to catch up first. Reads only; the export is recorded to the audit sink.
 */
export function registerSubjectAccessRoutes(app: FastifyInstance, deps: SubjectAccessDeps): void {
  app.post('/api/v1/subject-access', async (request) => {
    const parsed = accessSchema.safeParse(request.body)
    if (!parsed.success) {
      throw RegulationErrors.invalidRequest(
        parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
      )
    }
    await deps.catchUp()
    const type = identifierTypeOf(parsed.data.subjectType)
    const requested = parsed.data.subjectIds.map((raw) => ({
      type,
      value: normalizeSubjectValue(type, raw),
    }))
    const profileIds = new Set<string>()
    for (const id of requested) {
      const profile = await deps.profiles.findByIdentifier('users', id)
      if (profile) profileIds.add(profile.id)
    }
    const exported = await buildSubjectExport(deps, profileIds, requested)
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
        generatedAt: new Date(at).toISOString(),
        subjectType: parsed.data.subjectType,
        subjectIds: parsed.data.subjectIds,
        ...exported,
      },
    }
  })
}
