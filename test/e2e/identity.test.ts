// Identity resolution through the whole platform, on the embedded store and on PostgreSQL:
// events sent with @segment/analytics-node become profiles within a second; the Segment
// Profile API answers with Segment's shapes and errors; accounts link through group calls;
// a late event is re-resolved; rules edited through the API apply to later events (and are
// refused when the config file manages them); profiles survive a restart.
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { Analytics } from '@segment/analytics-node'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import {
  startTestPlatform,
  type TestPlatform,
} from '../../packages/server/src/testing/test-platform.js'

type Json = Record<string, unknown>
const PROFILE_TOKEN = 'profile-token-0123456789'
const SPACE = 'acme'
const DATABASE_URL =
  process.env.TESSERA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const schemas: string[] = []

afterAll(async () => {
  const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 1 })
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  await admin.end()
})

async function send(tp: TestPlatform, calls: (a: Analytics) => void): Promise<void> {
  const analytics = new Analytics({ writeKey: tp.writeKey, host: tp.url, flushAt: 50 })
  calls(analytics)
  await analytics.closeAndFlush({ timeout: 10_000 })
}

function profileApi(tp: TestPlatform, path: string, token = PROFILE_TOKEN): Promise<Response> {
  return fetch(`${tp.url}/v1/spaces/${SPACE}/collections/${path}`, {
    headers: { authorization: `Basic ${Buffer.from(`${token}:`).toString('base64')}` },
  })
}

