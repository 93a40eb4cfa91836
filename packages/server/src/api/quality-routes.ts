import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import {
  BUCKETS,
  fromAlertRule,
  parseWindow,
  QUALITY_METRICS,
  type AlertRule,
  type QualityService,
} from '../quality/index.js'
import { requestActor } from './actor.js'
import { parseOrThrow } from './admin-routes.js'

/** An ISO-8601 date or epoch milliseconds, as epoch ms. */
const time = z.string().transform((value, ctx) => {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value)
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: 'expected an ISO-8601 date or epoch milliseconds' })
    return z.NEVER
  }
  return ms
})

const duration = z.string().transform((value, ctx) => {
  const ms = parseWindow(value)
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: 'expected a duration such as 15m, 24h or 7d' })
    return z.NEVER
  }
  return ms
})

export const summaryQuerySchema = z.strictObject({
  source: z.string().min(1).optional(),
  range: duration.default(86_400_000).refine((ms) => ms <= 90 * 86_400_000, 'at most 90d'),
})

export const seriesQuerySchema = z.strictObject({
  metric: z.enum(QUALITY_METRICS),
  source: z.string().min(1).optional(),
  event: z.string().min(1).optional(),
  bucket: z.enum(['minute', 'hour', 'day']).default('hour'),
  from: time.optional(),
  to: time.optional(),
})

export const incidentsQuerySchema = z.strictObject({
  status: z.enum(['open', 'resolved']).optional(),
  rule: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
})

export interface QualityRouteDeps {
  quality: QualityService
  now: () => number
}

type Params = { Params: { id: string } }

const ruleJson = (rule: AlertRule, managed: boolean) => ({ ...fromAlertRule(rule), managed })

/**
 * Data-quality admin routes under `/api/v1/quality`: summary, series with anomaly flags,
 * alert rules (read-only when the config file manages them) and incidents.
 */
export function registerQualityRoutes(api: FastifyInstance, deps: QualityRouteDeps): void {
  const { quality } = deps
  api.get('/api/v1/quality/summary', async (request) => {
    const q = parseOrThrow(summaryQuerySchema, request.query)
    return quality.summary({ sourceId: q.source, rangeMs: q.range })
  })

  api.get('/api/v1/quality/series', async (request) => {
    const q = parseOrThrow(seriesQuerySchema, request.query)
    const bucketMs = BUCKETS[q.bucket]
    const to = q.to ?? deps.now()
    const from = q.from ?? to - 24 * BUCKETS.hour
    const points = await quality.series({
      metric: q.metric,
      sourceId: q.source,
      event: q.event,
      bucketMs,
      from,
      to,
    })
    return {
      metric: q.metric,
      source: q.source ?? null,
      event: q.event ?? null,
      bucket: q.bucket,
      data: points,
    }
  })

  api.get('/api/v1/quality/alerts', async () => {
    const rules = await quality.rules.list()
    return {
      data: rules.map((r) => ruleJson(r, quality.rules.managed)),
      managed: quality.rules.managed,
    }
  })
  api.get<Params>('/api/v1/quality/alerts/:id', async (request) =>
    ruleJson(await quality.rules.get(request.params.id), quality.rules.managed),
  )
  api.post('/api/v1/quality/alerts', async (request, reply) => {
    const rule = await quality.rules.create(request.body)
    return reply.code(201).send(ruleJson(rule, false))
  })
  api.put<Params>('/api/v1/quality/alerts/:id', async (request) =>
    ruleJson(await quality.rules.update(request.params.id, request.body), false),
  )
  api.delete<Params>('/api/v1/quality/alerts/:id', async (request, reply) => {
    await quality.rules.delete(request.params.id)
    return reply.code(204).send()
  })

  api.get('/api/v1/quality/incidents', async (request) => {
    const q = parseOrThrow(incidentsQuerySchema, request.query)
    const data = await quality.incidents({
      limit: q.limit,
      ...(q.status === undefined ? {} : { status: q.status }),
      ...(q.rule === undefined ? {} : { ruleId: q.rule }),
    })
    return { data }
  })
  api.get<Params>('/api/v1/quality/incidents/:id', async (request) =>
    quality.incident(request.params.id),
  )
  api.post<Params>('/api/v1/quality/incidents/:id/ack', async (request) =>
    quality.ack(request.params.id, requestActor(request)),
  )
}
