// Global PII rules at ingest, on the embedded store (store worker thread) and on PostgreSQL (in
// process): events posted to /v1/batch are stored with the e-mail hashed, the card number
// removed and the phone masked, `context.privacy.pii` saying so; ids, deduplication and
// identity resolution are unchanged. Then the rules are changed in a config file and reloaded:
// events sent after the reload are stored under the new rules. Needs a build (`npm run build
// -w @tessera/server`: the store worker runs from dist) and PostgreSQL at 127.0.0.1:5432
// (database `test`); fails when it is not there.
import { createHmac, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../packages/server/src/app/config.js'
import {
  startTestPlatform,
  TEST_ADMIN_TOKEN,
  TEST_WRITE_KEY,
  type TestPlatform,
} from '../../packages/server/src/testing/test-platform.js'

type Json = Record<string, unknown>
const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test'
const SALT = 'e2e-ingest-pii-salt-0123456789'
const WAIT = { timeout: 15_000, interval: 100 }

/** `phone` keys are made sensitive (masked), so one config shows hash, block and mask. */
const matchers = [{ name: 'phone', on: 'key', pattern: 'phone', class: 'sensitive', kind: 'phone' }]
const RULES = [
  { class: 'restricted', action: 'block' },
  { class: 'personal', action: 'hash' },
  { class: 'sensitive', action: 'mask' },
]
const RELOADED_RULES = [{ class: 'personal', action: 'mask' }]

const hmac = (text: string): string => createHmac('sha256', SALT).update(text).digest('hex')

async function post(tp: TestPlatform, batch: Json[]): Promise<void> {
  const res = await fetch(`${tp.url}/v1/batch`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${tp.writeKey}:`).toString('base64')}`,
    },
    body: JSON.stringify({ batch }),
  })
  expect(res.status).toBe(200)
  await res.arrayBuffer()
}

async function stored(tp: TestPlatform, messageId: string): Promise<Json[]> {
  const res = await tp.admin(`/api/v1/events?messageId=${encodeURIComponent(messageId)}`)
  expect(res.status).toBe(200)
  const body = (await res.json()) as { data: { event: Json }[] }
  return body.data.map((row) => row.event)
}

async function one(tp: TestPlatform, messageId: string): Promise<Json> {
  await expect.poll(async () => (await stored(tp, messageId)).length, WAIT).toBe(1)
  return (await stored(tp, messageId))[0]!
}