/** Polls until `read` gives a 200, for up to `ms`; returns the body and how long it took. */
async function eventually(
  read: () => Promise<Response>,
  ms = 5000,
): Promise<{ body: Json; waitedMs: number }> {
  const started = Date.now()
  for (;;) {
    const answer = await read()
    if (answer.status === 200) {
      return { body: (await answer.json()) as Json, waitedMs: Date.now() - started }
    }
    await answer.body?.cancel()
    if (Date.now() - started > ms) throw new Error(`still ${answer.status} after ${ms} ms`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

const t = (minute: number): Date => new Date(Date.UTC(2026, 10, 30, 9, minute))

function suite(name: string, storage: () => unknown): void {
  describe(`identity on ${name}`, () => {
    let tp: TestPlatform

    it('resolves the textbook example into one profile, served by the Profile API', async () => {
      tp = await startTestPlatform({
        profileApi: { spaceId: SPACE, tokens: [PROFILE_TOKEN] },
        ...(storage() === undefined ? {} : { storage: storage() }),
      })
      await send(tp, (a) => {
        a.page({ anonymousId: 'ID67980', name: 'Home', timestamp: t(0) })
        a.identify({
          anonymousId: 'ID67980',
          traits: { email: ' JDoe@Example.com', name: 'Jane Doe' },
          timestamp: t(1),
        })
        a.track({ anonymousId: 'ID34657', event: 'Viewed Pricing', timestamp: t(5) })
        a.identify({
          anonymousId: 'ID34657',
          traits: { email: 'jdoe@example.com' },
          timestamp: t(6),
        })
      })
      const { body, waitedMs } = await eventually(() =>
        profileApi(tp, 'users/profiles/anonymous_id:ID34657/traits?verbose=true'),
      )
      expect(waitedMs).toBeLessThan(1000)
      const traits = body.traits as Record<string, Json>
      expect(traits.name?.value).toBe('Jane Doe')
      expect(traits.email?.value).toBe('jdoe@example.com')
      expect(traits.name?.source_id).toBe('test-source')

      const ids = (await (
        await profileApi(tp, 'users/profiles/email:jdoe%40example.com/external_ids')
      ).json()) as { data: Json[] }
      expect(ids.data.map((d) => `${String(d.type)}:${String(d.id)}`).sort()).toEqual([
        'anonymous_id:ID34657',
        'anonymous_id:ID67980',
        'email:jdoe@example.com',
      ])
      const events = (await (
        await profileApi(tp, 'users/profiles/anonymous_id:ID67980/events?sort=asc')
      ).json()) as { data: Json[] }
      expect(events.data.map((e) => e.type)).toEqual(['page', 'identify', 'track', 'identify'])
    })

    it('answers Segment errors: bad token 401, unknown profile 404, wrong space 404', async () => {
      const bad = await profileApi(tp, 'users/profiles/user_id:x/traits', 'wrong-token-0000000000')
      expect(bad.status).toBe(401)
      expect(((await bad.json()) as { error: Json }).error.code).toBe('authentication_error')
      const missing = await profileApi(tp, 'users/profiles/user_id:nobody/traits')
      expect(missing.status).toBe(404)
      expect(await missing.json()).toEqual({
        error: { code: 'not_found', message: 'Profile was not found.' },
      })
      const space = await fetch(
        `${tp.url}/v1/spaces/other/collections/users/profiles/user_id:x/traits`,
        {
          headers: {
            authorization: `Basic ${Buffer.from(`${PROFILE_TOKEN}:`).toString('base64')}`,
          },
        },
      )
      expect(space.status).toBe(404)
      expect(missing.headers.get('request-id')).toBeTruthy()
    })

    it('links users to accounts through group calls without merging colleagues', async () => {
      await send(tp, (a) => {
        a.group({ userId: 'ann', groupId: 'org-1', traits: { name: 'Org One' }, timestamp: t(10) })
        a.group({ userId: 'bob', groupId: 'org-1', traits: { plan: 'team' }, timestamp: t(11) })
      })
      const account = await eventually(() =>
        profileApi(tp, 'accounts/profiles/group_id:org-1/traits'),
      )
      expect(account.body.traits).toEqual({ name: 'Org One', plan: 'team' })
      const ann = (await (await profileApi(tp, 'users/profiles/user_id:ann/links')).json()) as {
        data: Json[]
      }
      expect(ann.data).toHaveLength(1)
      expect(ann.data[0]?.to_collection).toBe('accounts')
      const annIds = await (await profileApi(tp, 'users/profiles/user_id:ann/external_ids')).json()
      const bobIds = await (await profileApi(tp, 'users/profiles/user_id:bob/external_ids')).json()
      expect((annIds as { data: Json[] }).data.map((d) => d.id)).toEqual(['ann'])
      expect((bobIds as { data: Json[] }).data.map((d) => d.id)).toEqual(['bob'])
    })

    it('re-resolves a late event: the outcome is the same as in time order', async () => {
      // Two user ids on one browser: the earlier login owns the anonymous id, even when
      // its event arrives last.
      await send(tp, (a) => {
        a.identify({ userId: 'late-2', anonymousId: 'kiosk-1', timestamp: t(21) })
      })
      await eventually(() => profileApi(tp, 'users/profiles/user_id:late-2/traits'))
      await send(tp, (a) => {
        a.identify({ userId: 'late-1', anonymousId: 'kiosk-1', timestamp: t(20) })
      })
      await eventually(() => profileApi(tp, 'users/profiles/user_id:late-1/traits'))
      const owner = (await (
        await profileApi(tp, 'users/profiles/anonymous_id:kiosk-1/external_ids')
      ).json()) as { data: Json[] }
      expect(owner.data.map((d) => d.id).sort()).toEqual(['kiosk-1', 'late-1'])
      const stats = (await (await tp.admin('/api/v1/identity/stats')).json()) as { users: number }
      // Jane, ann, bob, late-1, late-2.
      expect(stats.users).toBe(5)
    })

    it('applies rules edited through the API to later events, and keeps them across a restart', async () => {
      const rules = (await (await tp.admin('/api/v1/identity/rules')).json()) as Json
      expect(rules.managed).toBe(false)
      const put = await tp.admin('/api/v1/identity/rules', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ blockedValues: { exact: ['shared@example.com'] } }),
      })
      expect(put.status).toBe(200)
      await send(tp, (a) => {
        a.identify({ userId: 'c1', traits: { email: 'shared@example.com' }, timestamp: t(30) })
        a.identify({ userId: 'c2', traits: { email: 'shared@example.com' }, timestamp: t(31) })
      })
      await eventually(() => profileApi(tp, 'users/profiles/user_id:c2/traits'))
      const blocked = await profileApi(tp, 'users/profiles/email:shared%40example.com/traits')
      expect(blocked.status).toBe(404)
      await blocked.body?.cancel()

      // Restart on the same data: profiles and the stored rules are still there.
      const dataDir = tp.dataDir
      await tp.platform.stop()
      tp = await startTestPlatform({
        profileApi: { spaceId: SPACE, tokens: [PROFILE_TOKEN] },
        storage: storage() ?? { dataDir },
      })
      const again = (await (await tp.admin('/api/v1/identity/rules')).json()) as {
        config: { blockedValues: { exact: string[] } }
      }
      expect(again.config.blockedValues.exact).toEqual(['shared@example.com'])
      const jane = await profileApi(tp, 'users/profiles/email:jdoe%40example.com/traits')
      expect(jane.status).toBe(200)
      await tp.close()
      rmSync(dataDir, { recursive: true, force: true })
    })
  })
}

suite('the embedded store', () => undefined)
suite('PostgreSQL', () => {
  const schema = `e2e_identity_${randomBytes(4).toString('hex')}`
  if (schemas.length === 0) schemas.push(schema)
  return { databaseUrl: DATABASE_URL, databaseSchema: schemas[0] }
})

describe('rules managed by the config file', () => {
  it('refuses API edits with IDENTITY_RULES_MANAGED', async () => {
    const tp = await startTestPlatform({ identity: { mergeCap: 10 } })
    try {
      const put = await tp.admin('/api/v1/identity/rules', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ mergeCap: 20 }),
      })
      expect(put.status).toBe(409)
      expect(((await put.json()) as { error: Json }).error.code).toBe('IDENTITY_RULES_MANAGED')
      const rules = (await (await tp.admin('/api/v1/identity/rules')).json()) as Json
      expect(rules).toMatchObject({ managed: true, config: { mergeCap: 10 } })
    } finally {
      await tp.close()
    }
  })
})
