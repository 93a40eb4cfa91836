import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configSchema } from '../app/config.js'
import { startTestPlatform, TEST_ADMIN_TOKEN, type TestPlatform } from '../testing/test-platform.js'

type Json = Record<string, unknown>

const orderCompleted = {
  type: 'TRACK',
  key: 'Order Completed',
  jsonSchema: {
    type: 'object',
    properties: {
      properties: {
        type: 'object',
        properties: { total: { type: 'number' }, currency: { type: 'string' } },
        required: ['total'],
      },
    },
  },
}

const fileRule = {
  type: 'TRACK',
  key: 'Signed Up',
  jsonSchema: { type: 'object' },
}

describe('tracking plans API (real platform)', () => {
  let t: TestPlatform
  const send = async (method: string, path: string, body?: unknown, actor?: string) => {
    const response = await t.admin(path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(actor === undefined ? {} : { 'x-tessera-actor': actor }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await response.text()
    return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as Json }
  }

  beforeAll(async () => {
    t = await startTestPlatform({
      sources: [
        { id: 'test-source', name: 'Test source', writeKey: 'test_write_key_0001' },
        { id: 'web', name: 'Web', writeKey: 'web_write_key_0000001' },
        { id: 'ios', name: 'iOS', writeKey: 'ios_write_key_0000001' },
      ],
      trackingPlans: [
        {
          id: 'tp_file',
          name: 'From the file',
          rules: [fileRule],
          sources: [{ id: 'ios', enforcement: { unplannedEvents: 'block' } }],
        },
      ],
    })
  })
  afterAll(async () => {
    await t.close()
  })

  it('creates, reads, updates rules and keeps revisions with diff and author', async () => {
    const created = await send(
      'POST',
      '/api/v1/tracking-plans',
      { name: 'Web', description: 'the web plan', rules: [orderCompleted] },
      'alice',
    )
    expect(created.status).toBe(201)
    const id = created.body.id as string
    expect(id).toMatch(/^tp_[0-9A-Za-z]{24}$/)
    expect(created.body).toMatchObject({ revision: 1, managed: false, name: 'Web' })

    const list = await send('GET', '/api/v1/tracking-plans')
    expect((list.body.data as Json[]).map((p) => [p.id, p.managed, p.ruleCount])).toEqual([
      ['tp_file', true, 1],
      [id, false, 1],
    ])

    const upsert = await send(
      'POST',
      `/api/v1/tracking-plans/${id}/rules`,
      {
        rules: [
          { ...orderCompleted, version: 2 },
          { type: 'IDENTIFY', jsonSchema: { type: 'object' } },
        ],
      },
      'bob',
    )
    expect(upsert.status).toBe(200)
    expect(upsert.body).toMatchObject({ revision: 2 })
    expect((upsert.body.data as Json[]).length).toBe(3)

    const removed = await send('DELETE', `/api/v1/tracking-plans/${id}/rules`, {
      rules: [{ type: 'IDENTIFY' }],
    })
    expect(removed.body).toMatchObject({ revision: 3 })

    const patched = await send('PATCH', `/api/v1/tracking-plans/${id}`, { name: 'Web v2' })
    expect(patched.body).toMatchObject({ name: 'Web v2', revision: 4, description: 'the web plan' })

    const revisions = await send('GET', `/api/v1/tracking-plans/${id}/revisions`)
    const rows = revisions.body.data as Json[]
    expect(rows.map((r) => r.revision)).toEqual([4, 3, 2, 1])
    expect(rows[3]?.author).toMatch(/^admin:[0-9a-f]{8}\/alice$/)
    expect(rows[2]?.author).toMatch(/^admin:[0-9a-f]{8}\/bob$/)
    const second = await send('GET', `/api/v1/tracking-plans/${id}/revisions/2`)
    expect(second.body.diff).toEqual({
      added: ['TRACK:Order Completed:2', 'IDENTIFY::1'],
      removed: [],
      changed: [],
    })
    expect((second.body.rules as Json[]).length).toBe(3)
    expect((await send('GET', `/api/v1/tracking-plans/${id}/revisions/9`)).body).toMatchObject({
      error: { code: 'PLANS_REVISION_NOT_FOUND' },
    })

    const replaced = await send('PUT', `/api/v1/tracking-plans/${id}/rules`, {
      rules: [orderCompleted],
    })
    expect(replaced.body).toMatchObject({ revision: 5 })
    const third = await send('GET', `/api/v1/tracking-plans/${id}/revisions/5`)
    expect(third.body.diff).toEqual({
      added: [],
      removed: ['TRACK:Order Completed:2'],
      changed: [],
    })
  })

  it('refuses an invalid plan with every issue and its path, storing nothing', async () => {
    const before = ((await send('GET', '/api/v1/tracking-plans')).body.data as Json[]).length
    const bad = await send('POST', '/api/v1/tracking-plans', {
      name: 'Bad',
      rules: [
        { type: 'TRACK', jsonSchema: { type: 'object' } },
        {
          type: 'IDENTIFY',
          jsonSchema: { type: 'object', properties: { traits: { type: 'nope' } } },
        },
        orderCompleted,
        orderCompleted,
      ],
    })
    expect(bad.status).toBe(400)
    const error = bad.body.error as { code: string; details: { issues: Json[] } }
    expect(error.code).toBe('PLANS_INVALID')
    expect(error.details.issues.map((i) => i.path)).toEqual([
      'rules.0.key',
      'rules.1.jsonSchema.properties.traits.type',
      'rules.3',
    ])
    expect(((await send('GET', '/api/v1/tracking-plans')).body.data as Json[]).length).toBe(before)
  })

  it('connects a source with enforcement, one plan per source, and serves the source plan', async () => {
    const created = await send('POST', '/api/v1/tracking-plans', {
      id: 'tp_conn',
      name: 'Connections',
      rules: [orderCompleted],
    })
    expect(created.status).toBe(201)
    const stamp = await t.platform.plans.stamp()
    const connected = await send('POST', '/api/v1/tracking-plans/tp_conn/sources', {
      sourceId: 'web',
      enforcement: { unplannedEvents: 'block', trackViolations: 'omit' },
    })
    expect(connected.status).toBe(201)
    expect(connected.body.enforcement).toMatchObject({
      unplannedEvents: 'block',
      trackViolations: 'omit',
      unplannedProperties: 'allow',
    })
    expect(await t.platform.plans.stamp()).toBeGreaterThan(stamp)
    expect(
      (await send('POST', '/api/v1/tracking-plans/tp_conn/sources', { sourceId: 'ios' })).body,
    ).toMatchObject({ error: { code: 'PLANS_SOURCE_CONNECTED' } })
    expect(
      (await send('POST', '/api/v1/tracking-plans/tp_conn/sources', { sourceId: 'nope' })).body,
    ).toMatchObject({ error: { code: 'PLANS_UNKNOWN_SOURCE' } })
    const bad = await send('PATCH', '/api/v1/tracking-plans/tp_conn/sources/web', {
      unplannedEvents: 'omit',
    })
    expect(bad.status).toBe(400)
    const patched = await send('PATCH', '/api/v1/tracking-plans/tp_conn/sources/web', {
      groupViolations: 'block',
    })
    expect(patched.body.enforcement).toMatchObject({
      unplannedEvents: 'block',
      groupViolations: 'block',
    })

    const ofSource = await send('GET', '/api/v1/sources/web/tracking-plan')
    expect(ofSource.body).toMatchObject({ sourceId: 'web', plan: { id: 'tp_conn' } })
    const fileSource = await send('GET', '/api/v1/sources/ios/tracking-plan')
    expect(fileSource.body).toMatchObject({
      plan: { id: 'tp_file', managed: true },
      enforcement: { unplannedEvents: 'block' },
    })
    const active = await t.platform.plans.active()
    expect(active.map((a) => [a.sourceId, a.plan.id])).toEqual([
      ['ios', 'tp_file'],
      ['web', 'tp_conn'],
    ])

    expect((await send('DELETE', '/api/v1/tracking-plans/tp_conn/sources/web')).status).toBe(204)
    expect((await send('GET', '/api/v1/sources/web/tracking-plan')).status).toBe(404)
  })

  it('serves the file plan read-only', async () => {
    const plan = await send('GET', '/api/v1/tracking-plans/tp_file')
    expect(plan.body).toMatchObject({ id: 'tp_file', managed: true, revision: 1 })
    const revisions = await send('GET', '/api/v1/tracking-plans/tp_file/revisions')
    expect((revisions.body.data as Json[])[0]).toMatchObject({ author: 'config' })
    for (const [method, path, body] of [
      ['PATCH', '/api/v1/tracking-plans/tp_file', { name: 'x' }],
      ['PUT', '/api/v1/tracking-plans/tp_file/rules', { rules: [] }],
      ['DELETE', '/api/v1/tracking-plans/tp_file', undefined],
      ['POST', '/api/v1/tracking-plans', { id: 'tp_file', name: 'Shadow' }],
      ['DELETE', '/api/v1/tracking-plans/tp_file/sources/ios', undefined],
    ] as const) {
      const answer = await send(method, path, body)
      expect(answer.status, `${method} ${path}`).toBe(409)
      expect(answer.body).toMatchObject({ error: { code: 'PLANS_MANAGED' } })
    }
    expect((await send('GET', '/api/v1/tracking-plans/tp_missing')).status).toBe(404)
  })

  it('applies a reloaded trackingPlans section and moves the stamp', async () => {
    const before = await t.platform.plans.stamp()
    t.platform.applyConfig(
      configSchema.parse({
        server: { port: 0, logLevel: 'silent' },
        storage: { dataDir: t.dataDir },
        adminTokens: [TEST_ADMIN_TOKEN],
        sources: [
          { id: 'test-source', name: 'Test source', writeKey: 'test_write_key_0001' },
          { id: 'web', name: 'Web', writeKey: 'web_write_key_0000001' },
          { id: 'ios', name: 'iOS', writeKey: 'ios_write_key_0000001' },
        ],
        trackingPlans: [
          { id: 'tp_file', name: 'Renamed in the file', rules: [fileRule], sources: [] },
        ],
      }),
    )
    expect(await t.platform.plans.stamp()).toBeGreaterThan(before)
    expect((await send('GET', '/api/v1/tracking-plans/tp_file')).body.name).toBe(
      'Renamed in the file',
    )
    expect((await send('GET', '/api/v1/sources/ios/tracking-plan')).status).toBe(404)
    expect((await t.platform.plans.active()).map((a) => a.sourceId)).not.toContain('ios')
  })
})
