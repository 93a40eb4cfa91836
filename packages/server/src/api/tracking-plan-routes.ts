/**
 * Admin routes of tracking plans: CRUD (file plans read-only), rules (replace, upsert,
 * delete, at most 200 per request), revisions with diffs, source connections with their
 * enforcement, and a source's plan. The author of every change is {@link requestActor}.
 */
import type { FastifyInstance } from 'fastify'
import type { PlanService, SourcePlan, TrackingPlan } from '../plans/index.js'
import { requestActor } from './actor.js'
import { parseOrThrow } from './admin-routes.js'
import {
  connectBodySchema,
  revisionParamSchema,
  ruleRefsBodySchema,
} from './tracking-plan-schemas.js'

export interface TrackingPlanRouteDeps {
  plans: PlanService
}

type Params = { Params: { id: string } }
type SourceParams = { Params: { id: string; sourceId: string } }

const BASE = '/api/v1/tracking-plans'

function connection(link: SourcePlan) {
  return { sourceId: link.sourceId, planId: link.planId, enforcement: link.enforcement }
}

function summary(plan: TrackingPlan) {
  const { rules, ...rest } = plan
  return { ...rest, ruleCount: rules.length }
}

export function registerTrackingPlanRoutes(
  app: FastifyInstance,
  deps: TrackingPlanRouteDeps,
): void {
  const { plans } = deps

  app.get(BASE, async () => ({ data: (await plans.list()).map(summary) }))
  app.post(BASE, async (req, reply) =>
    reply.code(201).send(await plans.create(req.body, requestActor(req))),
  )
  app.get<Params>(`${BASE}/:id`, (req) => plans.get(req.params.id))
  app.patch<Params>(`${BASE}/:id`, (req) =>
    plans.update(req.params.id, req.body, requestActor(req)),
  )
  app.delete<Params>(`${BASE}/:id`, async (req, reply) => {
    await plans.remove(req.params.id)
    return reply.code(204).send()
  })

  app.get<Params>(`${BASE}/:id/rules`, async (req) => {
    const plan = await plans.get(req.params.id)
    return { planId: plan.id, revision: plan.revision, data: plan.rules }
  })
  app.put<Params>(`${BASE}/:id/rules`, async (req) =>
    rulesOf(await plans.replaceRules(req.params.id, req.body, requestActor(req))),
  )
  app.post<Params>(`${BASE}/:id/rules`, async (req) =>
    rulesOf(await plans.upsertRules(req.params.id, req.body, requestActor(req))),
  )
  app.delete<Params>(`${BASE}/:id/rules`, async (req) => {
    const body = parseOrThrow(ruleRefsBodySchema, req.body)
    return rulesOf(await plans.deleteRules(req.params.id, body.rules, requestActor(req)))
  })

  app.get<Params>(`${BASE}/:id/revisions`, async (req) => ({
    data: (await plans.revisions(req.params.id)).map(({ rules, ...rest }) => ({
      ...rest,
      ruleCount: rules.length,
    })),
  }))
  app.get<{ Params: { id: string; revision: string } }>(`${BASE}/:id/revisions/:revision`, (req) =>
    plans.revision(req.params.id, parseOrThrow(revisionParamSchema, req.params.revision)),
  )

  app.get<Params>(`${BASE}/:id/sources`, async (req) => ({
    data: (await plans.sources(req.params.id)).map(connection),
  }))
  app.post<Params>(`${BASE}/:id/sources`, async (req, reply) => {
    const body = parseOrThrow(connectBodySchema, req.body)
    const link = await plans.connect(req.params.id, body.sourceId, body.enforcement)
    return reply.code(201).send(connection(link))
  })
  app.patch<SourceParams>(`${BASE}/:id/sources/:sourceId`, async (req) =>
    connection(await plans.updateEnforcement(req.params.id, req.params.sourceId, req.body)),
  )
  app.delete<SourceParams>(`${BASE}/:id/sources/:sourceId`, async (req, reply) => {
    await plans.disconnect(req.params.id, req.params.sourceId)
    return reply.code(204).send()
  })

  app.get<Params>('/api/v1/sources/:id/tracking-plan', async (req) => {
    const { plan, enforcement } = await plans.planOfSource(req.params.id)
    return { sourceId: req.params.id, enforcement, plan }
  })
}

function rulesOf(plan: TrackingPlan) {
  return { planId: plan.id, revision: plan.revision, data: plan.rules }
}
