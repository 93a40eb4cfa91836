import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { decodeCursor, encodeCursor } from '../events/index.js'
import {
  QUARANTINE_STATUSES,
  QuarantineErrors,
  toLogRecord,
  VIOLATION_TYPES,
  type PlanStatsRow,
  type QuarantinedEvent,
  type QuarantineFilter,
  type QuarantineStore,
  type ViolationGroup,
} from '../plans/index.js'
import type { Clock } from '../platform/clock.js'
import { SourcesErrors, type SourceService } from '../sources/index.js'
import { parseOrThrow } from './admin-routes.js'
import { limit, time } from './query-schemas.js'

/** Most events one replay call appends. */
export const MAX_REPLAY = 10_000

/** Segment's violation windows. */
const WINDOWS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const

const filterShape = {
  sourceId: z.string().min(1).optional(),
  event: z.string().min(1).optional(),
  violationType: z.enum(VIOLATION_TYPES).optional(),
  status: z.enum(QUARANTINE_STATUSES).optional(),
  since: time.optional(),
  until: time.optional(),
}

export const quarantineQuerySchema = z.strictObject({
  ...filterShape,
  limit: limit(1000, 100),
  cursor: z.string().min(1).optional(),
})

const replayFilterSchema = z.strictObject({
  sourceId: z.string().min(1).optional(),
  event: z.string().min(1).optional(),
  violationType: z.enum(VIOLATION_TYPES).optional(),
  since: z.union([z.number().int(), time]).optional(),
  until: z.union([z.number().int(), time]).optional(),
})

export const replayBodySchema = z.union([
  z.strictObject({ ids: z.array(z.number().int().positive()).min(1) }),
  z.strictObject({
    filter: replayFilterSchema,
    limit: z.number().int().min(1).max(MAX_REPLAY).default(MAX_REPLAY),
  }),
])

export const editBodySchema = z.strictObject({ event: z.record(z.string(), z.unknown()) })
const violationsQuerySchema = z.strictObject({ window: z.enum(['1h', '24h', '7d']).default('24h') })
const statsQuerySchema = z.strictObject({ since: time.optional(), until: time.optional() })

/** What the quarantine and violations routes need. */
export interface QuarantineRouteDeps {
  quarantine: QuarantineStore
  replayer: {
    replay(
      events: readonly QuarantinedEvent[],
    ): Promise<{ replayed: number; failed: Array<{ id: number; code: string; reason: string }> }>
  }
  sources: SourceService
  clock: Clock
  /** Waits until the store reflects every acknowledged event (bounded). */
  catchUp: () => Promise<void>
}

const iso = (ms: number): string => new Date(ms).toISOString()

export function quarantinedToJson(e: QuarantinedEvent) {
  let event: unknown = e.payload
  try {
    event = JSON.parse(e.payload)
  } catch {
    // A payload that is not JSON is shown as the text it is.
  }
  return {
    id: String(e.id),
    sourceId: e.sourceId,
    messageId: e.messageId,
    receivedAt: iso(e.receivedAt),
    type: e.type,
    name: e.name,
    event,
    violations: e.violations,
    step: e.step,
    planId: e.planId,
    planRevision: e.planRevision,
    status: e.status,
    quarantinedAt: iso(e.quarantinedAt),
    updatedAt: iso(e.updatedAt),
  }
}

function groupToJson(g: ViolationGroup) {
  return { ...g, firstSeen: iso(g.firstSeen), lastSeen: iso(g.lastSeen) }
}

function statsToJson(r: PlanStatsRow) {
  return { ...r, minute: iso(r.minute) }
}

function parseId(raw: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw QuarantineErrors.notFound(undefined, { details: { id: raw } })
  return Number(raw)
}

function toFilter(q: {
  sourceId?: string | undefined
  event?: string | undefined
  violationType?: string | undefined
  status?: (typeof QUARANTINE_STATUSES)[number] | undefined
  since?: number | undefined
  until?: number | undefined
}): QuarantineFilter {
  const filter: QuarantineFilter = {}
  if (q.sourceId !== undefined) filter.sourceId = q.sourceId
  if (q.event !== undefined) filter.eventName = q.event
  if (q.violationType !== undefined) filter.violationType = q.violationType
  if (q.status !== undefined) filter.status = q.status
  if (q.since !== undefined) filter.since = q.since
  if (q.until !== undefined) filter.until = q.until
  return filter
}

function decodeQuarantineCursor(cursor: string): number {
  try {
    return decodeCursor(cursor)
  } catch {
    throw QuarantineErrors.invalidCursor()
  }
}

async function loadOpen(deps: QuarantineRouteDeps, id: number): Promise<QuarantinedEvent> {
  const event = await deps.quarantine.get(id)
  if (!event) throw QuarantineErrors.notFound(undefined, { details: { id: String(id) } })
  if (event.status !== 'quarantined') {
    throw QuarantineErrors.notQuarantined(undefined, {
      details: { id: String(id), status: event.status },
    })
  }
  return event
}

