// The audit log end to end on the embedded store: admin API changes and reads of personal
// data recorded by the generic hook (actor, action, target, outcome, changed keys, never
// values), throttled authentication failures, token use, Profile API views, config reloads,
// cursor paging, JSON-lines and CSV export, chain verification, and entries flushed on stop.
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { configSchema } from '../../packages/server/src/app/config.js'
import { openSqliteStorage } from '../../packages/server/src/infra/sqlite/open-sqlite-storage.js'
import {
  startTestPlatform,
  TEST_ADMIN_TOKEN,
  type TestPlatform,
} from '../../packages/server/src/testing/test-platform.js'
import { holdingStoreLock } from '../support/held-store-lock.js'

interface EntryJson {
  id: number
  at: string
  actor: string
  action: string
  target: { type: string; id: string | null }
  outcome: 'ok' | 'denied' | 'failed'
  requestId: string | null
  ip: string | null
  details: Record<string, unknown>
}

const PROFILE_TOKEN = 'profile-api-token-0123456789'
const fingerprint = (token: string): string =>
  createHash('sha256').update(token).digest('hex').slice(0, 8)
const ADMIN = `admin:${fingerprint(TEST_ADMIN_TOKEN)}`

let tp: TestPlatform

beforeEach(async () => {
  tp = await startTestPlatform({ profileApi: { tokens: [PROFILE_TOKEN] } })
})

afterEach(async () => {
  await tp.close()
})

