// The whole platform on PostgreSQL (event_log table, in-process pipeline) in a schema of its
// own: a real Segment client and raw batches in, the admin API out, then a restart on the same
// schema. Needs PostgreSQL at 127.0.0.1:5432 (database `test`); fails when it is not there.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Analytics } from '@segment/analytics-node'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  startTestPlatform,
  type TestPlatform,
} from '../../packages/server/src/testing/test-platform.js'

const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test'

type Json = Record<string, unknown>

interface StoredEventJson {
  offset: number
  sourceId: string
  receivedAt: string
  event: Json
}

interface RejectionJson {
  sourceId: string
  code: string
  messageId: string | null
  payload: unknown
}

interface StatsRow {
  sourceId: string
  accepted: number
  duplicates: number
  rejected: number
}

const schema = `e2e_${randomBytes(6).toString('hex')}`
const dataDir = mkdtempSync(join(tmpdir(), 'tessera-pg-e2e-'))
const runId = `${Date.now()}-${randomBytes(3).toString('hex')}`

function start(): Promise<TestPlatform> {
  return startTestPlatform({
    storage: { dataDir, databaseUrl: DATABASE_URL, databaseSchema: schema },
  })
}

async function adminJson<T>(tp: TestPlatform, path: string): Promise<T> {
  const response = await tp.admin(path)
  const text = await response.text()
  expect(response.status, `${path}: ${text}`).toBe(200)
  return JSON.parse(text) as T
}

