import type { FastifyInstance } from 'fastify'
import type { z } from 'zod'
import type { EventQuery } from '../events/index.js'
import type { Clock } from '../platform/clock.js'
import { SourcesErrors, type SourceService } from '../sources/index.js'
import { ApiErrors } from './errors.js'
import {
  createSourceSchema,
  eventsQuerySchema,
  rejectedQuerySchema,
  rotateKeySchema,
  statsQuerySchema,
  updateSourceSchema,
} from './query-schemas.js'
import { rejectionToJson, sourceToJson, statsRowToJson, storedEventToJson } from './serialize.js'

/** Parses with zod; a failure becomes API_INVALID_REQUEST listing every issue. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issues = result.error.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message: i.message,
  }))
  throw ApiErrors.invalidRequest(
    issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; '),
    {
      details: { issues },
    },
  )
}

export interface AdminRouteDeps {
  sources: SourceService
  eventQuery: EventQuery
  clock: Clock
  writeKeyGraceSeconds: () => number
  /**
   * Resolves once the store reflects every event acknowledged before the call (it waits for
   * the pipeline, up to a bound), so a query right after a 200 sees that event.
   */
  catchUp: () => Promise<void>
}

/** Sources CRUD and write-key rotation under `/api/v1/sources`. */
export function registerSourceRoutes(app: FastifyInstance, deps: AdminRouteDeps): void {
  app.get('/api/v1/sources', () => ({ data: deps.sources.list().map(sourceToJson) }))

  app.post('/api/v1/sources', async (request, reply) => {
    const input = parseOrThrow(createSourceSchema, request.body)
    const source = await deps.sources.create(input)
    return reply.code(201).send(sourceToJson(source))
  })

  app.get<{ Params: { id: string } }>('/api/v1/sources/:id', (request) => {
    const source = deps.sources.get(request.params.id)
    if (!source) throw SourcesErrors.notFound(undefined, { details: { id: request.params.id } })
    return sourceToJson(source)
  })

  app.patch<{ Params: { id: string } }>('/api/v1/sources/:id', async (request) => {
    const input = parseOrThrow(updateSourceSchema, request.body)
    return sourceToJson(await deps.sources.update(request.params.id, input))
  })

  app.delete<{ Params: { id: string } }>('/api/v1/sources/:id', async (request, reply) => {
    await deps.sources.delete(request.params.id)
    return reply.code(204).send()
  })

  app.post<{ Params: { id: string } }>('/api/v1/sources/:id/rotate-write-key', async (request) => {
    const input = parseOrThrow(rotateKeySchema, request.body ?? {})
    const grace = input.graceSeconds ?? deps.writeKeyGraceSeconds()
    return sourceToJson(await deps.sources.rotateWriteKey(request.params.id, grace))
  })
}

/** Events, rejected events and ingest statistics under `/api/v1`. */
export function registerEventRoutes(app: FastifyInstance, deps: AdminRouteDeps): void {
  app.get('/api/v1/events', async (request) => {
    const { limit, cursor, ...filter } = parseOrThrow(eventsQuerySchema, request.query)
    await deps.catchUp()
    const page = await deps.eventQuery.events(filter, { limit, ...(cursor ? { cursor } : {}) })
    return { data: page.data.map(storedEventToJson), next: page.next }
  })

  app.get('/api/v1/rejected-events', async (request) => {
    const { limit, cursor, ...filter } = parseOrThrow(rejectedQuerySchema, request.query)
    await deps.catchUp()
    const page = await deps.eventQuery.rejected(filter, { limit, ...(cursor ? { cursor } : {}) })
    return { data: page.data.map(rejectionToJson), next: page.next }
  })

  app.get('/api/v1/stats/ingest', async (request) => {
    const query = parseOrThrow(statsQuerySchema, request.query)
    await deps.catchUp()
    const until = query.until ?? deps.clock.now() + 60_000
    const since = query.since ?? until - 61 * 60_000
    const rows = await deps.eventQuery.stats({
      since,
      until,
      ...(query.sourceId ? { sourceId: query.sourceId } : {}),
    })
    return { data: rows.map(statsRowToJson) }
  })
}