async function send(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return tp.admin(path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
}

async function entries(query = ''): Promise<EntryJson[]> {
  const response = await tp.admin(`/api/v1/audit?limit=500${query}`)
  const text = await response.text()
  expect(response.status, text).toBe(200)
  return (JSON.parse(text) as { data: EntryJson[] }).data
}

describe('audit log', () => {
  it('records API changes with actor, action, target, outcome and changed keys only', async () => {
    const destination = { id: 'hook-1', type: 'webhook', settings: { url: 'http://127.0.0.1:9/x' } }
    const created = await send('POST', '/api/v1/destinations', destination, {
      'x-tessera-actor': 'alice@example.com',
    })
    expect(created.status).toBe(201)
    const source = await send('POST', '/api/v1/sources', { name: 'Web' })
    expect(source.status).toBe(201)
    const sourceId = ((await source.json()) as { id: string }).id
    expect((await send('PATCH', `/api/v1/sources/${sourceId}`, { name: 'Web 2' })).status).toBe(200)
    // A managed source is read-only: refused, recorded as failed.
    expect((await send('PATCH', '/api/v1/sources/test-source', { name: 'x' })).status).toBe(409)

    const destinations = await entries('&action=destinations')
    expect(destinations).toHaveLength(1)
    expect(destinations[0]).toMatchObject({
      actor: `${ADMIN}/alice@example.com`,
      action: 'destinations.create',
      target: { type: 'destination', id: 'hook-1' },
      outcome: 'ok',
      ip: '127.0.0.1',
      details: {
        method: 'POST',
        route: '/api/v1/destinations',
        status: 201,
        keys: ['id', 'type', 'settings'],
      },
    })
    expect(destinations[0]?.requestId).toBeTruthy()
    expect(JSON.stringify(destinations)).not.toContain('127.0.0.1:9/x')

    const sources = await entries('&action=sources')
    expect(sources.map((e) => [e.action, e.target.id, e.outcome, e.actor])).toEqual([
      ['sources.update', 'test-source', 'failed', ADMIN],
      ['sources.update', sourceId, 'ok', ADMIN],
      ['sources.create', sourceId, 'ok', ADMIN],
    ])
    // Filters: target, outcome, actor prefix.
    expect((await entries(`&targetType=source&targetId=${sourceId}`)).length).toBe(2)
    expect((await entries('&outcome=failed')).map((e) => e.action)).toEqual(['sources.update'])
    expect((await entries(`&actor=${encodeURIComponent(`${ADMIN}/*`)}`)).length).toBe(1)
    // The token's first use in the hour, once.
    const uses = await entries('&action=token.use')
    expect(uses.map((e) => e.actor)).toEqual([ADMIN])
  })

  it('records authentication failures as denied, one entry per address per minute', async () => {
    for (let i = 0; i < 3; i += 1) {
      const response = await fetch(`${tp.url}/api/v1/sources`, {
        headers: { authorization: 'Bearer wrong-token-0123456789' },
      })
      expect(response.status).toBe(401)
    }
    const denied = await entries('&action=auth.denied')
    expect(denied).toHaveLength(1)
    expect(denied[0]).toMatchObject({
      actor: 'anonymous',
      outcome: 'denied',
      ip: '127.0.0.1',
      target: { type: 'admin-api', id: null },
      details: { method: 'GET', route: '/api/v1/sources', count: 1 },
    })
    expect(JSON.stringify(denied)).not.toContain('wrong-token')
  })

  it('records reads of profiles on the admin API and the Profile API', async () => {
    expect((await tp.admin('/api/v1/profiles/prof_missing')).status).toBe(404)
    const basic = `Basic ${Buffer.from(`${PROFILE_TOKEN}:`).toString('base64')}`
    const answer = await fetch(
      `${tp.url}/v1/spaces/default/collections/users/profiles/user_id:u-1/traits`,
      { headers: { authorization: basic } },
    )
    expect(answer.status).toBe(404)
    const views = await entries('&action=profiles.view')
    expect(views.map((e) => [e.actor, e.target, e.outcome])).toEqual([
      [
        `profile-api:${fingerprint(PROFILE_TOKEN)}`,
        { type: 'profile', id: 'users/user_id:u-1' },
        'failed',
      ],
      [ADMIN, { type: 'profile', id: 'prof_missing' }, 'failed'],
    ])
  })

  it('records config reloads with the changed sections, never their values', async () => {
    const next = configSchema.parse({
      server: { port: 0, host: '127.0.0.1', logLevel: 'silent' },
      storage: { dataDir: tp.dataDir },
      adminTokens: [TEST_ADMIN_TOKEN, 'another-admin-token-0123456789'],
      sources: [{ id: 'test-source', name: 'Test source', writeKey: tp.writeKey }],
      profileApi: { tokens: [PROFILE_TOKEN] },
    })
    tp.platform.applyConfig(next)
    const reloads = await entries('&action=config')
    expect(reloads).toHaveLength(1)
    expect(reloads[0]).toMatchObject({
      actor: 'config',
      action: 'config.reload',
      details: { sections: ['adminTokens'] },
    })
    expect(JSON.stringify(reloads)).not.toContain('another-admin-token')
  })

  it('pages newest first, exports JSON lines and CSV, and verifies the chain', async () => {
    for (let i = 0; i < 5; i += 1) {
      expect((await send('POST', '/api/v1/sources', { name: `S${i}` })).status).toBe(201)
    }
    const first = (await (await tp.admin('/api/v1/audit?action=sources&limit=2')).json()) as {
      data: EntryJson[]
      next: string
    }
    const second = (await (
      await tp.admin(`/api/v1/audit?action=sources&limit=2&cursor=${first.next}`)
    ).json()) as { data: EntryJson[]; next: string | null }
    expect(first.data.map((e) => e.id)).toEqual(
      [...first.data.map((e) => e.id)].sort((a, b) => b - a),
    )
    expect(second.data[0]?.id).toBeLessThan(first.data[1]?.id ?? 0)
    expect((await tp.admin('/api/v1/audit?cursor=bogus')).status).toBe(400)

    const all = await entries()
    const jsonl = await tp.admin('/api/v1/audit/export?format=jsonl')
    expect(jsonl.headers.get('content-type')).toContain('application/x-ndjson')
    const lines = (await jsonl.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as EntryJson)
    // Listing the audit log is not itself audited (exports are).
    expect(lines.map((e) => e.id)).toEqual(all.map((e) => e.id))

    const csv = await tp.admin('/api/v1/audit/export?format=csv&action=sources')
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const rows = (await csv.text()).trim().split('\r\n')
    expect(rows[0]).toBe('id,at,actor,action,targetType,targetId,outcome,requestId,ip,details')
    expect(rows).toHaveLength(1 + 5)
    expect(rows[1]).toContain(',sources.create,source,')

    // The exports themselves are audited.
    expect((await entries('&action=audit.export')).length).toBe(2)
    const verify = (await (await tp.admin('/api/v1/audit/verify')).json()) as {
      intact: boolean
      checked: number
    }
    expect(verify.intact).toBe(true)
    expect(verify.checked).toBeGreaterThanOrEqual(all.length)
  })

  it('appends off the event loop: a held store lock delays the entry, never the requests', async () => {
    const basic = `Basic ${Buffer.from(`${PROFILE_TOKEN}:`).toString('base64')}`
    const { worstGap } = await holdingStoreLock(tp.dataDir, async () => {
      const view = await fetch(
        `${tp.url}/v1/spaces/default/collections/users/profiles/user_id:held-lock/traits`,
        { headers: { authorization: basic } },
      )
      expect(view.status).toBe(404)
      // Several flush intervals pass while the lock is held.
      await new Promise((r) => setTimeout(r, 700))
      const health = await fetch(`${tp.url}/health`)
      expect(health.status).toBe(200)
    })
    // Without the relay the event loop stopped for the whole busy timeout (5 s).
    expect(worstGap).toBeLessThan(1000)
    // Once the lock is free the entry is stored (the worker's wait, or the recorder's retry).
    let views: EntryJson[] = []
    for (let i = 0; i < 100 && views.length === 0; i++) {
      views = (await entries('&action=profiles.view')).filter(
        (e) => e.target.id === 'users/user_id:held-lock',
      )
      if (views.length === 0) await new Promise((r) => setTimeout(r, 100))
    }
    expect(views).toHaveLength(1)
  })

  it('appends every buffered entry on a clean stop', async () => {
    expect((await send('DELETE', '/api/v1/sources/test-source')).status).toBe(409)
    await tp.platform.stop()
    const storage = openSqliteStorage({ dataDir: tp.dataDir })
    try {
      const stored = await storage.audit.query({ action: 'sources.delete' }, { limit: 10 })
      expect(stored.map((e) => [e.action, e.target.id, e.outcome])).toEqual([
        ['sources.delete', 'test-source', 'failed'],
      ])
    } finally {
      await storage.close()
    }
  })

  it('reports a broken chain after an entry is changed behind the database triggers', async () => {
    expect((await send('POST', '/api/v1/sources', { name: 'Web' })).status).toBe(201)
    expect(
      ((await (await tp.admin('/api/v1/audit/verify')).json()) as { intact: boolean }).intact,
    ).toBe(true)
    const db = new Database(join(tp.dataDir, 'tessera.db'))
    try {
      expect(() => db.exec("UPDATE audit_log SET actor = 'mallory'")).toThrow(/append-only/)
      db.exec('DROP TRIGGER audit_log_no_update')
      db.exec("UPDATE audit_log SET actor = 'mallory' WHERE action = 'sources.create'")
    } finally {
      db.close()
    }
    const verify = (await (await tp.admin('/api/v1/audit/verify')).json()) as {
      intact: boolean
      firstBrokenId: number
      reason: string
    }
    const created = await entries('&action=sources.create')
    expect(verify).toMatchObject({ intact: false, reason: 'hash', firstBrokenId: created[0]?.id })
  })
})
