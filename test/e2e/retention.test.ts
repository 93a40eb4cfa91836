// Retention end to end, on the embedded store and on PostgreSQL: policies set through the API
// (or managed by the file, then read-only), the run deleting old raw events per source and
// type while recent events, other sources and types, ingest counters and profiles stay, the
// run's report in the status route, the Prometheus metrics and the audit log, and profile
// timelines that still answer after their events were deleted. On the embedded store the run
// deletes on the store worker, so a held store lock never stops the event loop.
import { randomBytes } from 'node:crypto'
import { Analytics } from '@segment/analytics-node'
import pg from 'pg'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { runRetention, retentionConfigSchema } from '../../packages/server/src/retention/index.js'
import { buildEventItem, buildLogEntries } from '../../packages/server/src/testing/builders.js'
import {
  startTestPlatform,
  type TestPlatform,
} from '../../packages/server/src/testing/test-platform.js'
import { holdingStoreLock } from '../support/held-store-lock.js'

const DATABASE_URL =
  process.env.TESSERA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const DAY = 86_400_000
const schemas: string[] = []

afterAll(async () => {
  const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 1 })
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  await admin.end()
})

interface EventJson {
  sourceId: string
  receivedAt: string
  event: { type: string; event?: string; userId?: string }
}

async function json<T>(response: Response): Promise<T> {
  const text = await response.text()
  expect(response.status, text).toBeLessThan(300)
  return JSON.parse(text) as T
}

async function allEvents(tp: TestPlatform): Promise<EventJson[]> {
  return (await json<{ data: EventJson[] }>(await tp.admin('/api/v1/events?limit=1000'))).data
}

const describeEvent = (e: EventJson): string =>
  `${e.sourceId}/${e.event.type}/${Math.round((Date.now() - Date.parse(e.receivedAt)) / DAY)}d`

/** Old events written straight to the store (offsets far above the log's), as if kept for weeks. */
async function storeOldEvents(tp: TestPlatform): Promise<void> {
  const at = (days: number): number => Date.now() - days * DAY
  await tp.platform.storage.eventStore.apply(
    'retention-test',
    buildLogEntries(1_000_000, [
      buildEventItem({ sourceId: 'test-source', type: 'track', name: 'Old', receivedAt: at(40) }),
      buildEventItem({ sourceId: 'test-source', type: 'track', name: 'Old', receivedAt: at(45) }),
      buildEventItem({ sourceId: 'test-source', type: 'identify', name: null, receivedAt: at(40) }),
      buildEventItem({ sourceId: 'other-source', type: 'track', name: 'Old', receivedAt: at(40) }),
    ]),
  )
}

async function sendRecent(tp: TestPlatform, userId: string): Promise<void> {
  const analytics = new Analytics({ writeKey: tp.writeKey, host: tp.url, flushAt: 50 })
  analytics.identify({ userId, traits: { plan: 'pro' } })
  analytics.track({ userId, event: 'Recent' })
  await analytics.closeAndFlush({ timeout: 10_000 })
}