function describeIngestRules(
  label: string,
  storage: () => Json,
  cleanup: () => Promise<void> = () => Promise.resolve(),
): void {
  describe(`global PII rules at ingest (${label})`, () => {
    const run = randomBytes(4).toString('hex')
    const dir = mkdtempSync(join(tmpdir(), 'tessera-pii-ingest-'))
    const file = join(dir, 'tessera.json')
    const storageConfig = (): Json => ({ dataDir: join(dir, 'data'), ...storage() })
    let tp: TestPlatform

    beforeAll(async () => {
      tp = await startTestPlatform({
        storage: storageConfig(),
        privacy: { pii: { salt: SALT, matchers, rules: RULES } },
      })
    })
    afterAll(async () => {
      try {
        await tp.close()
      } finally {
        rmSync(dir, { recursive: true, force: true })
        await cleanup()
      }
    })

    it('stores the e-mail hashed, the card blocked, the phone masked; ids and dedupe intact', async () => {
      const identify = {
        type: 'identify',
        messageId: `id-${run}`,
        userId: 'u-1',
        anonymousId: 'anon-1',
        traits: { email: 'Jane@Example.com', phone: '+1 415 555 0100', plan: 'pro' },
      }
      const track = {
        type: 'track',
        messageId: `tr-${run}`,
        anonymousId: 'anon-1',
        event: 'Order Completed',
        properties: { card: '4242 4242 4242 4242', total: 10 },
      }
      await post(tp, [identify, track])
      await post(tp, [track]) // the same messageId again: stored once
      const user = await one(tp, `id-${run}`)
      expect(user.userId).toBe('u-1')
      expect(user.anonymousId).toBe('anon-1')
      expect(user.traits).toEqual({
        email: hmac('jane@example.com'),
        phone: '+* *** *** 0100',
        plan: 'pro',
      })
      // Ingest sets `context.ip` from the request: a personal field too.
      expect((user.context as { privacy: Json }).privacy.pii).toEqual([
        { field: 'traits.email', class: 'personal', action: 'hash' },
        { field: 'traits.phone', class: 'sensitive', action: 'mask' },
        { field: 'context.ip', class: 'personal', action: 'hash' },
      ])
      expect((user.context as Json).ip).toBe(hmac('127.0.0.1'))
      const order = await one(tp, `tr-${run}`)
      expect(order.properties).toEqual({ total: 10 })
      expect(order.anonymousId).toBe('anon-1')
      expect((order.context as { privacy: Json }).privacy.pii).toEqual([
        { field: 'properties.card', class: 'restricted', action: 'block' },
        { field: 'context.ip', class: 'personal', action: 'hash' },
      ])
      const stats = (await (
        await tp.admin('/api/v1/stats/ingest?sourceId=test-source')
      ).json()) as {
        data: { duplicates: number }[]
      }
      expect(stats.data.reduce((n, row) => n + row.duplicates, 0)).toBe(1)
    })

    it('resolves identity from the untouched ids, with the hashed e-mail', async () => {
      const profiles = async (): Promise<Json[]> =>
        ((await (await tp.admin('/api/v1/profiles?collection=users')).json()) as { data: Json[] })
          .data
      await expect.poll(async () => (await profiles()).length, WAIT).toBe(1)
      const [profile] = await profiles()
      expect(profile!.identifiers).toEqual(
        expect.arrayContaining([
          { type: 'user_id', value: 'u-1' },
          { type: 'anonymous_id', value: 'anon-1' },
        ]),
      )
      expect(JSON.stringify(profile)).not.toContain('jane@example.com')
    })

    it('applies the rules of a reloaded config file to the events sent after it', async () => {
      writeFileSync(
        file,
        JSON.stringify({
          server: { port: 0, host: '127.0.0.1', logLevel: 'silent' },
          storage: storageConfig(),
          adminTokens: [TEST_ADMIN_TOKEN],
          sources: [{ id: 'test-source', name: 'Test source', writeKey: TEST_WRITE_KEY }],
          privacy: { pii: { salt: SALT, matchers, rules: RELOADED_RULES } },
        }),
      )
      tp.platform.applyConfig(loadConfig({ config: file }, {}).config)
      await post(tp, [
        {
          type: 'identify',
          messageId: `after-${run}`,
          userId: 'u-2',
          traits: { email: 'Jane@Example.com', phone: '+1 415 555 0100', ssn: '123-45-6789' },
        },
      ])
      const after = await one(tp, `after-${run}`)
      // personal is masked now; sensitive and restricted have no rule any more.
      expect(after.traits).toEqual({
        email: 'J***@E***.com',
        phone: '+1 415 555 0100',
        ssn: '123-45-6789',
      })
      expect((after.context as { privacy: Json }).privacy.pii).toEqual([
        { field: 'traits.email', class: 'personal', action: 'mask' },
        { field: 'context.ip', class: 'personal', action: 'mask' },
      ])
      expect((after.context as Json).ip).toBe('127.0.*.*')
      // Stored events keep what was applied when they were stored.
      expect(((await one(tp, `id-${run}`)).traits as Json).email).toBe(hmac('jane@example.com'))
    })

    it('stores events untouched once the reloaded config has no global rules', async () => {
      writeFileSync(
        file,
        JSON.stringify({
          server: { port: 0, host: '127.0.0.1', logLevel: 'silent' },
          storage: storageConfig(),
          adminTokens: [TEST_ADMIN_TOKEN],
          sources: [{ id: 'test-source', name: 'Test source', writeKey: TEST_WRITE_KEY }],
          privacy: { pii: { salt: SALT, matchers } },
        }),
      )
      tp.platform.applyConfig(loadConfig({ config: file }, {}).config)
      await post(tp, [
        { type: 'identify', messageId: `none-${run}`, userId: 'u-3', traits: { email: 'a@b.co' } },
      ])
      const event = await one(tp, `none-${run}`)
      expect(event.traits).toEqual({ email: 'a@b.co' })
      expect((event.context as Json).ip).toBe('127.0.0.1')
      expect((event.context as Json | undefined)?.privacy).toBeUndefined()
    })
  })
}

describeIngestRules('embedded', () => ({}))

const schema = `e2e_pii_${randomBytes(6).toString('hex')}`
describeIngestRules(
  'PostgreSQL',
  () => ({ databaseUrl: DATABASE_URL, databaseSchema: schema }),
  async () => {
    const client = new pg.Client({ connectionString: DATABASE_URL })
    await client.connect()
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    } finally {
      await client.end()
    }
  },
)
