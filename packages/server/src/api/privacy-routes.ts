/**
 * Admin routes of privacy: the PII field inventory (JSON or CSV), the matchers and rules in
 * force, a classifier try-out, and a source's observed schema with a tracking plan drafted
 * from it. Reads only; values of events are never returned (the inventory holds none), nor the
 * salt of the `hash` action.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import {
  draftPlan,
  observedSchema,
  PII_CLASSES,
  PrivacyErrors,
  walkFields,
  type FieldFilter,
  type FieldInventoryStore,
  type FieldRow,
  type PiiClassifier,
  type PiiDetection,
  type PiiRule,
} from '../privacy/index.js'
import { parseOrThrow } from './admin-routes.js'

export interface PrivacyRouteDeps {
  inventory: FieldInventoryStore
  /** The classifier in force (defaults plus the configured custom matchers). */
  classifier: () => PiiClassifier
  /** The PII rules of the current config (`privacy.pii.rules`), in config order. */
  rules: () => readonly PiiRule[]
  /** A source's name, or null when no source has this id. */
  sourceName: (id: string) => string | null
}

/** Rows of one CSV export at most. */
const CSV_LIMIT = 100_000
/** Rows read per store query when a whole source is read. */
const PAGE = 5_000
/** Inventory rows read for one source's schema at most (4,000 events × their fields, bounded). */
const SCHEMA_LIMIT = 200_000

const inventoryQuerySchema = z.strictObject({
  source: z.string().min(1).optional(),
  type: z.string().min(1).optional(),
  event: z.string().optional(),
  class: z.enum([...PII_CLASSES, 'none', 'pii', 'all']).default('pii'),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
  cursor: z.string().optional(),
  format: z.enum(['json', 'csv']).optional(),
  access_token: z.string().optional(),
})

const classifyBodySchema = z.strictObject({
  payload: z.record(z.string(), z.unknown()),
})

const iso = (ms: number): string => new Date(ms).toISOString()

/**
 * A rule as the API shows it, with where it acts: global rules in the store step before
 * storing (`stage: 'ingest'`), per-destination ones in those destinations' delivery lanes
 * (`stage: 'delivery'`).
 */
const ruleToJson = (rule: PiiRule) => ({
  class: rule.class,
  action: rule.action,
  scope: rule.destinations === undefined ? 'global' : 'destinations',
  destinations: rule.destinations === undefined ? null : [...rule.destinations],
  stage: rule.destinations === undefined ? 'ingest' : 'delivery',
})

function encodeCursor(row: FieldRow): string {
  return Buffer.from(
    JSON.stringify([row.sourceId, row.eventType, row.eventName, row.path]),
  ).toString('base64url')
}

function decodeCursor(cursor: string): readonly [string, string, string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(value) && value.length === 4 && value.every((v) => typeof v === 'string')) {
      return value as [string, string, string, string]
    }
  } catch {
    // reported below
  }
  throw PrivacyErrors.invalidCursor()
}

const rowToJson = (r: FieldRow) => ({
  sourceId: r.sourceId,
  eventType: r.eventType,
  event: r.eventName,
  field: r.path,
  class: r.piiClass,
  kind: r.piiKind,
  types: r.types,
  count: r.count,
  firstSeen: iso(r.firstSeen),
  lastSeen: iso(r.lastSeen),
})

function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value)
  // A leading =, +, - or @ would run as a formula in a spreadsheet: quote it behind a '.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text
  return /[",\n\r]/.test(safe) || safe !== text ? `"${safe.replaceAll('"', '""')}"` : safe
}

function toCsv(rows: readonly FieldRow[]): string {
  const header = 'source_id,event_type,event,field,class,kind,types,count,first_seen,last_seen'
  const lines = rows.map((r) =>
    [
      r.sourceId,
      r.eventType,
      r.eventName,
      r.path,
      r.piiClass,
      r.piiKind,
      Object.keys(r.types).join('|'),
      r.count,
      iso(r.firstSeen),
      iso(r.lastSeen),
    ]
      .map(csvCell)
      .join(','),
  )
  return `${[header, ...lines].join('\n')}\n`
}

function wantsCsv(request: FastifyRequest, format: 'json' | 'csv' | undefined): boolean {
  if (format !== undefined) return format === 'csv'
  return (request.headers.accept ?? '').includes('text/csv')
}

