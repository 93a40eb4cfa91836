/**
 * Admin routes of destinations: CRUD (read-only when the config file manages them), the
 * catalog, delivery status and metrics, dead letters with replay, backfills, error samples,
 * the event tester, filter previews, and where one event went.
 */
import type { FastifyInstance } from 'fastify'
import {
  compileFilters,
  destinationFilterSchema,
  DestinationErrors,
  latencyQuantile,
  sumStats,
  type DeliveryCounts,
  type CatalogRegistry,
  type DeliveryAdmin,
  type DestinationKind,
  type DestinationService,
  type EngineDestinationStatus,
  type KindResolver,
  validateDestination,
} from '../destinations/index.js'
import type { RoutePolicy } from '../consent/index.js'
import type { Clock } from '../platform/clock.js'
import { parseOrThrow } from './admin-routes.js'
import {
  backfillBodySchema,
  catalogQuerySchema,
  deadLetterQuerySchema,
  deadLetterSelectorSchema,
  filterPreviewSchema,
  metricsQuerySchema,
  testBodySchema,
} from './destination-schemas.js'
import type { TestResult } from './destination-tester.js'
import { traceDeliveries } from './destination-trace.js'
import type { DestinationConfig } from '../destinations/index.js'

export interface DestinationRouteDeps {
  destinations: DestinationService
  admin: DeliveryAdmin
  kinds: { resolve: KindResolver; builtins: readonly DestinationKind[]; catalog: CatalogRegistry }
  /** Last known state of every lane. */
  status: () => EngineDestinationStatus[]
  eventsHead: () => Promise<number>
  /** Ends the engine's idle waits (after a replay or a backfill was queued). */
  poke: () => void
  test: (config: DestinationConfig, event: Record<string, unknown>) => Promise<TestResult>
  clock: Clock
  /** What routing uses besides the destination (consent mode, people indexes); default Segment's. */
  routePolicy?: RoutePolicy
}

type Params = { Params: { id: string } }
const HOUR = 3_600_000

function totals(rows: readonly DeliveryCounts[]) {
  const { latency, ...sum } = sumStats(rows)
  return { ...sum, ...percentiles(latency) }
}

function percentiles(latency: number[]) {
  const q = (p: number) => {
    const v = latencyQuantile(latency, p)
    return v === null ? null : Number.isFinite(v) ? v : null
  }
  return { latencyP50Ms: q(0.5), latencyP95Ms: q(0.95), latencyP99Ms: q(0.99) }
}

