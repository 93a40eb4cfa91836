import { Ajv2020 } from 'ajv/dist/2020.js'
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import type { AuditRecorder, AuditStore } from '../audit/index.js'
import type { RetentionService } from '../retention/index.js'
import { registerAuditRoutes } from './audit-routes.js'
import { openApiDocument } from './openapi.js'
import { registerRetentionRoutes } from './retention-routes.js'

type Json = Record<string, unknown>
interface Operation {
  tags?: string[]
  operationId?: string
  parameters?: Array<{ name: string; in: string; schema: Json }>
  requestBody?: { content: { 'application/json': { schema: Json } } }
  responses: Record<string, { content?: Record<string, { schema: Json }> }>
}

const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, Operation>> }
const TAGS = ['Audit', 'Retention']

/** Every method and path the audit and retention routes register, in OpenAPI form. */
async function registeredRoutes(): Promise<string[]> {
  const app = Fastify()
  const routes: string[] = []
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    for (const method of methods) if (method !== 'HEAD') routes.push(`${method} ${route.url}`)
  })
  await app.register((api, _options, done) => {
    registerAuditRoutes(api, { store: {} as AuditStore, recorder: {} as AuditRecorder })
    registerRetentionRoutes(api, {} as RetentionService)
    done()
  })
  await app.ready()
  await app.close()
  return routes.sort()
}

function operations(): Map<string, Operation> {
  const out = new Map<string, Operation>()
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (op.tags?.some((t) => TAGS.includes(t))) out.set(`${method.toUpperCase()} ${path}`, op)
    }
  }
  return out
}

const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true })

describe('OpenAPI audit and retention paths', () => {
  it('documents exactly the routes audit-routes.ts and retention-routes.ts register', async () => {
    const registered = await registeredRoutes()
    expect(registered).toHaveLength(7)
    expect([...operations().keys()].sort()).toEqual(registered)
  })

  it('gives every operation a unique id, a 2xx answer and a 401', () => {
    const all = Object.values(doc.paths).flatMap((item) =>
      Object.values(item).flatMap((op) => op.operationId ?? []),
    )
    expect(new Set(all).size).toBe(all.length)
    for (const [key, op] of operations()) {
      expect(
        Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)),
        key,
      ).toBe(true)
      expect(Object.keys(op.responses), key).toContain('401')
    }
  })

  it('uses only valid JSON Schema 2020-12 schemas', () => {
    for (const op of operations().values()) {
      for (const p of op.parameters ?? []) expect(() => ajv.compile(p.schema)).not.toThrow()
      if (op.requestBody) {
        expect(() =>
          ajv.compile(op.requestBody?.content['application/json'].schema ?? {}),
        ).not.toThrow()
      }
      for (const response of Object.values(op.responses)) {
        for (const media of Object.values(response.content ?? {})) {
          expect(() => ajv.compile(media.schema)).not.toThrow()
        }
      }
    }
  })

  it('the policies body accepts a valid section and rejects invalid ones, as zod does', () => {
    const schema = operations().get('PUT /api/v1/retention/policies')?.requestBody?.content[
      'application/json'
    ].schema
    if (!schema) throw new Error('no body')
    const validate = ajv.compile(schema)
    expect(
      validate({ policies: [{ sources: ['web'], types: ['track'], days: 30 }], defaultDays: 90 }),
    ).toBe(true)
    expect(validate({ policies: [{ days: 0 }] })).toBe(false)
    expect(validate({ policies: [{ days: 3, types: ['bogus'] }] })).toBe(false)
    expect(validate({ unknown: true })).toBe(false)
    expect(validate({ schedule: { batchSize: 5001 } })).toBe(false)
  })

  it('lists the audit filters as query parameters', () => {
    const names = (operations().get('GET /api/v1/audit')?.parameters ?? []).map((p) => p.name)
    expect(names).toEqual(
      expect.arrayContaining([
        'from',
        'to',
        'actor',
        'action',
        'targetType',
        'targetId',
        'outcome',
        'limit',
        'cursor',
      ]),
    )
  })
})