/** The events a replay call names: by ids (each must exist), or by filter up to `limit`. */
async function replayTargets(
  deps: QuarantineRouteDeps,
  body: z.infer<typeof replayBodySchema>,
): Promise<QuarantinedEvent[]> {
  if ('ids' in body) {
    if (body.ids.length > MAX_REPLAY) throw QuarantineErrors.tooMany()
    const events: QuarantinedEvent[] = []
    for (const id of new Set(body.ids)) events.push(await loadOpen(deps, id))
    return events
  }
  const filter = { ...toFilter(body.filter), status: 'quarantined' as const }
  const events: QuarantinedEvent[] = []
  let after: number | undefined
  while (events.length < body.limit) {
    const page = await deps.quarantine.list(filter, {
      limit: Math.min(1000, body.limit - events.length),
      ...(after === undefined ? {} : { after }),
    })
    events.push(...page.data)
    if (page.next === null) break
    after = page.next
  }
  // Oldest first, so events are appended in the order they were received.
  return events.reverse()
}

/**
 * Quarantine (`/api/v1/quarantine`: list, get, edit, replay, discard) and violations
 * (`/api/v1/sources/:id/violations`, `/api/v1/sources/:id/plan-stats`).
 */
export function registerQuarantineRoutes(app: FastifyInstance, deps: QuarantineRouteDeps): void {
  app.get('/api/v1/quarantine', async (request) => {
    const { limit: size, cursor, ...query } = parseOrThrow(quarantineQuerySchema, request.query)
    await deps.catchUp()
    const page = await deps.quarantine.list(toFilter(query), {
      limit: size,
      ...(cursor ? { after: decodeQuarantineCursor(cursor) } : {}),
    })
    return {
      data: page.data.map(quarantinedToJson),
      next: page.next === null ? null : encodeCursor(page.next),
    }
  })

  app.get<{ Params: { id: string } }>('/api/v1/quarantine/:id', async (request) => {
    await deps.catchUp()
    const event = await deps.quarantine.get(parseId(request.params.id))
    if (!event) throw QuarantineErrors.notFound(undefined, { details: { id: request.params.id } })
    return quarantinedToJson(event)
  })

  app.patch<{ Params: { id: string } }>('/api/v1/quarantine/:id', async (request) => {
    const { event: edited } = parseOrThrow(editBodySchema, request.body)
    const current = await loadOpen(deps, parseId(request.params.id))
    // The edit fixes content; the event keeps its identity.
    const payload = JSON.stringify({ ...edited, messageId: current.messageId })
    const check = toLogRecord(payload, {
      sourceId: current.sourceId,
      receivedAt: current.receivedAt,
    })
    if (!check.ok) {
      throw QuarantineErrors.invalidEvent(`The edited event is not valid: ${check.reason}`, {
        details: { cause: check.code },
      })
    }
    const { type, name } = check.record
    const updated = await deps.quarantine.edit(
      current.id,
      { payload, type, name },
      deps.clock.now(),
    )
    if (!updated) {
      throw QuarantineErrors.notQuarantined(undefined, { details: { id: request.params.id } })
    }
    return quarantinedToJson(updated)
  })

  app.post('/api/v1/quarantine/replay', async (request) => {
    const body = parseOrThrow(replayBodySchema, request.body)
    await deps.catchUp()
    const targets = await replayTargets(deps, body)
    const result = await deps.replayer.replay(targets)
    return {
      replayed: result.replayed,
      failed: result.failed.map((f) => ({ ...f, id: String(f.id) })),
    }
  })

  app.delete<{ Params: { id: string } }>('/api/v1/quarantine/:id', async (request, reply) => {
    const current = await loadOpen(deps, parseId(request.params.id))
    await deps.quarantine.setStatus([current.id], 'discarded', deps.clock.now())
    return reply.code(204).send()
  })

  app.get<{ Params: { id: string } }>('/api/v1/sources/:id/violations', async (request) => {
    const { window } = parseOrThrow(violationsQuerySchema, request.query)
    if (!deps.sources.get(request.params.id)) {
      throw SourcesErrors.notFound(undefined, { details: { id: request.params.id } })
    }
    await deps.catchUp()
    const since = deps.clock.now() - WINDOWS[window]
    const groups = await deps.quarantine.violations(request.params.id, since)
    return { window, since: iso(since), data: groups.map(groupToJson) }
  })

  app.get<{ Params: { id: string } }>('/api/v1/sources/:id/plan-stats', async (request) => {
    const query = parseOrThrow(statsQuerySchema, request.query)
    if (!deps.sources.get(request.params.id)) {
      throw SourcesErrors.notFound(undefined, { details: { id: request.params.id } })
    }
    await deps.catchUp()
    const until = query.until ?? deps.clock.now() + 60_000
    const since = query.since ?? until - 61 * 60_000
    const rows = await deps.quarantine.planStats(request.params.id, since, until)
    return { data: rows.map(statsToJson) }
  })
}
