/**
 * The webhook destination end to end: the real HTTP adapter against a local receiver that
 * verifies signatures the way README.md tells receivers to.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { UndiciHttpClient } from '../../infra/http/undici-http-client.js'
import { systemClock } from '../../platform/clock.js'
import { createLogger } from '../../platform/logger/index.js'
import { DEFAULT_DELIVERY } from '../config.js'
import type { DeliveryContext, DestinationDriver } from '../driver.js'
import type { DeliveryEvent } from '../model.js'
import { createWebhookKind } from './webhook.js'

const SECRET = 'whsec_integration_0123456789'

/** The receiver recipe from README.md, verbatim. */
function verify(
  secret: string,
  rawBody: Buffer,
  headers: IncomingHttpHeaders,
  toleranceSec = 300,
): boolean {
  const ts = headers['x-tessera-timestamp']
  const sig = headers['x-tessera-signature']
  if (typeof ts !== 'string' || typeof sig !== 'string' || !/^\d+$/.test(ts)) return false
  if (Math.abs(Date.now() / 1000 - Number(ts)) > toleranceSec) return false
  const mac = createHmac('sha256', secret).update(`${ts}.`).update(rawBody).digest('hex')
  const expected = Buffer.from(`v1=${mac}`)
  const given = Buffer.from(sig)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

function deliveryEvent(n: number): DeliveryEvent {
  const event = {
    type: 'track' as const,
    event: 'Signed Up',
    messageId: `it-${n}`,
    receivedAt: '2026-01-01T00:00:00.000Z',
    timestamp: '2026-01-01T00:00:00.000Z',
    properties: { plan: 'pro', n },
  }
  return {
    seq: n,
    messageId: event.messageId,
    sourceId: 'src',
    receivedAt: 0,
    event,
    json: JSON.stringify(event),
  }
}

describe('webhook destination over UndiciHttpClient', () => {
  let server: Server
  let url: string
  let http: UndiciHttpClient
  let driver: DestinationDriver | undefined
  const received: { verified: boolean; body: unknown; headers: IncomingHttpHeaders }[] = []
  let status = 200

  beforeEach(async () => {
    received.length = 0
    status = 200
    server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        const raw = Buffer.concat(chunks)
        received.push({
          verified: verify(SECRET, raw, req.headers),
          body: JSON.parse(raw.toString('utf8')),
          headers: req.headers,
        })
        res.writeHead(status, status === 503 ? { 'retry-after': '2' } : {})
        res.end(status === 200 ? 'ok' : 'nope')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
    http = new UndiciHttpClient({ userAgent: 'Tessera/test' })
  })

  afterEach(async () => {
    await driver?.close()
    await http.close()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  async function open(settings: Record<string, unknown>): Promise<DestinationDriver> {
    driver = await createWebhookKind().create(
      {
        id: 'hook',
        name: 'hook',
        type: 'webhook',
        enabled: true,
        sourceIds: null,
        settings,
        filters: [],
        subscriptions: [],
        consentCategories: [],
        delivery: DEFAULT_DELIVERY,
      },
      { http, logger: createLogger({ level: 'silent' }), clock: systemClock },
    )
    return driver
  }

  const ctx = (): DeliveryContext => ({
    attempt: 1,
    signal: new AbortController().signal,
    timeoutMs: 2_000,
  })

  it('delivers signed single events that the receiver recipe verifies', async () => {
    const webhook = await open({ url, secret: SECRET })
    const outcomes = await webhook.deliver([deliveryEvent(1), deliveryEvent(2)], ctx())
    expect(outcomes).toEqual([{ status: 'delivered' }, { status: 'delivered' }])
    expect(received.map((r) => r.verified)).toEqual([true, true])
    expect(received.map((r) => (r.body as { messageId: string }).messageId).sort()).toEqual([
      'it-1',
      'it-2',
    ])
    expect(received[0]?.headers['user-agent']).toBe('Tessera/test')
  })

  it('delivers a signed batch and applies a 503 with Retry-After to every event', async () => {
    const webhook = await open({ url, secret: SECRET, batchSize: 10 })
    expect(await webhook.deliver([deliveryEvent(1), deliveryEvent(2)], ctx())).toEqual([
      { status: 'delivered' },
      { status: 'delivered' },
    ])
    expect(received[0]?.verified).toBe(true)
    expect(received[0]?.body).toEqual({ batch: [deliveryEvent(1).event, deliveryEvent(2).event] })

    status = 503
    const outcomes = await webhook.deliver([deliveryEvent(3), deliveryEvent(4)], ctx())
    expect(outcomes).toHaveLength(2)
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({
        status: 'retry',
        afterMs: 2_000,
        error: { code: 'HTTP_503' },
      })
    }
  })

  it('gives a retry outcome when the receiver is unreachable', async () => {
    const webhook = await open({ url: 'http://127.0.0.1:1/hook' })
    const [outcome] = await webhook.deliver([deliveryEvent(1)], ctx())
    expect(outcome).toMatchObject({ status: 'retry', error: { code: 'ECONNREFUSED' } })
  })
})
