// Tracking-plan enforcement through the whole platform (embedded store and PostgreSQL): a
// plan blocks an unplanned event into quarantine (never lost, never stored), omits an
// unplanned property (recorded in context.protocols), counts and groups violations, forwards
// them as Violation Generated events; a blocked event fixed through the API and replayed is
// stored; a plan fixed then replayed lets the event through.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import {
  MemoryActivePlans,
  type ActivePlan,
  type Enforcement,
} from '../../packages/server/src/plans/index.js'
import {
  startTestPlatform,
  type TestPlatform,
} from '../../packages/server/src/testing/test-platform.js'

type Json = Record<string, unknown>
const DATABASE_URL =
  process.env.TESSERA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const schemas: string[] = []

afterAll(async () => {
  const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 1 })
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  await admin.end()
})

const ENFORCEMENT: Enforcement = {
  unplannedEvents: 'block',
  unplannedProperties: 'omit',
  unplannedIdentifyTraits: 'allow',
  unplannedGroupTraits: 'allow',
  trackViolations: 'block',
  identifyViolations: 'allow',
  groupViolations: 'allow',
  commonViolations: 'allow',
  forwardViolationsTo: 'violations',
}

function activePlan(events: string[]): ActivePlan {
  return {
    sourceId: 'test-source',
    enforcement: ENFORCEMENT,
    plan: {
      id: 'tp_e2e',
      name: 'E2E plan',
      revision: events.length,
      managed: false,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      rules: events.map((key) => ({
        type: 'TRACK' as const,
        key,
        jsonSchema: {
          properties: {
            properties: {
              type: 'object',
              properties: { total: { type: 'number' } },
              required: ['total'],
            },
          },
        },
      })),
    },
  }
}

async function post(tp: TestPlatform, batch: Json[]): Promise<void> {
  const response = await fetch(`${tp.url}/v1/batch`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${tp.writeKey}:`).toString('base64')}`,
    },
    body: JSON.stringify({ batch }),
  })
  expect(response.status).toBe(200)
}

