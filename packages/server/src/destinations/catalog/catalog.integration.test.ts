// Catalog destinations end to end: catalog → our fetch bridge → an HttpClient (written here,
// over node:http) that sends every request to a local server, keeping the original URL in a
// header. Nothing leaves 127.0.0.1.
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../platform/clock.js'
import { createLogger } from '../../platform/logger/index.js'
import { DEFAULT_DELIVERY } from '../config.js'
import type { DeliveryOutcome, DestinationDriver, DriverDeps } from '../driver.js'
import {
  HttpTransportError,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
} from '../http-client.js'
import type { DeliveryEvent, DestinationConfig, Subscription } from '../model.js'
import type { SegmentEvent } from '../../protocol/index.js'
import { createCatalogRegistry } from './catalog-kind.js'
import { loadRuntime, type CoreDestination } from './core.js'

interface Captured {
  method: string
  url: string
  host: string
  headers: Record<string, string | string[] | undefined>
  body: string
}

type Responder = (req: Captured) => {
  status: number
  headers?: Record<string, string>
  body?: string
  delayMs?: number
}

const OK: Responder = () => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: '{"code":200,"status":1}',
})

let server: Server
let port = 0
let captured: Captured[] = []
let respond: Responder = OK

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const entry: Captured = {
        method: req.method ?? '',
        url: String(req.headers['x-original-url']),
        host: String(req.headers['x-original-host']),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      captured.push(entry)
      const answer = respond(entry)
      setTimeout(() => {
        res.writeHead(answer.status, answer.headers ?? {})
        res.end(answer.body ?? '')
      }, answer.delayMs ?? 0)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

afterEach(() => {
  captured = []
  respond = OK
})

/** An HttpClient that sends everything to 127.0.0.1:`target`, keeping the original URL. */
function redirectingClient(target: () => number): HttpClient {
  return {
    send(req: HttpRequest): Promise<HttpResponse> {
      const original = new URL(req.url)
      return new Promise((resolve, reject) => {
        const out = httpRequest(
          {
            host: '127.0.0.1',
            port: target(),
            method: req.method,
            path: `${original.pathname}${original.search}`,
            headers: {
              ...req.headers,
              'x-original-url': req.url,
              'x-original-host': original.host,
            },
          },
          (res) => {
            const chunks: Buffer[] = []
            res.on('data', (c: Buffer) => chunks.push(c))
            res.on('end', () => {
              clearTimeout(timer)
              const headers: Record<string, string> = {}
              for (const [k, v] of Object.entries(res.headers)) {
                if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v
              }
              resolve({
                status: res.statusCode ?? 0,
                headers,
                body: Buffer.concat(chunks).toString('utf8'),
              })
            })
          },
        )
        const timer = setTimeout(() => {
          out.destroy()
          reject(new HttpTransportError('TIMEOUT', `no answer within ${req.timeoutMs} ms`))
        }, req.timeoutMs)
        out.on('error', (err: NodeJS.ErrnoException) => {
          clearTimeout(timer)
          reject(new HttpTransportError(err.code ?? 'NETWORK_ERROR', err.message, { cause: err }))
        })
        if (req.body !== undefined) out.write(req.body)
        out.end()
      })
    },
  }
}

const clock = new ManualClock(Date.parse('2026-01-15T10:00:00.000Z'))
const deps = (http?: HttpClient): DriverDeps => ({
  http: http ?? redirectingClient(() => port),
  logger: createLogger({ level: 'silent' }),
  clock,
})
const ctx = { attempt: 1, signal: new AbortController().signal, timeoutMs: 5_000 }

const base = {
  anonymousId: 'anon-123',
  userId: 'user-42',
  timestamp: '2026-01-15T10:00:00.000Z',
  receivedAt: '2026-01-15T10:00:01.000Z',
  context: {
    ip: '203.0.113.9',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36',
    library: { name: 'analytics.js', version: '1.0.0' },
    page: { url: 'https://shop.example.com/p/1', path: '/p/1', referrer: '', title: 'P1' },
  },
}
const track = (over: Record<string, unknown> = {}): SegmentEvent => ({
  ...base,
  type: 'track',
  messageId: 'msg-track-1',
  event: 'Product Added',
  properties: { product_id: 'sku-1', price: 19.99, currency: 'EUR', quantity: 2 },
  ...over,
})
const identify = (): SegmentEvent => ({
  ...base,
  type: 'identify',
  messageId: 'msg-identify-1',
  traits: { email: 'ada@example.com', name: 'Ada Lovelace', plan: 'pro' },
})

let seq = 0
const delivery = (event: SegmentEvent): DeliveryEvent => ({
  seq: ++seq,
  messageId: String(event.messageId),
  sourceId: 'src-1',
  receivedAt: clock.now(),
  event,
  json: null,
})

function config(
  type: string,
  settings: Record<string, unknown>,
  subscriptions: Array<
    Partial<Subscription> & Pick<Subscription, 'partnerAction' | 'subscribe'>
  > = [],
): DestinationConfig {
  return {
    id: `d-${type}`,
    name: type,
    type,
    enabled: true,
    sourceIds: null,
    settings,
    filters: [],
    subscriptions: subscriptions.map((s) => ({ name: '', mapping: {}, enabled: true, ...s })),
    consentCategories: [],
    delivery: DEFAULT_DELIVERY,
  }
}

const registry = createCatalogRegistry()

async function driverFor(cfg: DestinationConfig, http?: HttpClient): Promise<DestinationDriver> {
  const kind = await registry.kind(cfg.type)
  if (!kind) throw new Error(`no kind ${cfg.type}`)
  expect(await kind.validate(cfg)).toEqual([])
  return kind.create(cfg, deps(http))
}

async function deliver(
  driver: DestinationDriver,
  ...events: SegmentEvent[]
): Promise<DeliveryOutcome[]> {
  return driver.deliver(events.map(delivery), ctx)
}

const json = (c: Captured | undefined): Record<string, unknown> =>
  JSON.parse(c?.body ?? 'null') as Record<string, unknown>
const basic = (user: string, pass: string) =>
  `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`

const webhook = (mapping: Record<string, unknown> = {}) =>
  config('actions-webhook', { sharedSecret: 'whsec-123456' }, [
    {
      partnerAction: 'send',
      subscribe: 'type = "track" or type = "identify"',
      mapping: { url: 'https://hooks.example.com/cdp-ingest', ...mapping },
    },
  ])

describe('catalog destinations end to end', () => {
  it('Webhook: one POST per event with the event as JSON and an HMAC signature', async () => {
    const driver = await driverFor(webhook())
    const outcomes = await deliver(driver, track())
    expect(outcomes[0]).toMatchObject({ status: 'delivered' })
    expect(captured).toHaveLength(1)
    expect(captured[0]).toMatchObject({
      method: 'POST',
      url: 'https://hooks.example.com/cdp-ingest',
    })
    expect(captured[0]?.headers['x-signature']).toMatch(/^[0-9a-f]{40}$/)
    expect(json(captured[0])).toMatchObject({ event: 'Product Added', userId: 'user-42' })
    await deliver(driver, identify())
    expect(json(captured[1])).toMatchObject({ type: 'identify', traits: { plan: 'pro' } })
  })

  it('Webhook: a batch goes out as one request (performBatch) with per-event outcomes', async () => {
    const driver = await driverFor(webhook({ batch_size: 10 }))
    const outcomes = await deliver(driver, track(), identify(), track({ messageId: 'm3' }))
    expect(outcomes.map((o) => o.status)).toEqual(['delivered', 'delivered', 'delivered'])
    expect(captured).toHaveLength(1)
    const body = JSON.parse(captured[0]?.body ?? '[]') as unknown[]
    expect(body).toHaveLength(3)
  })

  it('Webhook: a batch multistatus maps per event (invalid mapping, unmatched event)', async () => {
    const cfg = config('actions-webhook', {}, [
      {
        partnerAction: 'send',
        subscribe: 'type = "track"',
        mapping: { url: { '@path': '$.properties.hook' } },
      },
    ])
    const driver = await driverFor(cfg)
    const good = track({ properties: { hook: 'https://hooks.example.com/a' } })
    const outcomes = await deliver(driver, good, track({ messageId: 'no-hook' }), identify())
    expect(outcomes[0]).toMatchObject({ status: 'delivered' })
    expect(outcomes[1]).toMatchObject({
      status: 'failed',
      error: { code: 'PAYLOAD_VALIDATION_FAILED' },
    })
    expect(outcomes[2]).toMatchObject({ status: 'skipped' })
    expect(captured).toHaveLength(1)
  })

  it('Slack: posts the templated text; an identify is skipped (not subscribed)', async () => {
    const driver = await driverFor(
      config('actions-slack', {}, [
        {
          partnerAction: 'postToChannel',
          subscribe: 'type = "track"',
          mapping: {
            url: 'https://hooks.slack.com/services/T000/B000/XXXX',
            text: { '@template': 'User {{userId}} did {{event}}' },
            channel: '#sales',
          },
        },
      ]),
    )
    const outcomes = await deliver(driver, track())
    expect(outcomes[0]?.status).toBe('delivered')
    expect(captured[0]).toMatchObject({ method: 'POST', host: 'hooks.slack.com' })
    expect(json(captured[0])).toMatchObject({
      text: 'User user-42 did Product Added',
      channel: '#sales',
    })
    expect(await deliver(driver, identify())).toEqual([
      { status: 'skipped', reason: 'no subscription matches the event' },
    ])
    expect(captured).toHaveLength(1)
  })

  it('Mixpanel (default setup from presets): import with basic auth; identify to /track and /engage', async () => {
    const driver = await driverFor(
      config('actions-mixpanel', { projectToken: 'mp-token', apiSecret: 'mp-secret-1' }),
    )
    expect((await deliver(driver, track()))[0]?.status).toBe('delivered')
    expect(captured[0]).toMatchObject({
      method: 'POST',
      url: 'https://api.mixpanel.com/import?strict=1',
    })
    expect(captured[0]?.headers.authorization).toBe(basic('mp-secret-1', ''))
    expect(json(captured[0])).toMatchObject([
      { event: 'Product Added', properties: { distinct_id: 'user-42', $insert_id: 'msg-track-1' } },
    ])
    captured = []
    expect((await deliver(driver, identify()))[0]?.status).toBe('delivered')
    const urls = captured.map((c) => c.url).sort()
    expect(urls).toEqual(['https://api.mixpanel.com/engage', 'https://api.mixpanel.com/track'])
    const engage = captured.find((c) => c.url.endsWith('/engage'))
    const data = JSON.parse(new URLSearchParams(engage?.body).get('data') ?? '{}') as Record<
      string,
      unknown
    >
    expect(data).toMatchObject({
      $token: 'mp-token',
      $distinct_id: 'user-42',
      $set: { plan: 'pro' },
    })
  })

  it('Mixpanel: a batch mixes onBatch (track) and onEvent (identify) per event', async () => {
    const driver = await driverFor(
      config('actions-mixpanel', { projectToken: 'mp-token', apiSecret: 'mp-secret-1' }),
    )
    const outcomes = await deliver(driver, track(), track({ messageId: 'm2' }), identify())
    expect(outcomes.map((o) => o.status)).toEqual(['delivered', 'delivered', 'delivered'])
    const imports = captured.filter((c) => c.url.includes('/import'))
    expect(imports).toHaveLength(1)
    expect(JSON.parse(imports[0]?.body ?? '[]')).toHaveLength(2)
  })

  it('Amplitude (presets): httpapi JSON for track, identify form', async () => {
    const driver = await driverFor(
      config('actions-amplitude', {
        apiKey: 'amp-key-1',
        secretKey: 'amp-secret-1',
        endpoint: 'north_america',
      }),
    )
    expect((await deliver(driver, track()))[0]?.status).toBe('delivered')
    expect(captured[0]).toMatchObject({
      method: 'POST',
      url: 'https://api2.amplitude.com/2/httpapi',
    })
    expect(json(captured[0])).toMatchObject({
      api_key: 'amp-key-1',
      events: [{ event_type: 'Product Added', user_id: 'user-42', device_id: 'anon-123' }],
    })
    captured = []
    expect((await deliver(driver, identify()))[0]?.status).toBe('delivered')
    expect(captured[0]).toMatchObject({ url: 'https://api2.amplitude.com/identify' })
    const form = new URLSearchParams(captured[0]?.body)
    expect(form.get('api_key')).toBe('amp-key-1')
    expect(JSON.parse(form.get('identification') ?? '{}')).toMatchObject({ user_id: 'user-42' })
  })

  it('Amplitude: forwards a deletion per user id to its deletions API; a refusal fails it', async () => {
    const kind = await registry.kind('actions-amplitude')
    expect(kind?.supportsDeletion).toBe(true)
    expect((await registry.kind('actions-slack'))?.supportsDeletion).toBe(false)
    const driver = await driverFor(
      config('actions-amplitude', {
        apiKey: 'amp-key-1',
        secretKey: 'amp-secret-1',
        endpoint: 'north_america',
      }),
    )
    const request = {
      regulationId: 'reg-1',
      userIds: ['user-42', 'user-43'],
      anonymousIds: ['anon-123'],
      identifiers: [],
    }
    expect(await driver.deleteSubject?.(request, ctx)).toEqual({ status: 'deleted' })
    expect(captured.map((c) => c.url)).toEqual([
      'https://amplitude.com/api/2/deletions/users',
      'https://amplitude.com/api/2/deletions/users',
    ])
    expect(captured[0]?.headers.authorization).toBe(basic('amp-key-1', 'amp-secret-1'))
    expect(captured.map((c) => json(c).user_ids)).toEqual([['user-42'], ['user-43']])
    captured = []
    respond = () => ({ status: 400, body: '{"error":"invalid user"}' })
    const refused = await driver.deleteSubject?.(request, ctx)
    expect(refused?.status).toBe('failed')
    expect(refused?.status === 'failed' && refused.error.message).not.toContain('amp-secret-1')
  })

  it('Customer.io (presets): entity API with basic auth for track and identify', async () => {
    const driver = await driverFor(
      config('actions-customerio', { siteId: 'site-1', apiKey: 'cio-key-1' }),
    )
    expect((await deliver(driver, track()))[0]?.status).toBe('delivered')
    expect(captured[0]).toMatchObject({
      method: 'POST',
      url: 'https://track.customer.io/api/v2/entity',
    })
    expect(captured[0]?.headers.authorization).toBe(basic('site-1', 'cio-key-1'))
    expect(json(captured[0])).toMatchObject({
      action: 'event',
      name: 'Product Added',
      identifiers: { id: 'user-42' },
    })
    captured = []
    expect((await deliver(driver, identify()))[0]?.status).toBe('delivered')
    expect(json(captured[0])).toMatchObject({
      action: 'identify',
      attributes: { email: 'ada@example.com' },
    })
  })
})

describe('catalog delivery failures', () => {
  it('429 with Retry-After → retry after that delay', async () => {
    respond = () => ({ status: 429, headers: { 'retry-after': '7' }, body: 'slow down' })
    const outcomes = await deliver(await driverFor(webhook()), track())
    expect(outcomes[0]).toMatchObject({
      status: 'retry',
      afterMs: 7_000,
      error: { code: 'HTTP_429', httpStatus: 429 },
    })
  })

  it('500 → retry; 400 → failed; both batch and single', async () => {
    respond = () => ({ status: 500, body: 'oops' })
    const driver = await driverFor(webhook())
    expect((await deliver(driver, track()))[0]).toMatchObject({
      status: 'retry',
      error: { code: 'HTTP_500' },
    })
    expect((await deliver(driver, track(), identify())).map((o) => o.status)).toEqual([
      'retry',
      'retry',
    ])
    respond = () => ({ status: 400, body: 'bad' })
    expect((await deliver(driver, track()))[0]).toMatchObject({
      status: 'failed',
      error: { code: 'HTTP_400' },
    })
  })

  it('connection refused → retry with ECONNREFUSED; a slow answer → TIMEOUT', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const deadPort = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const refused = await driverFor(
      webhook(),
      redirectingClient(() => deadPort),
    )
    expect((await deliver(refused, track()))[0]).toMatchObject({
      status: 'retry',
      error: { code: 'ECONNREFUSED' },
    })
    respond = () => ({ status: 200, delayMs: 400 })
    const driver = await driverFor(webhook())
    const slow = await driver.deliver([delivery(track())], { ...ctx, timeoutMs: 100 })
    expect(slow[0]).toMatchObject({ status: 'retry', error: { code: 'TIMEOUT' } })
  })

  it('a mapping that resolves no value for a required field → failed with a clear message', async () => {
    const cfg = config('actions-slack', {}, [
      {
        partnerAction: 'postToChannel',
        subscribe: 'type = "track"',
        mapping: { url: 'https://hooks.slack.com/x', text: { '@path': '$.properties.missing' } },
      },
    ])
    const outcomes = await deliver(await driverFor(cfg), track())
    expect(outcomes[0]).toMatchObject({
      status: 'failed',
      error: { code: 'PAYLOAD_VALIDATION_FAILED' },
    })
    expect(outcomes[0]?.status === 'failed' && outcomes[0].error.message).toContain("'text'")
    expect(captured).toHaveLength(0)
  })

  it('masks secret settings in error messages and samples', async () => {
    respond = () => ({ status: 400, body: 'invalid api_key amp-key-1' })
    const driver = await driverFor(
      config('actions-amplitude', {
        apiKey: 'amp-key-1',
        secretKey: 'amp-secret-1',
        endpoint: 'north_america',
      }),
    )
    const [outcome] = await deliver(driver, track())
    expect(outcome?.status).toBe('failed')
    const text = JSON.stringify(outcome)
    expect(text).not.toContain('amp-key-1')
    expect(text).toContain('***')
    const error = outcome?.status === 'failed' ? outcome.error : null
    expect(error?.sample?.request.url).toBe('https://api2.amplitude.com/2/httpapi')
    expect(error?.sample?.response?.status).toBe(400)

    const mp = await driverFor(
      config('actions-mixpanel', { projectToken: 'mp-token', apiSecret: 'mp-secret-1' }),
    )
    const [failed] = await deliver(mp, track())
    const sample = failed?.status === 'failed' ? failed.error.sample : undefined
    expect(sample?.request.headers.authorization).toBe('***')
  })

  it('invalid settings fail every event with INVALID_SETTINGS, without a request', async () => {
    const kind = await registry.kind('actions-mixpanel')
    const cfg = config('actions-mixpanel', { apiSecret: 'mp-secret-1' })
    expect((await kind?.validate(cfg))?.join()).toMatch(/settings: .*projectToken/)
    const driver = await kind!.create(cfg, deps())
    expect((await deliver(driver, track()))[0]).toMatchObject({
      status: 'failed',
      error: { code: 'INVALID_SETTINGS' },
    })
    expect(captured).toHaveLength(0)
  })

  it('clears destination.responses after every call', async () => {
    const { core } = loadRuntime()
    const proto = core.Destination.prototype as CoreDestination
    const seen: CoreDestination[] = []
    const onEvent = proto.onEvent
    proto.onEvent = function (
      this: CoreDestination,
      ...args: Parameters<CoreDestination['onEvent']>
    ) {
      seen.push(this)
      return onEvent.apply(this, args)
    }
    try {
      const driver = await driverFor(webhook())
      for (let i = 0; i < 5; i++) await deliver(driver, track({ messageId: `m${i}` }))
      expect(captured).toHaveLength(5)
      expect(seen.length).toBe(5)
      expect(seen.every((d) => d.responses.length === 0)).toBe(true)
    } finally {
      proto.onEvent = onEvent
    }
  })

  it('refuses catalog requests made outside a delivery', async () => {
    const { fetchModule } = loadRuntime()
    await expect(
      fetchModule.default({
        url: 'https://example.com/',
        method: 'GET',
        headers: { forEach: () => undefined },
        buffer: () => Promise.resolve(new Uint8Array()),
      }),
    ).rejects.toMatchObject({ code: 'EGRESS_BLOCKED' })
  })
})
