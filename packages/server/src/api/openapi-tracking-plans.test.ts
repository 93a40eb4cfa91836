import { Ajv2020 } from 'ajv/dist/2020.js'
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { enforcementPatchSchema, planInputSchema } from '../plans/index.js'
import { openApiDocument } from './openapi.js'
import { registerTrackingPlanRoutes, type TrackingPlanRouteDeps } from './tracking-plan-routes.js'
import { ruleRefsBodySchema } from './tracking-plan-schemas.js'

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

/** Every method and path tracking-plan-routes.ts registers, in OpenAPI form (`{param}`). */
async function registeredRoutes(): Promise<string[]> {
  const app = Fastify()
  const routes: string[] = []
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    const path = route.url.replace(/:(\w+)/g, '{$1}')
    for (const method of methods) if (method !== 'HEAD') routes.push(`${method} ${path}`)
  })
  await app.register((api, _options, done) => {
    registerTrackingPlanRoutes(api, {} as TrackingPlanRouteDeps)
    done()
  })
  await app.ready()
  await app.close()
  return routes.sort()
}

function planOperations(): Map<string, { op: Operation; item: PathItem; path: string }> {
  const out = new Map<string, { op: Operation; item: PathItem; path: string }>()
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters' || !(op as Operation).tags?.includes('Tracking plans')) continue
      out.set(`${method.toUpperCase()} ${path}`, { op: op as Operation, item, path })
    }
  }
  return out
}

const ajv = new Ajv2020({ strict: false, allowUnionTypes: true, allErrors: true })
function bodyValidator(key: string) {
  const schema = planOperations().get(key)?.op.requestBody?.content['application/json'].schema
  if (!schema) throw new Error(`${key} has no JSON request body`)
  return ajv.compile(schema)
}

describe('OpenAPI tracking-plan paths', () => {
  it('documents exactly the routes tracking-plan-routes.ts registers', async () => {
    const registered = await registeredRoutes()
    expect(registered.length).toBe(16)
    expect([...planOperations().keys()].sort()).toEqual(registered)
  })

  it('gives every operation a unique id, a 2xx answer, a 401 and its path parameters', () => {
    const allIds = Object.values(doc.paths).flatMap((item) =>
      Object.values(item).flatMap((op) => (op as Operation).operationId ?? []),
    )
    expect(new Set(allIds).size).toBe(allIds.length)
    for (const { op, item, path } of planOperations().values()) {
      const statuses = Object.keys(op.responses)
      expect(
        statuses.some((s) => /^2\d\d$/.test(s)),
        path,
      ).toBe(true)
      expect(statuses, path).toContain('401')
      const declared = [...(item.parameters ?? []), ...(op.parameters ?? [])]
        .filter((p) => p.in === 'path')
        .map((p) => p.name)
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])
      expect(declared.sort(), path).toEqual(inPath.sort())
    }
  })

  it('uses schemas that compile, without $schema or $ref', () => {
    const text = JSON.stringify([...planOperations().values()].map(({ op }) => op))
    expect(text).not.toContain('$schema')
    expect(text).not.toContain('$ref')
    for (const { op } of planOperations().values()) {
      if (op.requestBody) expect(() => bodyValidator(`${opKey(op)}`)).not.toThrow()
      for (const response of Object.values(op.responses)) {
        if (response.content) {
          expect(() =>
            ajv.compile(response.content?.['application/json'].schema ?? {}),
          ).not.toThrow()
        }
      }
    }
  })

  it('request bodies accept and reject as the zod schemas do', () => {
    const create = bodyValidator('POST /api/v1/tracking-plans')
    const rule = { type: 'TRACK', key: 'Order Completed', jsonSchema: { type: 'object' } }
    for (const plan of [
      { name: 'Web', rules: [rule] },
      { id: 'tp_x', name: 'Web', description: 'd' },
      { name: '' },
      { name: 'Web', rules: [{ ...rule, type: 'ALIAS' }] },
      { name: 'Web', rules: [{ ...rule, version: 0 }] },
      { name: 'Web', extra: 1 },
      { id: 'bad id', name: 'Web' },
    ]) {
      expect(create(plan), JSON.stringify(plan)).toBe(planInputSchema.safeParse(plan).success)
    }
    const patch = bodyValidator('PATCH /api/v1/tracking-plans/{id}/sources/{sourceId}')
    for (const body of [
      { unplannedEvents: 'block' },
      { unplannedEvents: 'omit' },
      { forwardViolationsTo: null },
      { trackViolations: 'omit', other: 1 },
    ]) {
      expect(patch(body), JSON.stringify(body)).toBe(enforcementPatchSchema.safeParse(body).success)
    }
    const remove = bodyValidator('DELETE /api/v1/tracking-plans/{id}/rules')
    for (const body of [
      { rules: [{ type: 'IDENTIFY' }] },
      { rules: [] },
      { rules: [{ key: 'x' }] },
    ]) {
      expect(remove(body), JSON.stringify(body)).toBe(ruleRefsBodySchema.safeParse(body).success)
    }
  })
})

function opKey(op: Operation): string {
  for (const [key, entry] of planOperations()) if (entry.op === op) return key
  throw new Error('unknown operation')
}
