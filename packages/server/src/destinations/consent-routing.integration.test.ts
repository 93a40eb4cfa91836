/**
 * Consent and preferences enforced by the delivery engine on the embedded store, with two real
 * webhook destinations (one mapped to the `Advertising` category, one unmapped) and a local
 * receiver: what each receives, the `filtered by consent` counters, and the per-event trace.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { traceDeliveries } from '../api/destination-trace.js'
import {
  DEFAULT_ROUTE_POLICY,
  InMemoryPreferenceIndex,
  type RoutePolicy,
} from '../consent/index.js'
import { UndiciHttpClient } from '../infra/http/undici-http-client.js'
import { openSqliteStorage } from '../infra/sqlite/open-sqlite-storage.js'
import type { Storage } from '../infra/storage.js'
import { systemClock } from '../platform/clock.js'
import { createLogger } from '../platform/logger/index.js'
import { buildEventItem, buildLogEntries } from '../testing/builders.js'
import { createWebhookKind } from './builtin/webhook.js'
import { destinationInputSchema, toDestinationConfig } from './config.js'
import { createDeliveryEngine, type DeliveryEngine } from './engine.js'
import type { DestinationConfig } from './model.js'

async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('consent and preferences in the delivery engine', () => {
  let dir: string
  let storage: Storage
  let engine: DeliveryEngine
  let server: Server
  let base: string
  let http: UndiciHttpClient
  let next = 1
  const received = new Map<string, string[]>()
  const kind = createWebhookKind()

  function destination(id: string, extra: Record<string, unknown> = {}): DestinationConfig {
    return toDestinationConfig(
      destinationInputSchema.parse({
        id,
        type: 'webhook',
        settings: { url: `${base}/${id}` },
        delivery: { batchSize: 1, batchWaitMs: 0, concurrency: 1 },
        ...extra,
      }),
    )
  }

  function start(policy: RoutePolicy): void {
    engine = createDeliveryEngine({
      queue: storage.deliveryQueue,
      kinds: (type) => Promise.resolve(type === 'webhook' ? kind : null),
      driverDeps: { http, logger: createLogger({ level: 'silent' }), clock: systemClock },
      clock: systemClock,
      idleMs: 50,
      onError: (_id, error) => {
        throw error
      },
      policy,
    })
  }

  /** Stores one event with `extra` merged into a track payload; returns its messageId. */
  async function ingest(messageId: string, extra: Record<string, unknown>): Promise<string> {
    const payload = JSON.stringify({
      type: 'track',
      event: 'Order Completed',
      userId: 'u1',
      messageId,
      ...extra,
    })
    const item = buildEventItem({ messageId, userId: 'u1', payload, receivedAt: Date.now() })
    await storage.eventStore.apply('store', buildLogEntries(next, [item]))
    next++
    engine.poke()
    return messageId
  }

  const consent = (categoryPreferences: Record<string, boolean>) => ({
    context: { consent: { categoryPreferences } },
  })

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-consent-'))
    storage = openSqliteStorage({ dataDir: dir })
    received.clear()
    next = 1
    server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messageId: string }
        const path = req.url!.slice(1)
        received.set(path, [...(received.get(path) ?? []), body.messageId])
        res.writeHead(200)
        res.end('ok')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    http = new UndiciHttpClient({ userAgent: 'Tessera/test' })
  })

  afterEach(async () => {
    await engine.stop()
    await storage.close()
    await http.close()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    rmSync(dir, { recursive: true, force: true })
  })

  async function settle(ids: string[], configs: DestinationConfig[]): Promise<void> {
    const last = next - 1
    await until(async () => {
      for (const c of configs) {
        if ((await storage.deliveryQueue.loadLane(c.id)).cursor < last) return false
      }
      return true
    })
    expect(ids.length).toBeGreaterThan(0)
  }

  async function trace(messageId: string, configs: DestinationConfig[], policy: RoutePolicy) {
    const result = await traceDeliveries({
      messageId,
      admin: storage.deliveryAdmin,
      configs,
      kinds: (type) => Promise.resolve(type === 'webhook' ? kind : null),
      policy,
    })
    return Object.fromEntries(result.destinations.map((d) => [d.destinationId, d]))
  }

  it("Segment's default: the mapped destination gets granted and consent-less events only", async () => {
    start(DEFAULT_ROUTE_POLICY)
    const configs = [destination('all'), destination('ads', { consentCategories: ['Advertising'] })]
    await engine.configure(configs)
    const ids = [
      await ingest('granted', consent({ Advertising: true, Analytics: true })),
      await ingest('denied', consent({ Advertising: false })),
      await ingest('empty', consent({})),
      await ingest('none', {}),
    ]
    await settle(ids, configs)
    expect(received.get('all')).toEqual(['granted', 'denied', 'empty', 'none'])
    expect(received.get('ads')).toEqual(['granted', 'none'])

    const [ads] = await storage.deliveryAdmin.stats('ads', 0, Date.now() + 60_000)
    expect(ads).toMatchObject({ delivered: 2, filtered: 2, filteredConsent: 2 })
    const [all] = await storage.deliveryAdmin.stats('all', 0, Date.now() + 60_000)
    expect(all).toMatchObject({ delivered: 4, filtered: 0, filteredConsent: 0 })

    const denied = await trace('denied', configs, DEFAULT_ROUTE_POLICY)
    expect(denied.ads).toMatchObject({ status: 'filtered', reason: 'consent' })
    expect((denied.ads as { detail: string }).detail).toContain('Advertising')
    expect(denied.all).toMatchObject({ status: 'delivered' })
    expect((await trace('granted', configs, DEFAULT_ROUTE_POLICY)).ads).toMatchObject({
      status: 'delivered',
    })
  })

  it('strict mode sends events without consent to unmapped destinations only', async () => {
    const strict = { ...DEFAULT_ROUTE_POLICY, consent: { missingConsent: 'strict' as const } }
    start(strict)
    const configs = [destination('all'), destination('ads', { consentCategories: ['Advertising'] })]
    await engine.configure(configs)
    const ids = [await ingest('none', {}), await ingest('granted', consent({ Advertising: true }))]
    await settle(ids, configs)
    expect(received.get('all')).toEqual(['none', 'granted'])
    expect(received.get('ads')).toEqual(['granted'])
    expect((await trace('none', configs, strict)).ads).toMatchObject({
      status: 'filtered',
      reason: 'consent',
      detail: 'the event carries no consent',
    })
  })

  it('honours channel opt-outs, counted as filtered by preference', async () => {
    const preferences = new InMemoryPreferenceIndex([
      { type: 'user_id', value: 'u1', channels: ['email'], contentTypes: [] },
    ])
    const policy = { ...DEFAULT_ROUTE_POLICY, preferences }
    start(policy)
    const configs = [
      destination('mail', { channel: 'email' }),
      destination('sms', { channel: 'sms' }),
    ]
    await engine.configure(configs)
    const ids = [await ingest('e1', {})]
    await settle(ids, configs)
    expect(received.get('mail')).toBeUndefined()
    expect(received.get('sms')).toEqual(['e1'])
    const [mail] = await storage.deliveryAdmin.stats('mail', 0, Date.now() + 60_000)
    expect(mail).toMatchObject({ filtered: 1, filteredPreference: 1, filteredConsent: 0 })
    expect((await trace('e1', configs, policy)).mail).toMatchObject({ reason: 'preference' })
  })
})