function suite(name: string, storage: () => unknown): void {
  describe(`retention on ${name}`, () => {
    let tp: TestPlatform | null = null

    afterEach(async () => {
      await tp?.close()
      tp = null
    })

    const start = async (overrides: Record<string, unknown> = {}): Promise<TestPlatform> => {
      const s = storage()
      tp = await startTestPlatform({ ...(s === undefined ? {} : { storage: s }), ...overrides })
      return tp
    }

    it('deletes what a policy selects, keeps the rest, and reports it', async () => {
      const p = await start()
      const userId = `u-${randomBytes(4).toString('hex')}`
      await sendRecent(p, userId)
      await storeOldEvents(p)
      expect(await allEvents(p)).toHaveLength(6)
      const stats = await json<unknown>(await p.admin('/api/v1/stats/ingest?since=0'))

      const policies = { policies: [{ sources: ['test-source'], types: ['track'], days: 30 }] }
      const put = await p.admin('/api/v1/retention/policies', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(policies),
      })
      expect((await json<{ managed: boolean }>(put)).managed).toBe(false)
      const bad = await p.admin('/api/v1/retention/policies', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ policies: [{ days: 0 }] }),
      })
      expect(bad.status).toBe(400)
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe(
        'RETENTION_INVALID_POLICIES',
      )

      const report = await json<{ events: Record<string, number>; oldestEventAt: string }>(
        await p.admin('/api/v1/retention/run', { method: 'POST' }),
      )
      expect(report.events).toEqual({ policy_1: 2 })
      expect((await allEvents(p)).map(describeEvent).sort()).toEqual([
        'other-source/track/40d',
        'test-source/identify/0d',
        'test-source/identify/40d',
        'test-source/track/0d',
      ])
      expect(Math.round((Date.now() - Date.parse(report.oldestEventAt)) / DAY)).toBe(40)
      // Aggregates stay.
      expect(await json<unknown>(await p.admin('/api/v1/stats/ingest?since=0'))).toEqual(stats)

      const status = await json<{ lastRun: { events: Record<string, number> } | null }>(
        await p.admin('/api/v1/retention/status'),
      )
      expect(status.lastRun?.events).toEqual({ policy_1: 2 })
      const metrics = await (await fetch(`${p.url}/metrics`)).text()
      expect(metrics).toMatch(
        /tessera_retention_deleted_rows_total\{table="events",policy="policy_1"\} 2/,
      )
      expect(metrics).toMatch(/tessera_retention_oldest_event_age_seconds 3\d{6}/)
      expect(metrics).toMatch(/tessera_retention_last_run_timestamp_seconds \d+/)

      const audit = await json<{
        data: Array<{ actor: string; details: Record<string, unknown> }>
      }>(await p.admin('/api/v1/audit?action=retention.job'))
      expect(audit.data).toHaveLength(1)
      expect(audit.data[0]).toMatchObject({ actor: 'system', details: { events: { policy_1: 2 } } })
      const change = await json<{ data: unknown[] }>(
        await p.admin('/api/v1/audit?action=retention.policies.update&outcome=ok'),
      )
      expect(change.data).toHaveLength(1)
      const requested = await json<{ data: Array<{ actor: string }> }>(
        await p.admin('/api/v1/audit?action=retention.run'),
      )
      expect(requested.data.map((e) => e.actor)).toEqual([expect.stringMatching(/^admin:/)])
    })

    it('keeps profiles and answers their timelines once their events are deleted', async () => {
      const p = await start()
      const userId = `u-${randomBytes(4).toString('hex')}`
      await sendRecent(p, userId)
      const found = await json<{ data: Array<{ id: string }> }>(
        await p.admin(`/api/v1/profiles?q=${userId}`),
      )
      const id = found.data[0]?.id
      expect(id).toBeDefined()
      const before = await json<{ data: unknown[] }>(await p.admin(`/api/v1/profiles/${id}/events`))
      expect(before.data).toHaveLength(2)
      // Forty days later, a 30-day default deletes both events.
      const config = retentionConfigSchema.parse({ defaultDays: 30 })
      const report = await runRetention(
        p.platform.storage.retention,
        config,
        () => Date.now() + 40 * DAY,
      )
      expect(report.events).toEqual({ default: 2 })
      const after = await json<{ data: unknown[]; next: string | null }>(
        await p.admin(`/api/v1/profiles/${id}/events`),
      )
      expect(after).toEqual({ data: [], next: null })
      const profile = await json<{ traits: Record<string, unknown> }>(
        await p.admin(`/api/v1/profiles/${id}`),
      )
      expect(profile.traits).toMatchObject({ plan: { value: 'pro' } })
    })

    it('refuses API changes when the file manages the policies', async () => {
      const p = await start({ retention: { defaultDays: 3650 } })
      const answer = await p.admin('/api/v1/retention/policies', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ defaultDays: 1 }),
      })
      expect(answer.status).toBe(409)
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe(
        'RETENTION_MANAGED',
      )
      const current = await json<{ managed: boolean; config: { defaultDays: number } }>(
        await p.admin('/api/v1/retention/policies'),
      )
      expect(current).toMatchObject({ managed: true, config: { defaultDays: 3650 } })
    })
  })
}

suite('SQLite', () => undefined)
suite('PostgreSQL', () => {
  const schema = `e2e_ret_${randomBytes(6).toString('hex')}`
  schemas.push(schema)
  return { databaseUrl: DATABASE_URL, databaseSchema: schema }
})

describe('retention on the embedded store', () => {
  it('deletes on the store worker: a held store lock delays the run, never the requests', async () => {
    const tp = await startTestPlatform()
    try {
      await storeOldEvents(tp)
      await json<unknown>(
        await tp.admin('/api/v1/retention/policies', {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ policies: [{ days: 30 }] }),
        }),
      )
      const { value, worstGap } = await holdingStoreLock(tp.dataDir, async () => {
        const run = tp.admin('/api/v1/retention/run', { method: 'POST' })
        await new Promise((r) => setTimeout(r, 700))
        const health = await fetch(`${tp.url}/health`)
        expect(health.status).toBe(200)
        return { run }
      })
      // Without the relay the event loop stopped for the whole busy timeout (5 s).
      expect(worstGap).toBeLessThan(1000)
      // Once the lock is free the run goes on and deletes what the policy selects.
      const report = await json<{ events: Record<string, number> }>(await value.run)
      expect(report.events).toEqual({ policy_1: 4 })
      expect((await allEvents(tp)).map(describeEvent)).toEqual([])
    } finally {
      await tp.close()
    }
  })
})
