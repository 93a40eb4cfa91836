import { Ajv2020 } from 'ajv/dist/2020.js'
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { destinationInputSchema } from '../destinations/index.js'
import { registerDestinationRoutes, type DestinationRouteDeps } from './destination-routes.js'
import { backfillBodySchema, deadLetterSelectorSchema } from './destination-schemas.js'
import { openApiDocument } from './openapi.js'

type Json = Record<string, unknown>
interface Parameter {
  name: string
  in: string
  schema: Json
}
interface Operation {
  tags?: string[]
  operationId?: string
  parameters?: Parameter[]
  requestBody?: { content: { 'application/json': { schema: Json } } }
  responses: Record<string, { content?: { 'application/json': { schema: Json } } }>
}
type PathItem = Record<string, Operation> & { parameters?: Parameter[] }

const doc = openApiDocument() as unknown as { paths: Record<string, PathItem> }

/** Every method and path destination-routes.ts registers, in OpenAPI form (`{param}`). */
async function registeredRoutes(): Promise<string[]> {
  const app = Fastify()
  const routes: string[] = []
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    const path = route.url.replace(/:(\w+)/g, '{$1}')
    for (const method of methods) if (method !== 'HEAD') routes.push(`${method} ${path}`)
  })
  await app.register((api, _options, done) => {
    registerDestinationRoutes(api, {} as DestinationRouteDeps)
    done()
  })
  await app.ready()
  await app.close()
  return routes.sort()
}

/** The operations tagged Destinations, as `METHOD /path` → operation (with its path item). */
function destinationOperations(): Map<string, { op: Operation; item: PathItem; path: string }> {
  const out = new Map<string, { op: Operation; item: PathItem; path: string }>()
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters' || !(op as Operation).tags?.includes('Destinations')) continue
      out.set(`${method.toUpperCase()} ${path}`, { op: op as Operation, item, path })
    }
  }
  return out
}

function operation(key: string): Operation {
  const found = destinationOperations().get(key)
  if (!found) throw new Error(`${key} is not documented`)
  return found.op
}

const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true })
function bodyValidator(key: string) {
  const schema = operation(key).requestBody?.content['application/json'].schema
  if (!schema) throw new Error(`${key} has no JSON request body`)
  return ajv.compile(schema)
}

const webhook = {
  id: 'orders-hook',
  type: 'webhook',
  settings: { url: 'https://example.com/hook' },
  filters: [{ if: 'type = "track"', actions: [{ type: 'sample', percent: 0.5 }] }],
  delivery: { batchSize: 10 },
}

