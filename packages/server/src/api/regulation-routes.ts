import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import {
  buildReport,
  type CorrectionService,
  REGULATION_STATUSES,
  type Regulation,
  type RegulationService,
  type RegulationStore,
  type RegulationTask,
  type RegulationView,
  type RestrictionService,
  type RestrictionState,
} from '../regulations/index.js'
import { requestActor } from './actor.js'
import { parseOrThrow } from './admin-routes.js'
import { registerCorrectionRoutes } from './correction-routes.js'
import { registerSubjectAccessRoutes, type SubjectAccessDeps } from './subject-access-routes.js'

export interface RegulationRouteDeps {
  regulations: RegulationService
  store: Pick<RegulationStore, 'suppressed'>
  restrictions: RestrictionService
  /** Trait corrections (`PATCH /api/v1/profiles/:id/traits`, `GET …/trait-corrections`). */
  corrections: CorrectionService
  /** Resolves once identity resolution has caught up with what was acknowledged (bounded). */
  catchUp: () => Promise<void>
  /** The access export (`POST /api/v1/subject-access`). */
  access: SubjectAccessDeps
}

function restrictionToJson(state: RestrictionState) {
  return {
    profileId: state.profileId,
    restricted: state.restricted,
    identifiers: state.identifiers.map((r) => ({
      type: r.type,
      value: r.value,
      setOnProfile: r.profileId,
      actor: r.actor,
      createdAt: iso(r.createdAt),
    })),
  }
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

const listQuerySchema = z
  .object({
    status: z.enum(REGULATION_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().min(1).optional(),
  })
  .strict()

/** Per store or destination, Segment's `{name, id, status, errString, finishedAt}`. */
function taskToJson(task: RegulationTask) {
  return {
    name: task.name,
    id: task.target,
    status: task.status,
    errString: task.errString,
    finishedAt: iso(task.finishedAt),
  }
}

function regulationSummary(regulation: Regulation) {
  return {
    id: regulation.id,
    overallStatus: regulation.status,
    regulationType: regulation.type,
    subjectType: regulation.subjectType,
    subjectIds: regulation.subjectIds,
    createdAt: iso(regulation.createdAt),
    finishedAt: iso(regulation.finishedAt),
  }
}

function regulationToJson(view: RegulationView) {
  const { regulation, tasks } = view
  return {
    ...regulationSummary(regulation),
    profiles: regulation.subject.profileIds,
    stores: tasks.filter((t) => t.kind !== 'destination').map(taskToJson),
    destinations: tasks.filter((t) => t.kind === 'destination').map(taskToJson),
  }
}

/**
 * The regulations API, shaped like Segment's Public API (Deletion and Suppression): answers
 * are wrapped in `{data: …}` as Segment's are; `overallStatus` and per store and destination
 * `{name, id, status, errString, finishedAt}`.
 */
export function registerRegulationRoutes(app: FastifyInstance, deps: RegulationRouteDeps): void {
  app.post('/api/v1/regulations', async (request) => {
    const regulateId = await deps.regulations.create(request.body, requestActor(request))
    return { data: { regulateId } }
  })

  app.get('/api/v1/regulations', async (request) => {
    const query = parseOrThrow(listQuerySchema, request.query)
    const page = await deps.regulations.list({
      limit: query.limit,
      ...(query.status ? { status: query.status } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    })
    return {
      data: { regulations: page.data.map(regulationSummary), pagination: { next: page.next } },
    }
  })

  app.get<{ Params: { id: string } }>('/api/v1/regulations/:id', async (request) => {
    const view = await deps.regulations.get(request.params.id)
    return { data: { regulation: regulationToJson(view) } }
  })

  app.get<{ Params: { id: string } }>('/api/v1/regulations/:id/report', async (request) => {
    const report = buildReport(await deps.regulations.get(request.params.id))
    return {
      data: {
        ...report,
        createdAt: iso(report.createdAt),
        finishedAt: iso(report.finishedAt),
      },
    }
  })

  // Restriction of processing: a per-profile flag stored by identifier (merges keep it).
  app.get<{ Params: { id: string } }>('/api/v1/profiles/:id/restriction', async (request) => ({
    data: restrictionToJson(await deps.restrictions.get(request.params.id)),
  }))
  app.post<{ Params: { id: string } }>('/api/v1/profiles/:id/restriction', async (request) => ({
    data: restrictionToJson(
      await deps.restrictions.restrict(request.params.id, requestActor(request)),
    ),
  }))
  app.delete<{ Params: { id: string } }>('/api/v1/profiles/:id/restriction', async (request) => ({
    data: restrictionToJson(
      await deps.restrictions.unrestrict(request.params.id, requestActor(request)),
    ),
  }))

  registerCorrectionRoutes(app, { corrections: deps.corrections, catchUp: deps.catchUp })
  registerSubjectAccessRoutes(app, deps.access)

  app.get('/api/v1/suppressions', async () => {
    const rows = await deps.store.suppressed()
    return {
      data: {
        suppressions: rows.map((r) => ({
          type: r.type,
          value: r.value,
          regulateId: r.regulationId,
          createdAt: iso(r.createdAt),
        })),
      },
    }
  })
}
