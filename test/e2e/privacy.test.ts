// PII end to end on the embedded store: events sent over the tracking API reach two webhooks
// through the delivery worker, one with a per-destination `hash` rule for personal data (it
// gets the e-mail hashed) and one without (it gets it clear); the `fields` consumer records
// the fields with their classes, read back through the inventory and schema routes. Needs a
// build (`npm run build -w @tessera/server`): the delivery worker runs from dist.
import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  startTestPlatform,
  type TestPlatform,
} from '../../packages/server/src/testing/test-platform.js'
import { configSchema } from '../../packages/server/src/app/config.js'
import { startReceiver, type Receiver } from '../support/webhook-receiver.js'

type Json = Record<string, unknown>
const SALT = 'e2e-pii-salt-0123456789'
const WAIT = { timeout: 15_000, interval: 50 }

describe('PII rules and inventory on the platform', () => {
  let tessera: TestPlatform
  let hashed: Receiver
  let clear: Receiver

  beforeAll(async () => {
    hashed = await startReceiver()
    clear = await startReceiver()
    tessera = await startTestPlatform({
      destinations: [
        { id: 'hashed', type: 'webhook', settings: { url: hashed.url } },
        { id: 'clear', type: 'webhook', settings: { url: clear.url } },
      ],
      privacy: {
        pii: {
          salt: SALT,
          rules: [{ class: 'personal', action: 'hash', destinations: ['hashed'] }],
        },
      },
    })
  })
  afterAll(async () => {
    await tessera.close()
    await hashed.close()
    await clear.close()
  })

  it('hashes for one destination, sends clear to the other, and inventories the fields', async () => {
    const res = await fetch(`${tessera.url}/v1/identify`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${tessera.writeKey}:`).toString('base64')}`,
      },
      body: JSON.stringify({ userId: 'u-1', traits: { email: 'Jane@Example.com', plan: 'pro' } }),
    })
    expect(res.status).toBe(200)
    await expect.poll(() => hashed.events().length + clear.events().length, WAIT).toBe(2)
    const hash = createHmac('sha256', SALT).update('jane@example.com').digest('hex')
    expect((hashed.events()[0]!.traits as Json).email).toBe(hash)
    expect((clear.events()[0]!.traits as Json).email).toBe('Jane@Example.com')

    const inventory = async () =>
      (
        (await (await tessera.admin('/api/v1/privacy/inventory?source=test-source')).json()) as {
          data: Json[]
        }
      ).data
    await expect
      .poll(async () => (await inventory()).map((r) => r.field), WAIT)
      .toContain('traits.email')
    expect((await inventory()).find((r) => r.field === 'traits.email')).toMatchObject({
      class: 'personal',
      kind: 'email',
      eventType: 'identify',
    })
    const schema = (await (await tessera.admin('/api/v1/sources/test-source/schema')).json()) as {
      events: Json[]
    }
    expect(schema.events.map((e) => e.type)).toEqual(['identify'])
  })

  it('classifies with the custom matchers of a reloaded config from the next events on', async () => {
    const loyalty = { name: 'loyalty-id', on: 'key', pattern: 'loyalty_id', class: 'sensitive' }
    tessera.platform.applyConfig(
      configSchema.parse({
        server: { port: 0, host: '127.0.0.1', logLevel: 'silent' },
        storage: { dataDir: tessera.dataDir },
        adminTokens: [tessera.adminToken],
        sources: [{ id: 'test-source', name: 'Test source', writeKey: tessera.writeKey }],
        destinations: [
          { id: 'hashed', type: 'webhook', settings: { url: hashed.url } },
          { id: 'clear', type: 'webhook', settings: { url: clear.url } },
        ],
        privacy: { pii: { salt: SALT, matchers: [loyalty] } },
      }),
    )
    // The reload reaches the followers thread as a message queued before the event below is
    // sent, so the batch holding the event is classified with the new matcher.
    const res = await fetch(`${tessera.url}/v1/track`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${tessera.writeKey}:`).toString('base64')}`,
      },
      body: JSON.stringify({
        userId: 'u-1',
        event: 'Card Linked',
        properties: { loyalty_id: 'L-77' },
      }),
    })
    expect(res.status).toBe(200)
    const field = async () =>
      (
        (await (await tessera.admin('/api/v1/privacy/inventory?source=test-source')).json()) as {
          data: Json[]
        }
      ).data.find((r) => r.field === 'properties.loyalty_id')
    await expect.poll(field, WAIT).toMatchObject({ class: 'sensitive', kind: 'loyalty-id' })
  })
})