async function allEvents(tp: TestPlatform): Promise<StoredEventJson[]> {
  const out: StoredEventJson[] = []
  let cursor: string | null = null
  do {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`
    const page: { data: StoredEventJson[]; next: string | null } = await adminJson(
      tp,
      `/api/v1/events?limit=50${query}`,
    )
    out.push(...page.data)
    cursor = page.next
  } while (cursor !== null)
  return out
}

async function totals(
  tp: TestPlatform,
): Promise<{ accepted: number; duplicates: number; rejected: number }> {
  const stats = await adminJson<{ data: StatsRow[] }>(
    tp,
    '/api/v1/stats/ingest?sourceId=test-source',
  )
  return stats.data.reduce(
    (sum, row) => ({
      accepted: sum.accepted + row.accepted,
      duplicates: sum.duplicates + row.duplicates,
      rejected: sum.rejected + row.rejected,
    }),
    { accepted: 0, duplicates: 0, rejected: 0 },
  )
}

describe('the platform on PostgreSQL', () => {
  let tp: TestPlatform | null = null
  const client = new pg.Client({ connectionString: DATABASE_URL })
  const sentIds: string[] = []
  const dupId = `pg-dup-${runId}`
  const invalidId = `pg-invalid-${runId}`
  let snapshot: StoredEventJson[] = []
  let createdSourceId = ''

  beforeAll(async () => {
    // Fails the file (no skip) when PostgreSQL is down.
    await client.connect()
    tp = await start()
  })

  afterAll(async () => {
    try {
      await tp?.close()
    } finally {
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      } finally {
        await client.end()
        rmSync(dataDir, { recursive: true, force: true })
      }
    }
  })

  const platform = (): TestPlatform => {
    if (tp === null) throw new Error('platform not started')
    return tp
  }

  it('stores its tables in the configured schema', async () => {
    const tables = await client.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
      [schema],
    )
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['event_log', 'events', 'rejected_events']),
    )
    const ready = await fetch(`${platform().url}/ready`)
    expect(ready.status).toBe(200)
    await ready.arrayBuffer()
  })

  it('stores events from analytics-node and /v1/batch once each, counts duplicates, keeps rejections', async () => {
    const tp = platform()
    const analytics = new Analytics({
      writeKey: tp.writeKey,
      host: tp.url,
      flushAt: 10,
      flushInterval: 100,
      maxRetries: 0,
    })
    const failures: unknown[] = []
    const statuses: number[] = []
    analytics.on('error', (e) => failures.push(e))
    analytics.on('http_response', (r) => statuses.push(r.status))
    for (let i = 0; i < 25; i++) {
      const messageId = `pg-node-${runId}-${i}`
      sentIds.push(messageId)
      if (i % 3 === 0) analytics.identify({ userId: `pg-user-${i}`, traits: { i }, messageId })
      else {
        analytics.track({ userId: `pg-user-${i}`, event: 'PG Node', properties: { i }, messageId })
      }
    }
    await analytics.closeAndFlush()
    expect(failures).toEqual([])
    expect(statuses.length).toBeGreaterThan(0)
    expect(statuses.every((s) => s === 200)).toBe(true)

    const batchIds = [`pg-batch-${runId}-1`, `pg-batch-${runId}-2`, dupId]
    sentIds.push(...batchIds)
    const send = async (events: Json[]): Promise<Json> => {
      const response = await fetch(`${tp.url}/v1/batch`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`${tp.writeKey}:`).toString('base64')}`,
        },
        body: JSON.stringify({ batch: events }),
      })
      expect(response.status).toBe(200)
      const body = (await response.json()) as Json
      expect(body.success).toBe(true)
      return body
    }
    const first = await send([
      { type: 'track', event: 'PG Batch', userId: 'b1', messageId: batchIds[0] },
      { type: 'page', name: 'PG Page', anonymousId: 'a1', messageId: batchIds[1] },
      { type: 'track', event: 'PG Dup', userId: 'b2', messageId: dupId },
      { type: 'track', event: 'PG Dup', userId: 'b2', messageId: dupId },
      { type: 'track', event: 'PG Invalid', messageId: invalidId },
    ])
    expect(first.rejected).toEqual([
      expect.objectContaining({ index: 4, code: 'EVENT_MISSING_IDENTITY' }),
    ])
    const second = await send([
      { type: 'track', event: 'PG Dup later', userId: 'b3', messageId: dupId },
    ])
    expect(second).toEqual({ success: true })

    const stored = await allEvents(tp)
    const counts = new Map<string, number>()
    for (const e of stored) {
      const id = e.event.messageId as string
      counts.set(id, (counts.get(id) ?? 0) + 1)
    }
    expect([...counts.keys()].sort()).toEqual([...sentIds].sort())
    expect([...counts.values()].every((n) => n === 1)).toBe(true)
    expect(stored.every((e) => e.sourceId === 'test-source')).toBe(true)
    // The first copy of the duplicate wins.
    expect(stored.find((e) => e.event.messageId === dupId)?.event).toMatchObject({
      event: 'PG Dup',
      userId: 'b2',
    })
    const offsets = stored.map((e) => e.offset)
    expect([...offsets].sort((a, b) => b - a)).toEqual(offsets)

    expect(await totals(tp)).toEqual({ accepted: sentIds.length, duplicates: 2, rejected: 1 })

    const rejected = await adminJson<{ data: RejectionJson[] }>(tp, '/api/v1/rejected-events')
    expect(rejected.data).toHaveLength(1)
    expect(rejected.data[0]).toMatchObject({
      sourceId: 'test-source',
      code: 'EVENT_MISSING_IDENTITY',
      messageId: invalidId,
      payload: { event: 'PG Invalid' },
    })

    const created = await tp.admin('/api/v1/sources', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Persisted source' }),
    })
    expect(created.status).toBe(201)
    createdSourceId = ((await created.json()) as { id: string }).id

    const logRows = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${schema}.event_log`,
    )
    // Every unique event, the two duplicate copies and the rejection.
    expect(Number(logRows.rows[0]?.n)).toBe(sentIds.length + 3)
    const eventRows = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${schema}.events`,
    )
    expect(Number(eventRows.rows[0]?.n)).toBe(sentIds.length)
    snapshot = stored
  })

  it('keeps everything across a restart on the same schema', async () => {
    await platform().close()
    tp = null
    tp = await start()
    const after = await allEvents(tp)
    expect(after).toEqual(snapshot)
    expect(await totals(tp)).toEqual({ accepted: sentIds.length, duplicates: 2, rejected: 1 })
    const rejected = await adminJson<{ data: RejectionJson[] }>(tp, '/api/v1/rejected-events')
    expect(rejected.data.map((r) => r.messageId)).toEqual([invalidId])
    const source = await adminJson<{ id: string; managed: boolean }>(
      tp,
      `/api/v1/sources/${createdSourceId}`,
    )
    expect(source).toMatchObject({ id: createdSourceId, managed: false })

    // Dedupe still holds after the restart, and new offsets continue after the old ones.
    const response = await fetch(`${tp.url}/v1/track`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${tp.writeKey}:`).toString('base64')}`,
      },
      body: JSON.stringify({ userId: 'b4', event: 'PG Dup again', messageId: dupId }),
    })
    expect(response.status).toBe(200)
    await response.arrayBuffer()
    const freshId = `pg-after-restart-${runId}`
    const fresh = await fetch(`${tp.url}/v1/track`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${tp.writeKey}:`).toString('base64')}`,
      },
      body: JSON.stringify({ userId: 'b4', event: 'After Restart', messageId: freshId }),
    })
    expect(fresh.status).toBe(200)
    await fresh.arrayBuffer()
    const latest = await allEvents(tp)
    expect(latest).toHaveLength(snapshot.length + 1)
    expect(latest[0]?.event.messageId).toBe(freshId)
    expect(latest[0]?.offset).toBeGreaterThan(snapshot[0]?.offset ?? Infinity)
    expect(await totals(tp)).toEqual({ accepted: sentIds.length + 1, duplicates: 3, rejected: 1 })
  })
})