async function readAll(
  store: FieldInventoryStore,
  filter: Omit<FieldFilter, 'limit' | 'after'>,
  max: number,
): Promise<FieldRow[]> {
  const out: FieldRow[] = []
  let after: FieldFilter['after']
  while (out.length < max) {
    const page = await store.fields({
      ...filter,
      limit: Math.min(PAGE, max - out.length),
      ...(after ? { after } : {}),
    })
    out.push(...page)
    const last = page[page.length - 1]
    if (!last || page.length < PAGE) break
    after = [last.sourceId, last.eventType, last.eventName, last.path]
  }
  return out
}

function requireSource(deps: PrivacyRouteDeps, id: string): string {
  const name = deps.sourceName(id)
  if (name === null) throw PrivacyErrors.sourceNotFound(undefined, { details: { id } })
  return name
}

function classifyPayload(classifier: PiiClassifier, payload: Record<string, unknown>) {
  const found = new Map<string, PiiDetection>()
  walkFields(payload, (path, value, type) => {
    if (type === 'object' || type === 'array') return
    const detection = classifier.classify(path, value)
    const field = path.join('.')
    const prev = found.get(field)
    if (
      detection &&
      (!prev || PII_CLASSES.indexOf(detection.class) < PII_CLASSES.indexOf(prev.class))
    ) {
      found.set(field, detection)
    }
  })
  return [...found].map(([field, d]) => ({
    field,
    kind: d.kind,
    class: d.class,
    by: d.by,
    matcher: d.matcher,
  }))
}

export function registerPrivacyRoutes(app: FastifyInstance, deps: PrivacyRouteDeps): void {
  app.get('/api/v1/privacy/inventory', async (request, reply: FastifyReply) => {
    const query = parseOrThrow(inventoryQuerySchema, request.query)
    const filter: Omit<FieldFilter, 'limit' | 'after'> = {
      ...(query.source !== undefined ? { sourceId: query.source } : {}),
      ...(query.type !== undefined ? { eventType: query.type } : {}),
      ...(query.event !== undefined ? { eventName: query.event } : {}),
      ...(query.class === 'pii'
        ? { piiOnly: true }
        : query.class === 'all'
          ? {}
          : { piiClass: query.class }),
    }
    if (wantsCsv(request, query.format)) {
      const rows = await readAll(deps.inventory, filter, CSV_LIMIT)
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="pii-inventory.csv"')
        .send(toCsv(rows))
    }
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor)
    const rows = await deps.inventory.fields({
      ...filter,
      limit: query.limit + 1,
      ...(after ? { after } : {}),
    })
    const page = rows.slice(0, query.limit)
    const last = page[page.length - 1]
    return {
      data: page.map(rowToJson),
      next: rows.length > query.limit && last ? encodeCursor(last) : null,
    }
  })

  app.get('/api/v1/privacy/matchers', () => ({ data: deps.classifier().matchers() }))

  app.get('/api/v1/privacy/rules', () => ({ data: deps.rules().map(ruleToJson) }))

  app.post('/api/v1/privacy/classify', (request) => {
    const body = parseOrThrow(classifyBodySchema, request.body)
    return { data: classifyPayload(deps.classifier(), body.payload) }
  })

  app.get<{ Params: { id: string } }>('/api/v1/sources/:id/schema', async (request) => {
    const id = request.params.id
    requireSource(deps, id)
    const [events, fields] = await Promise.all([
      deps.inventory.events({ sourceId: id }),
      readAll(deps.inventory, { sourceId: id }, SCHEMA_LIMIT),
    ])
    return {
      sourceId: id,
      events: observedSchema(events, fields).map((e) => ({
        ...e,
        firstSeen: iso(e.firstSeen),
        lastSeen: iso(e.lastSeen),
        properties: e.properties.map((p) => ({
          ...p,
          firstSeen: iso(p.firstSeen),
          lastSeen: iso(p.lastSeen),
        })),
      })),
    }
  })

  app.post<{ Params: { id: string } }>('/api/v1/sources/:id/schema/draft-plan', async (request) => {
    const id = request.params.id
    const name = requireSource(deps, id)
    const [events, fields] = await Promise.all([
      deps.inventory.events({ sourceId: id }),
      readAll(deps.inventory, { sourceId: id }, SCHEMA_LIMIT),
    ])
    return draftPlan(name, events, fields)
  })
}
