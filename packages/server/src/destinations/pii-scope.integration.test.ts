/**
 * Per-destination privacy rules through the delivery engine on the embedded store: two webhook
 * destinations get the same stored event; the one with a `hash` rule for personal data
 * receives the e-mail hashed, the other receives it clear.
 */
import { createHmac } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqliteStorage } from '../infra/sqlite/open-sqlite-storage.js'
import type { Storage } from '../infra/storage.js'
import { createLogger } from '../platform/logger/index.js'
import { createClassifier, createPiiDeliveryScope } from '../privacy/index.js'
import { buildEventItem, buildLogEntries } from '../testing/builders.js'
import { createWebhookKind } from './builtin/webhook.js'
import { destinationInputSchema, toDestinationConfig } from './config.js'
import { createDeliveryEngine, type DeliveryEngine } from './engine.js'
import type { HttpRequest } from './http-client.js'

const SALT = 'pii-scope-test-salt'

function webhook(id: string) {
  return toDestinationConfig(
    destinationInputSchema.parse({
      id,
      type: 'webhook',
      settings: { url: `http://receiver.test/${id}` },
      delivery: { batchSize: 10, batchWaitMs: 0, concurrency: 1 },
    }),
  )
}

describe('per-destination PII rules in the delivery lane', () => {
  let dir: string
  let storage: Storage
  let engine: DeliveryEngine
  const requests: HttpRequest[] = []

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-pii-scope-'))
    storage = openSqliteStorage({ dataDir: dir })
    requests.length = 0
    engine = createDeliveryEngine({
      queue: storage.deliveryQueue,
      kinds: (type) => Promise.resolve(type === 'webhook' ? createWebhookKind() : null),
      driverDeps: {
        http: {
          send(request) {
            requests.push(request)
            return Promise.resolve({ status: 200, headers: {}, body: '' })
          },
        },
        logger: createLogger({ level: 'silent' }),
        clock: { now: () => Date.now() },
      },
      clock: { now: () => Date.now() },
      idleMs: 50,
      onError: (_id, error) => {
        throw error
      },
      payloadScope: createPiiDeliveryScope(
        [{ class: 'personal', action: 'hash', destinations: ['hashed'] }],
        createClassifier(),
        { salt: SALT },
      ),
    })
  })
  afterEach(async () => {
    await engine.stop()
    await storage.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('hashes the e-mail for the destination with the rule and sends it clear to the other', async () => {
    await engine.configure([webhook('hashed'), webhook('clear')])
    const payload = {
      type: 'identify',
      userId: 'u-1',
      messageId: 'm-1',
      traits: { email: 'Jane.Doe@example.com', plan: 'pro' },
    }
    const item = buildEventItem({
      type: 'identify',
      userId: 'u-1',
      payload: JSON.stringify(payload),
    })
    await storage.eventStore.apply('store', buildLogEntries(1, [item]))
    engine.poke()
    const end = Date.now() + 10_000
    while (requests.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
    const body = (id: string) => {
      const request = requests.find((r) => r.url.endsWith(`/${id}`))
      expect(request, id).toBeDefined()
      return JSON.parse(String(request!.body)) as { traits: Record<string, unknown> }
    }
    const expected = createHmac('sha256', SALT).update('jane.doe@example.com').digest('hex')
    expect(body('hashed').traits).toEqual({ email: expected, plan: 'pro' })
    expect(body('clear').traits).toEqual({ email: 'Jane.Doe@example.com', plan: 'pro' })
  })
})