describe('OpenAPI destination paths', () => {
  it('documents exactly the routes destination-routes.ts registers', async () => {
    const registered = await registeredRoutes()
    expect(registered.length).toBeGreaterThanOrEqual(18)
    expect([...destinationOperations().keys()].sort()).toEqual(registered)
  })

  it('gives every operation a unique operationId, a 2xx answer and admin error answers', () => {
    const operations = [...destinationOperations().values()]
    const ids = operations.map(({ op }) => op.operationId)
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
    const allIds = Object.values(doc.paths).flatMap((item) =>
      Object.values(item).flatMap((op) => (op as Operation).operationId ?? []),
    )
    expect(new Set(allIds).size).toBe(allIds.length)
    for (const { op, item, path } of operations) {
      const statuses = Object.keys(op.responses)
      expect(
        statuses.some((s) => /^2\d\d$/.test(s)),
        path,
      ).toBe(true)
      expect(statuses, path).toContain('401')
      for (const status of statuses.filter((s) => /^[45]/.test(s))) {
        const schema = op.responses[status]?.content?.['application/json'].schema as {
          properties: { error: { required: string[] } }
        }
        expect(schema.properties.error.required, `${path} ${status}`).toEqual(['code', 'message'])
      }
      // Every `{param}` of the path is declared as a path parameter.
      const declared = [...(item.parameters ?? []), ...(op.parameters ?? [])]
        .filter((p) => p.in === 'path')
        .map((p) => p.name)
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])
      expect(declared.sort(), path).toEqual(inPath.sort())
    }
  })

  it('uses only valid JSON Schema 2020-12 (OpenAPI 3.1) schemas', () => {
    const text = JSON.stringify([...destinationOperations().values()].map(({ op }) => op))
    expect(text).not.toContain('$schema')
    expect(text).not.toContain('$ref')
    const schemas: Json[] = []
    for (const { op, item } of destinationOperations().values()) {
      for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        schemas.push(p.schema)
      }
      if (op.requestBody) schemas.push(op.requestBody.content['application/json'].schema)
      for (const response of Object.values(op.responses)) {
        if (response.content) schemas.push(response.content['application/json'].schema)
      }
    }
    for (const schema of schemas) expect(() => ajv.compile(schema)).not.toThrow()
  })

  it('request bodies accept a valid destination and reject invalid ones, as zod does', () => {
    const create = bodyValidator('POST /api/v1/destinations')
    const replace = bodyValidator('PUT /api/v1/destinations/{id}')
    const invalid = [
      { ...webhook, id: 'Not Valid' },
      { ...webhook, unknown: true },
      { id: 'no-type' },
      { ...webhook, delivery: { batchSize: 0 } },
      { ...webhook, filters: [{ if: 'all', actions: [] }] },
      { ...webhook, sourceIds: 'all' },
    ]
    expect(create(webhook), JSON.stringify(create.errors)).toBe(true)
    expect(destinationInputSchema.safeParse(webhook).success).toBe(true)
    for (const body of invalid) {
      expect(create(body), JSON.stringify(body)).toBe(false)
      expect(destinationInputSchema.safeParse(body).success).toBe(false)
    }
    const { id: _id, ...withoutId } = webhook
    expect(replace(withoutId)).toBe(true)
    expect(create(withoutId)).toBe(false)
    expect(replace({ ...withoutId, type: '' })).toBe(false)

    const test = bodyValidator('POST /api/v1/destinations/{id}/test')
    expect(test({ event: { type: 'track', event: 'Order Completed' } })).toBe(true)
    expect(test({ event: { type: 'track' }, destination: withoutId })).toBe(true)
    expect(test({ destination: withoutId })).toBe(false)
    expect(test({ event: {}, destination: { ...withoutId, enabled: 'yes' } })).toBe(false)

    const preview = bodyValidator('POST /api/v1/destinations/filters/preview')
    expect(preview({ filters: webhook.filters, event: { type: 'track' } })).toBe(true)
    expect(preview({ filters: [], event: { type: 'track' } })).toBe(false)
    expect(preview({ filters: [{ if: 'all', actions: [{ type: 'keep' }] }], event: {} })).toBe(
      false,
    )
  })

  it('dead-letter and backfill bodies agree with their zod schemas', () => {
    const replay = bodyValidator('POST /api/v1/destinations/{id}/dead-letters/replay')
    const backfill = bodyValidator('POST /api/v1/destinations/{id}/backfills')
    const selectors = [{ ids: [1, 2] }, { errorCode: 'HTTP_500', from: 0 }, {}, { ids: [] }]
    for (const body of [...selectors, { ids: [0] }, { ids: [1], errorCode: 'x' }]) {
      expect(replay(body), JSON.stringify(body)).toBe(
        deadLetterSelectorSchema.safeParse(body).success,
      )
    }
    for (const body of [
      { from: 1, to: 2 },
      { from: 1 },
      { from: -1, to: 2 },
      { from: 1, to: 2, x: 1 },
    ]) {
      expect(backfill(body), JSON.stringify(body)).toBe(backfillBodySchema.safeParse(body).success)
    }
  })

  it('describes what the routes answer', async () => {
    const config = { ...webhook, name: 'Orders', enabled: true, sourceIds: null, subscriptions: [] }
    const parsed = destinationInputSchema.parse(config)
    const stored = {
      ...parsed,
      name: 'Orders',
      filters: [{ ...parsed.filters[0], id: 'filter-1' }],
    }
    const record = { config: stored, createdAt: 1, updatedAt: 2 }
    const app = Fastify()
    registerDestinationRoutes(app, {
      destinations: {
        managed: false,
        list: () => Promise.resolve([record]),
        get: () => Promise.resolve(record),
        check: () => Promise.resolve(['type: unknown']),
      },
      admin: {
        stats: () =>
          Promise.resolve([
            {
              destinationId: 'orders-hook',
              minute: 60_000,
              delivered: 3,
              retried: 1,
              failed: 0,
              filtered: 0,
              filteredConsent: 0,
              filteredPreference: 0,
              filteredRestriction: 0,
              deadLettered: 0,
              latency: [1, 2, 0, 0, 0, 0, 0, 0, 0, 0],
            },
          ]),
        replayDeadLetters: () => Promise.resolve(2),
      },
      kinds: {
        builtins: [{ type: 'webhook', title: 'Webhook', description: 'POST' }],
        catalog: { list: () => [] },
      },
      status: () => [{ destinationId: 'orders-hook', state: 'running', cursor: 4, backoff: null }],
      eventsHead: () => Promise.resolve(9),
      poke: () => undefined,
      clock: { now: () => 120_000 },
    } as unknown as DestinationRouteDeps)
    const calls: Array<[string, string, string, unknown?]> = [
      ['GET /api/v1/destinations', 'GET', '/api/v1/destinations'],
      ['GET /api/v1/destinations/{id}', 'GET', '/api/v1/destinations/orders-hook'],
      ['GET /api/v1/destinations/{id}/metrics', 'GET', '/api/v1/destinations/orders-hook/metrics'],
      ['GET /api/v1/catalog', 'GET', '/api/v1/catalog?q=web'],
      ['POST /api/v1/destinations/validate', 'POST', '/api/v1/destinations/validate', {}],
      [
        'POST /api/v1/destinations/{id}/dead-letters/replay',
        'POST',
        '/api/v1/destinations/orders-hook/dead-letters/replay',
        { ids: [1, 2] },
      ],
      [
        'POST /api/v1/destinations/filters/preview',
        'POST',
        '/api/v1/destinations/filters/preview',
        { filters: [{ if: 'all', actions: [{ type: 'drop' }] }], event: { type: 'track' } },
      ],
    ]
    for (const [key, method, url, payload] of calls) {
      const answer = await app.inject({ method: method as 'GET', url, payload: payload as Json })
      const schema =
        operation(key).responses[String(answer.statusCode)]?.content?.['application/json'].schema
      expect(schema, `${key} answered ${answer.statusCode}: ${answer.body}`).toBeDefined()
      const validate = ajv.compile(schema ?? {})
      expect(validate(answer.json()), `${key}: ${JSON.stringify(validate.errors)}`).toBe(true)
    }
    await app.close()
  })
})