async function json(tp: TestPlatform, path: string, init?: RequestInit): Promise<Json> {
  const response = await tp.admin(path, init)
  const body = (await response.json()) as Json
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`)
  return body
}

async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  ms = 5000,
): Promise<T> {
  const started = Date.now()
  for (;;) {
    const value = await read()
    if (ok(value)) return value
    if (Date.now() - started > ms) throw new Error(`not reached: ${JSON.stringify(value)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

const track = (event: string, properties: Json, messageId: string): Json => ({
  type: 'track',
  event,
  userId: 'u1',
  messageId,
  properties,
})

function suite(name: string, storage: () => unknown): void {
  describe(`tracking plan enforcement (${name})`, () => {
    let tp: TestPlatform | undefined
    afterEach(async () => {
      await tp?.close()
      tp = undefined
    })

    async function start(plans: MemoryActivePlans): Promise<TestPlatform> {
      const overrides: Json = {
        sources: [
          { id: 'test-source', name: 'Test source', writeKey: 'test_write_key_0001' },
          { id: 'violations', name: 'Violations', writeKey: 'violations_write_key_01' },
        ],
      }
      const store = storage()
      if (store !== undefined) overrides.storage = store
      tp = await startTestPlatform(overrides, { activePlans: plans })
      return tp
    }

    it('quarantines, omits, counts; a fixed event and a fixed plan replay into events', async () => {
      const plans = new MemoryActivePlans([activePlan(['Order Completed'])])
      const p = await start(plans)
      await post(p, [
        track('Order Completed', { total: 5, coupon: 'X' }, 'm-omit'),
        track('Unplanned', { total: 1 }, 'm-unplanned'),
        track('Order Completed', { total: 'five' }, 'm-bad'),
        track('Order Completed', { total: 6 }, 'm-clean'),
      ])
      const events = await json(p, '/api/v1/events?sourceId=test-source')
      const stored = (events.data as Json[]).map((e) => e.event as Json)
      expect(stored.map((e) => e.messageId).sort()).toEqual(['m-clean', 'm-omit'])
      const omitted = stored.find((e) => e.messageId === 'm-omit') as Json
      expect(omitted.properties).toEqual({ total: 5 })
      expect((omitted.context as Json).protocols).toMatchObject({
        omitted: ['properties.coupon'],
        sourceId: 'test-source',
      })

      const quarantine = await json(p, '/api/v1/quarantine?sourceId=test-source')
      const rows = quarantine.data as Json[]
      expect(rows.map((r) => r.messageId).sort()).toEqual(['m-bad', 'm-unplanned'])
      const byType = await json(p, '/api/v1/quarantine?violationType=Unplanned%20Event')
      expect((byType.data as Json[]).map((r) => r.messageId)).toEqual(['m-unplanned'])

      const violations = await json(p, '/api/v1/sources/test-source/violations?window=1h')
      expect(
        (violations.data as Json[]).map((v) => [v.eventName, v.field, v.violationType, v.count]),
      ).toEqual(
        expect.arrayContaining([
          ['Unplanned', 'event', 'Unplanned Event', 1],
          ['Order Completed', 'properties.total', 'Invalid Type', 1],
          ['Order Completed', 'properties.coupon', 'Unplanned Property', 1],
        ]),
      )
      const stats = await json(p, '/api/v1/sources/test-source/plan-stats')
      const order = (stats.data as Json[]).find((r) => r.eventName === 'Order Completed')
      expect(order).toMatchObject({ checked: 3, passed: 1, violated: 2, blocked: 1, omitted: 1 })

      // Violations are forwarded to the chosen source, once each.
      const forwarded = await eventually(
        () => json(p, '/api/v1/events?sourceId=violations&limit=100'),
        (body) => (body.data as Json[]).length >= 3,
      )
      const generated = (forwarded.data as Json[]).map((e) => e.event as Json)
      expect(
        generated.every(
          (e) => e.event === 'Violation Generated' && e.userId === 'schema-violations',
        ),
      ).toBe(true)
      expect(
        generated.find((e) => (e.properties as Json).eventMessageID === 'm-unplanned'),
      ).toMatchObject({
        properties: {
          violationType: 'Unplanned Event',
          sourceName: 'Test source',
          trackingPlanID: 'tp_e2e',
        },
      })

      // Fix the event (PATCH), replay it by id: stored.
      const bad = rows.find((r) => r.messageId === 'm-bad') as Json
      const invalid = await p.admin(`/api/v1/quarantine/${String(bad.id)}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          event: { type: 'track', event: 'Order Completed', properties: {} },
        }),
      })
      expect(invalid.status).toBe(400)
      expect(((await invalid.json()) as { error: Json }).error.code).toBe(
        'QUARANTINE_INVALID_EVENT',
      )
      const fixed = { ...(bad.event as Json), properties: { total: 5 } }
      await json(p, `/api/v1/quarantine/${String(bad.id)}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ event: fixed }),
      })
      const replay = await json(p, '/api/v1/quarantine/replay', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ids: [Number(bad.id)] }),
      })
      expect(replay).toEqual({ replayed: 1, failed: [] })
      const again = await p.admin(`/api/v1/quarantine/${String(bad.id)}`, { method: 'DELETE' })
      expect(again.status).toBe(409)

      // Fix the plan, replay by filter: the unplanned event passes now.
      plans.set([activePlan(['Order Completed', 'Unplanned'])])
      const byFilter = await json(p, '/api/v1/quarantine/replay', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ filter: { sourceId: 'test-source' } }),
      })
      expect(byFilter).toEqual({ replayed: 1, failed: [] })
      const after = await eventually(
        () => json(p, '/api/v1/events?sourceId=test-source'),
        (body) => (body.data as Json[]).length === 4,
      )
      const replayed = (after.data as Json[]).map((e) => e.event as Json)
      const fromQuarantine = replayed.find((e) => e.messageId === 'm-bad') as Json
      expect(fromQuarantine.properties).toEqual({ total: 5 })
      expect(((fromQuarantine.context as Json).protocols as Json).replayed_from_quarantine).toBe(
        true,
      )
      const open = await json(p, '/api/v1/quarantine?status=quarantined')
      expect(open.data).toEqual([])
    })

    it('enforces a plan changed through the API on the next event acknowledged', async () => {
      const store = storage()
      tp = await startTestPlatform(store === undefined ? {} : { storage: store })
      const p = tp
      const send = async (method: string, path: string, body?: Json): Promise<void> => {
        const response = await p.admin(path, {
          method,
          ...(body
            ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
            : {}),
        })
        expect(response.status, `${method} ${path}: ${await response.text()}`).toBeLessThan(300)
      }
      await send('POST', '/api/v1/tracking-plans', {
        id: 'tp_api',
        name: 'API plan',
        rules: activePlan(['Order Completed']).plan.rules,
      })
      // Each change is followed at once by an event: it must meet the changed plan. The
      // store step checks an event against the plan current when it reaches the event, so
      // the next change waits until the event is stored or quarantined (an event still in
      // flight may meet a later plan, as documented).
      const settled = (count: number): Promise<number> =>
        eventually(
          async () => {
            const stored = await json(p, '/api/v1/events?sourceId=test-source')
            const held = await json(p, '/api/v1/quarantine?sourceId=test-source')
            return (stored.data as Json[]).length + (held.data as Json[]).length
          },
          (n) => n === count,
        )
      await send('POST', '/api/v1/tracking-plans/tp_api/sources', {
        sourceId: 'test-source',
        enforcement: { unplannedEvents: 'block' },
      })
      await post(p, [track('Unplanned', {}, 'm-after-connect')])
      await settled(1)
      await send('PUT', '/api/v1/tracking-plans/tp_api/rules', {
        rules: activePlan(['Order Completed', 'Unplanned']).plan.rules,
      })
      await post(p, [track('Unplanned', { total: 1 }, 'm-after-rule')])
      await settled(2)
      await send('DELETE', '/api/v1/tracking-plans/tp_api/sources/test-source')
      await post(p, [track('Elsewhere', {}, 'm-after-disconnect')])

      const events = await eventually(
        () => json(p, '/api/v1/events?sourceId=test-source'),
        (body) => (body.data as Json[]).length === 2,
      )
      expect((events.data as Json[]).map((e) => (e.event as Json).messageId).sort()).toEqual([
        'm-after-disconnect',
        'm-after-rule',
      ])
      const quarantine = await json(p, '/api/v1/quarantine?sourceId=test-source')
      expect((quarantine.data as Json[]).map((r) => r.messageId)).toEqual(['m-after-connect'])
    })

    it('discards, pages with a cursor and answers unknown ids with QUARANTINE_NOT_FOUND', async () => {
      const p = await start(new MemoryActivePlans([activePlan(['Order Completed'])]))
      await post(
        p,
        [0, 1, 2].map((i) => track(`Nope ${i}`, {}, `m-${i}`)),
      )
      const first = await json(p, '/api/v1/quarantine?limit=2')
      expect((first.data as Json[]).map((r) => r.messageId)).toEqual(['m-2', 'm-1'])
      const second = await json(p, `/api/v1/quarantine?limit=2&cursor=${String(first.next)}`)
      expect((second.data as Json[]).map((r) => r.messageId)).toEqual(['m-0'])
      const id = String((second.data as Json[])[0]?.id)
      expect((await p.admin(`/api/v1/quarantine/${id}`, { method: 'DELETE' })).status).toBe(204)
      expect(await json(p, `/api/v1/quarantine/${id}`)).toMatchObject({ status: 'discarded' })
      const missing = await p.admin('/api/v1/quarantine/999999')
      expect(missing.status).toBe(404)
      expect(((await missing.json()) as { error: Json }).error.code).toBe('QUARANTINE_NOT_FOUND')
      // Replayed unchanged, an event the plan still blocks comes back as a new open row.
      const again = await json(p, '/api/v1/quarantine/replay', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ids: [Number((first.data as Json[])[0]?.id)] }),
      })
      expect(again).toEqual({ replayed: 1, failed: [] })
      const reopened = await eventually(
        () => json(p, '/api/v1/quarantine?status=quarantined&event=Nope%202'),
        (body) => (body.data as Json[]).length === 1,
      )
      expect((reopened.data as Json[])[0]?.id).not.toBe((first.data as Json[])[0]?.id)
      expect(
        await json(p, `/api/v1/quarantine/${String((first.data as Json[])[0]?.id)}`),
      ).toMatchObject({
        status: 'replayed',
      })
      const tooMany = await p.admin('/api/v1/quarantine/replay', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ filter: {}, limit: 10_001 }),
      })
      expect(tooMany.status).toBe(400)
    })
  })
}

suite('embedded', () => undefined)
suite('postgres', () => {
  const schema = `tessera_e2e_${randomBytes(6).toString('hex')}`
  schemas.push(schema)
  return { databaseUrl: DATABASE_URL, databaseSchema: schema }
})
