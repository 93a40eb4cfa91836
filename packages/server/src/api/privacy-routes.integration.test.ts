/**
 * The privacy admin routes over the embedded store: events stored, the `fields` consumer run
 * to the head, then the inventory, matchers, classify, observed schema and draft plan read
 * through HTTP (Fastify inject).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSqliteStorage } from '../infra/sqlite/open-sqlite-storage.js'
import type { Storage } from '../infra/storage.js'
import { AppError } from '../platform/errors/index.js'
import { createClassifier, startFieldsConsumer } from '../privacy/index.js'
import { buildEventItem, buildLogEntries } from '../testing/builders.js'
import { registerPrivacyRoutes } from './privacy-routes.js'

type Json = Record<string, unknown>

const track = (n: number) =>
  JSON.stringify({
    type: 'track',
    event: 'Order Completed',
    messageId: `m-${n}`,
    userId: 'u1',
    properties: {
      total: 10,
      card_number: '4242 4242 4242 4242',
      ...(n % 2 === 0 ? { coupon: 'X' } : {}),
    },
    context: { ip: '203.0.113.9' },
  })
const identify = (n: number) =>
  JSON.stringify({
    type: 'identify',
    messageId: `i-${n}`,
    userId: 'u1',
    traits: { email: 'a@b.example', plan: 'pro' },
  })

describe('privacy routes', () => {
  let dir: string
  let storage: Storage
  let app: FastifyInstance

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-privacy-routes-'))
    storage = openSqliteStorage({ dataDir: dir })
    const items = [
      ...[1, 2, 3, 4].map((n) =>
        buildEventItem({
          sourceId: 'web',
          type: 'track',
          name: 'Order Completed',
          receivedAt: 1_000 * n,
          payload: track(n),
        }),
      ),
      ...[1, 2].map((n) =>
        buildEventItem({
          sourceId: 'web',
          type: 'identify',
          name: null,
          receivedAt: 5_000,
          payload: identify(n),
        }),
      ),
    ]
    await storage.eventStore.apply('store', buildLogEntries(1, items))
    const classifier = createClassifier([
      {
        name: 'plan-tier',
        on: 'key',
        type: 'exact',
        pattern: 'plan',
        synonyms: [],
        class: 'sensitive',
        threshold: 0.7,
      },
    ])
    const consumer = await startFieldsConsumer({
      store: storage.fieldInventory,
      classifier: () => classifier,
      batchSize: 4,
      valueSamplesPerHour: 20,
      maxFieldsPerEvent: 100,
      idleMs: 20,
      onError: (error) => {
        throw error
      },
    })
    const end = Date.now() + 10_000
    while (consumer.position() < items.length && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 20))
    }
    await consumer.stop()
    app = Fastify()
    app.setErrorHandler((error, _request, reply) => {
      const status = error instanceof AppError ? error.httpStatus : 500
      return reply
        .code(status)
        .send({ error: { code: error instanceof AppError ? error.code : 'INTERNAL_ERROR' } })
    })
    registerPrivacyRoutes(app, {
      inventory: storage.fieldInventory,
      classifier: () => classifier,
      rules: () => [
        { class: 'restricted', action: 'block' },
        { class: 'personal', action: 'hash', destinations: ['hook'] },
      ],
      sourceName: (id) => (id === 'web' ? 'Web' : null),
    })
    await app.ready()
  })
  afterAll(async () => {
    await app.close()
    await storage.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const get = async (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers })

  it('lists the PII rules with their scope and the stage where each acts', async () => {
    const res = await get('/api/v1/privacy/rules')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      data: [
        {
          class: 'restricted',
          action: 'block',
          scope: 'global',
          destinations: null,
          stage: 'ingest',
        },
        {
          class: 'personal',
          action: 'hash',
          scope: 'destinations',
          destinations: ['hook'],
          stage: 'delivery',
        },
      ],
    })
  })

  it('lists PII fields by class, pages with a cursor, and rejects a bad cursor', async () => {
    const all = (await get('/api/v1/privacy/inventory?source=web')).json<{
      data: Json[]
      next: string | null
    }>()
    const byField = new Map(all.data.map((r) => [r.field, [r.class, r.kind]]))
    expect(byField.get('traits.plan')).toEqual(['sensitive', 'plan-tier'])
    expect(byField.get('traits.email')).toEqual(['personal', 'email'])
    expect(byField.get('context.ip')).toEqual(['personal', 'ip_address'])
    expect(byField.get('properties.card_number')).toEqual(['restricted', 'payment_card'])
    expect(new Set(all.data.map((r) => r.field))).toEqual(
      new Set(['traits.plan', 'traits.email', 'context.ip', 'properties.card_number']),
    )
    const restricted = (await get('/api/v1/privacy/inventory?class=restricted')).json<{
      data: Json[]
    }>()
    expect(restricted.data.map((r) => r.field)).toEqual(['properties.card_number'])
    expect(restricted.data[0]).toMatchObject({
      sourceId: 'web',
      event: 'Order Completed',
      count: 4,
    })
    const first = (await get('/api/v1/privacy/inventory?limit=3')).json<{
      data: Json[]
      next: string
    }>()
    expect(first.next).not.toBeNull()
    const second = (await get(`/api/v1/privacy/inventory?limit=3&cursor=${first.next}`)).json<{
      data: Json[]
      next: null
    }>()
    expect(second.next).toBeNull()
    expect([...first.data, ...second.data].length).toBe(4)
    const bad = await get('/api/v1/privacy/inventory?cursor=nope')
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toEqual({ error: { code: 'PRIVACY_INVALID_CURSOR' } })
  })

  it('exports CSV with ?format=csv or Accept: text/csv, without values', async () => {
    const viaQuery = await get('/api/v1/privacy/inventory?format=csv')
    const viaHeader = await get('/api/v1/privacy/inventory', { accept: 'text/csv' })
    expect(viaQuery.headers['content-type']).toMatch(/^text\/csv/)
    expect(viaHeader.body).toBe(viaQuery.body)
    const lines = viaQuery.body.trim().split('\n')
    expect(lines[0]).toBe(
      'source_id,event_type,event,field,class,kind,types,count,first_seen,last_seen',
    )
    expect(lines).toHaveLength(5)
    expect(viaQuery.body).toContain(
      'web,track,Order Completed,properties.card_number,restricted,payment_card,string,4,',
    )
    expect(viaQuery.body).not.toContain('4242')
  })

  it('lists matchers (custom first) and classifies a sample payload', async () => {
    const matchers = (await get('/api/v1/privacy/matchers')).json<{ data: Json[] }>().data
    expect(matchers[0]).toMatchObject({
      id: 'custom:plan-tier',
      source: 'custom',
      class: 'sensitive',
    })
    expect(matchers.some((m) => m.id === 'default:value-payment_card')).toBe(true)
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/privacy/classify',
      payload: {
        payload: {
          properties: { sku: 'G-1', contact: 'jane@example.com', items: ['078-05-1120'] },
        },
      },
    })
    expect(res.json()).toEqual({
      data: [
        {
          field: 'properties.contact',
          kind: 'email',
          class: 'personal',
          by: 'value',
          matcher: 'default:value-email',
        },
        {
          field: 'properties.items.$',
          kind: 'national_id',
          class: 'restricted',
          by: 'value',
          matcher: 'default:value-national_id',
        },
      ],
    })
    const invalid = await app.inject({
      method: 'POST',
      url: '/api/v1/privacy/classify',
      payload: { nope: 1 },
    })
    expect(invalid.statusCode).toBe(400)
  })

  it('shows the observed schema with frequencies and drafts a plan', async () => {
    const schema = (await get('/api/v1/sources/web/schema')).json<{ events: Json[] }>()
    const order = schema.events.find((e) => e.name === 'Order Completed') as {
      count: number
      properties: Json[]
      firstSeen: string
    }
    expect(order.count).toBe(4)
    expect(order.firstSeen).toBe(new Date(1_000).toISOString())
    expect(order.properties.find((p) => p.path === 'properties.coupon')).toMatchObject({
      frequency: 50,
      types: { string: 2 },
    })
    expect(order.properties.find((p) => p.path === 'properties.total')).toMatchObject({
      frequency: 100,
    })
    const draft = await app.inject({ method: 'POST', url: '/api/v1/sources/web/schema/draft-plan' })
    const body = draft.json<{
      name: string
      rules: { type: string; key?: string; jsonSchema: Json }[]
    }>()
    expect(body.name).toBe('Draft plan for Web')
    expect(body.rules.map((r) => `${r.type}:${r.key ?? ''}`)).toEqual([
      'IDENTIFY:',
      'TRACK:Order Completed',
    ])
    const props = (body.rules[1]!.jsonSchema.properties as { properties: { required: string[] } })
      .properties
    expect(props.required).toEqual(['card_number', 'total'])
    const missing = await get('/api/v1/sources/nope/schema')
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toEqual({ error: { code: 'PRIVACY_SOURCE_NOT_FOUND' } })
  })
})