export function registerDestinationRoutes(app: FastifyInstance, deps: DestinationRouteDeps): void {
  const { destinations, admin } = deps
  const requireDestination = async (id: string) => (await destinations.get(id)).config

  async function withStatus(record: Awaited<ReturnType<DestinationService['get']>>) {
    const head = await deps.eventsHead()
    const status = deps.status().find((s) => s.destinationId === record.config.id)
    return {
      ...record,
      managed: destinations.managed,
      status: status
        ? {
            state: status.state,
            problem: status.problem ?? null,
            cursor: status.cursor ?? null,
            lag: status.cursor === undefined ? null : Math.max(0, head - status.cursor),
            backoff: status.backoff ?? null,
          }
        : { state: 'starting', problem: null, cursor: null, lag: null, backoff: null },
    }
  }

  app.get('/api/v1/destinations', async () => ({
    managed: destinations.managed,
    data: await Promise.all((await destinations.list()).map(withStatus)),
  }))
  app.get<Params>('/api/v1/destinations/:id', async (req) =>
    withStatus(await destinations.get(req.params.id)),
  )
  app.post('/api/v1/destinations', async (req, reply) => {
    const record = await destinations.create(req.body)
    return reply.code(201).send(await withStatus(record))
  })
  app.put<Params>('/api/v1/destinations/:id', async (req) =>
    withStatus(await destinations.replace(req.params.id, req.body)),
  )
  app.delete<Params>('/api/v1/destinations/:id', async (req, reply) => {
    await destinations.remove(req.params.id)
    return reply.code(204).send()
  })
  app.post('/api/v1/destinations/validate', async (req) => ({
    problems: await destinations.check(req.body),
  }))

  app.get('/api/v1/catalog', (req) => {
    const query = parseOrThrow(catalogQuerySchema, req.query)
    const needle = query.q?.toLowerCase() ?? ''
    const builtins = deps.kinds.builtins.map((k) => ({
      type: k.type,
      name: k.title,
      description: k.description,
      builtin: true,
    }))
    const catalog = deps.kinds.catalog.list().map((e) => ({
      type: e.slug,
      name: e.name,
      description: e.description ?? '',
      builtin: false,
    }))
    const data = [...builtins, ...catalog].filter(
      (e) => needle === '' || `${e.type} ${e.name}`.toLowerCase().includes(needle),
    )
    return { data: data.slice(0, query.limit), total: data.length }
  })
  app.get<{ Params: { type: string } }>('/api/v1/catalog/:type', async (req) => {
    const kind = await deps.kinds.resolve(req.params.type)
    if (!kind) throw DestinationErrors.unknownType()
    const builtin = deps.kinds.builtins.some((k) => k.type === kind.type)
    const entry = builtin ? null : deps.kinds.catalog.entry(req.params.type)
    return {
      type: kind.type,
      name: kind.title,
      description: kind.description,
      builtin,
      settingsSchema: kind.settings.jsonSchema,
      secrets: kind.settings.secrets,
      maxBatchSize: kind.maxBatchSize,
      usesSubscriptions: kind.usesSubscriptions,
      actions: entry?.actions ?? [],
      presets: entry?.presets ?? [],
    }
  })

  app.get<Params>('/api/v1/destinations/:id/metrics', async (req) => {
    await requireDestination(req.params.id)
    const query = parseOrThrow(metricsQuerySchema, req.query)
    const until = query.until ?? deps.clock.now() + 60_000
    const since = query.since ?? until - 24 * HOUR
    const rows = await admin.stats(req.params.id, since, until)
    return {
      since,
      until,
      totals: totals(rows),
      minutes: rows.map((r) => ({
        minute: r.minute,
        delivered: r.delivered,
        retried: r.retried,
        failed: r.failed,
        filtered: r.filtered,
        filteredConsent: r.filteredConsent,
        filteredPreference: r.filteredPreference,
        filteredRestriction: r.filteredRestriction,
        deadLettered: r.deadLettered,
        ...percentiles(r.latency),
      })),
    }
  })
  app.get<Params>('/api/v1/destinations/:id/errors', async (req) => {
    await requireDestination(req.params.id)
    return { data: await admin.recentErrors(req.params.id, 50) }
  })
  app.get<Params>('/api/v1/destinations/:id/dead-letters', async (req) => {
    await requireDestination(req.params.id)
    const q = parseOrThrow(deadLetterQuerySchema, req.query)
    return admin.deadLetters(req.params.id, {
      limit: q.limit,
      pendingOnly: q.includeReplayed !== 'true',
      ...(q.from === undefined ? {} : { from: q.from }),
      ...(q.to === undefined ? {} : { to: q.to }),
      ...(q.errorCode === undefined ? {} : { errorCode: q.errorCode }),
      ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
    })
  })
  app.post<Params>('/api/v1/destinations/:id/dead-letters/replay', async (req) => {
    await requireDestination(req.params.id)
    const selector = parseOrThrow(deadLetterSelectorSchema, req.body ?? {})
    const replayed = await admin.replayDeadLetters(req.params.id, selector, deps.clock.now())
    deps.poke()
    return { replayed }
  })
  app.post<Params>('/api/v1/destinations/:id/dead-letters/delete', async (req) => {
    await requireDestination(req.params.id)
    const selector = parseOrThrow(deadLetterSelectorSchema, req.body ?? {})
    return { deleted: await admin.deleteDeadLetters(req.params.id, selector) }
  })
  app.get<Params>('/api/v1/destinations/:id/backfills', async (req) => {
    await requireDestination(req.params.id)
    return { data: await admin.backfills(req.params.id) }
  })
  app.post<Params>('/api/v1/destinations/:id/backfills', async (req, reply) => {
    await requireDestination(req.params.id)
    const body = parseOrThrow(backfillBodySchema, req.body)
    const backfill = await admin.createBackfill(req.params.id, body, deps.clock.now())
    deps.poke()
    return reply.code(201).send(backfill)
  })
  app.post<Params>('/api/v1/destinations/:id/test', async (req) => {
    const body = parseOrThrow(testBodySchema, req.body)
    let config: DestinationConfig
    if (body.destination) {
      const valid = await validateDestination(
        { ...body.destination, id: req.params.id },
        deps.kinds.resolve,
      )
      if (!valid.ok) {
        throw DestinationErrors.invalid(valid.problems.join('; '), {
          details: { problems: valid.problems },
        })
      }
      config = valid.config
    } else {
      const all = await destinations.configs()
      const found = all.find((c) => c.id === req.params.id)
      if (!found) throw DestinationErrors.notFound()
      config = found
    }
    return deps.test(config, body.event)
  })
  app.post('/api/v1/destinations/filters/preview', (req) => {
    const body = parseOrThrow(filterPreviewSchema, req.body)
    const filters = body.filters.map((f, i) => {
      const parsed = destinationFilterSchema.safeParse(f)
      if (!parsed.success) {
        throw DestinationErrors.invalidRequest(
          `filters.${i}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
        )
      }
      return { ...parsed.data, id: parsed.data.id ?? `filter-${i + 1}` }
    })
    const compiled = compileFilters(filters)
    const json = JSON.stringify(body.event)
    const decision = compiled.apply({
      seq: 0,
      messageId: typeof body.event.messageId === 'string' ? body.event.messageId : 'preview',
      sourceId: 'preview',
      receivedAt: deps.clock.now(),
      event: body.event as never,
      json,
    })
    return 'dropped' in decision
      ? { kept: false, reason: decision.dropped, problems: compiled.problems }
      : { kept: true, event: decision.kept.event, problems: compiled.problems }
  })
  app.get<{ Params: { messageId: string } }>('/api/v1/events/:messageId/deliveries', async (req) =>
    traceDeliveries({
      messageId: req.params.messageId,
      admin,
      configs: await destinations.configs(),
      kinds: deps.kinds.resolve,
      ...(deps.routePolicy === undefined ? {} : { policy: deps.routePolicy }),
    }),
  )
}
