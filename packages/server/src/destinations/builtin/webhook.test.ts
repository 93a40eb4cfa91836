import { createHmac } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ManualClock } from '../../platform/clock.js'
import { createLogger } from '../../platform/logger/index.js'
import type { SegmentEvent } from '../../protocol/index.js'
import type { DeliveryContext, DestinationDriver } from '../driver.js'
import {
  HttpTransportError,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
} from '../http-client.js'
import type { DeliveryEvent, DestinationConfig } from '../model.js'
import { DEFAULT_DELIVERY } from '../config.js'
import { batchIdempotencyKey, createWebhookKind, verifyWebhookSignature } from './webhook.js'

const SECRET = 'whsec_0123456789abcdef'

/** Records requests and answers with the queued responses (or errors), else 200. */
class FakeHttpClient implements HttpClient {
  readonly requests: HttpRequest[] = []
  readonly answers: (HttpResponse | HttpTransportError)[] = []

  send(request: HttpRequest): Promise<HttpResponse> {
    this.requests.push(request)
    const answer = this.answers.shift() ?? { status: 200, headers: {}, body: 'ok' }
    return answer instanceof HttpTransportError ? Promise.reject(answer) : Promise.resolve(answer)
  }
}

function event(n: number, json: 'stored' | 'null' = 'stored'): DeliveryEvent {
  const payload: SegmentEvent = {
    type: 'track',
    event: 'Order Completed',
    messageId: `m-${n}`,
    receivedAt: '2026-01-01T00:00:00.000Z',
    timestamp: '2026-01-01T00:00:00.000Z',
    properties: { n },
  }
  return {
    seq: n,
    messageId: `m-${n}`,
    sourceId: 'src',
    receivedAt: 0,
    event: payload,
    // A stored payload whose key order differs from the object's: proves it is sent as-is.
    json: json === 'stored' ? `{"messageId":"m-${n}","type":"track","stored":true}` : null,
  }
}

function config(settings: Record<string, unknown>): DestinationConfig {
  return {
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
  }
}

const ctx: DeliveryContext = { attempt: 1, signal: new AbortController().signal, timeoutMs: 5_000 }
const clock = new ManualClock(Date.parse('2026-03-01T12:00:00.000Z'))

async function driver(settings: Record<string, unknown>, http: FakeHttpClient) {
  const logger = createLogger({ level: 'silent' })
  return createWebhookKind().create(config(settings), { http, logger, clock })
}

const header = (request: HttpRequest | undefined, name: string) => request?.headers[name]

describe('webhook destination', () => {
  let open: DestinationDriver | undefined
  afterEach(async () => {
    await open?.close()
    vi.useRealTimers()
  })

  it('single mode: one request per event, body = the stored JSON as-is', async () => {
    const http = new FakeHttpClient()
    open = await driver({ url: 'https://hooks.example.com/in', headers: { 'X-Team': 'a' } }, http)
    const outcomes = await open.deliver([event(1), event(2, 'null')], ctx)
    expect(outcomes).toEqual([{ status: 'delivered' }, { status: 'delivered' }])
    expect(http.requests).toHaveLength(2)
    const [first, second] = http.requests
    expect(first?.method).toBe('POST')
    expect(first?.url).toBe('https://hooks.example.com/in')
    expect(first?.body).toBe('{"messageId":"m-1","type":"track","stored":true}')
    expect(JSON.parse(second?.body as string)).toEqual(event(2).event)
    expect(header(first, 'content-type')).toBe('application/json')
    expect(header(first, 'x-team')).toBe('a')
    expect(header(first, 'x-tessera-message-id')).toBe('m-1')
    expect(header(first, 'idempotency-key')).toBe('m-1')
    expect(header(first, 'x-tessera-signature')).toBeUndefined()
    expect(first?.timeoutMs).toBe(5_000)
    expect(first?.signal).toBe(ctx.signal)
  })

  it('batch mode: {"batch":[…]} by concatenation, chunks of batchSize, hashed idempotency key', async () => {
    const http = new FakeHttpClient()
    open = await driver(
      { url: 'http://hooks.example.com/', method: 'PUT', batchSize: 2, timeoutMs: 900 },
      http,
    )
    const events = [event(1), event(2, 'null'), event(3)]
    const outcomes = await open.deliver(events, ctx)
    expect(outcomes.map((o) => o.status)).toEqual(['delivered', 'delivered', 'delivered'])
    expect(http.requests).toHaveLength(2)
    const [first, second] = http.requests
    expect(first?.method).toBe('PUT')
    expect(first?.timeoutMs).toBe(900)
    expect(first?.body).toBe(`{"batch":[${events[0]?.json},${JSON.stringify(events[1]?.event)}]}`)
    expect(JSON.parse(second?.body as string)).toEqual({
      batch: [{ messageId: 'm-3', type: 'track', stored: true }],
    })
    expect(header(first, 'idempotency-key')).toBe(batchIdempotencyKey(events.slice(0, 2)))
    expect(header(first, 'idempotency-key')).toMatch(/^[0-9a-f]{64}$/)
    expect(header(first, 'x-tessera-message-id')).toBeUndefined()
  })

  it('signs "<timestamp>.<body>" with HMAC-SHA256 when a secret is set', async () => {
    const http = new FakeHttpClient()
    open = await driver({ url: 'https://hooks.example.com/', secret: SECRET }, http)
    await open.deliver([event(1)], ctx)
    const request = http.requests[0]
    const timestamp = header(request, 'x-tessera-timestamp')
    expect(timestamp).toBe(String(Math.floor(clock.now() / 1000)))
    const expected = createHmac('sha256', SECRET)
      .update(`${timestamp}.${request?.body as string}`)
      .digest('hex')
    expect(header(request, 'x-tessera-signature')).toBe(`v1=${expected}`)

    vi.useFakeTimers({ now: clock.now() + 10_000 })
    const signature = header(request, 'x-tessera-signature')
    const body = request?.body as string
    expect(verifyWebhookSignature(SECRET, timestamp, body, signature, 300)).toBe(true)
    expect(verifyWebhookSignature(SECRET, timestamp, Buffer.from(body), signature, 300)).toBe(true)
    expect(verifyWebhookSignature(SECRET, timestamp, `${body} `, signature, 300)).toBe(false)
    expect(verifyWebhookSignature('other-secret', timestamp, body, signature, 300)).toBe(false)
    expect(verifyWebhookSignature(SECRET, timestamp, body, `v1=00, ${signature}`, 300)).toBe(true)
    expect(verifyWebhookSignature(SECRET, undefined, body, signature, 300)).toBe(false)
    expect(verifyWebhookSignature(SECRET, timestamp, body, undefined, 300)).toBe(false)
    // A replay past the tolerance is refused.
    expect(verifyWebhookSignature(SECRET, timestamp, body, signature, 5)).toBe(false)
  })

  it('classifies answers: 5xx retry, 429 retry with Retry-After, 400 failed with a masked sample', async () => {
    const http = new FakeHttpClient()
    http.answers.push(
      { status: 503, headers: {}, body: 'down' },
      { status: 429, headers: { 'retry-after': '7' }, body: '' },
      { status: 400, headers: { 'set-cookie': 'sid=1' }, body: 'x'.repeat(5_000) },
    )
    open = await driver(
      {
        url: 'https://user:pw@hooks.example.com/in?token=abc&x=1',
        headers: { authorization: 'Bearer t0k', 'x-custom': `prefix ${SECRET}` },
        secret: SECRET,
      },
      http,
    )
    const [retry, limited, failed] = await open.deliver([event(1), event(2), event(3)], ctx)
    expect(retry).toMatchObject({ status: 'retry', error: { code: 'HTTP_503', httpStatus: 503 } })
    expect(retry).not.toHaveProperty('afterMs')
    expect(limited).toMatchObject({ status: 'retry', afterMs: 7_000, error: { code: 'HTTP_429' } })
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'HTTP_400' } })
    const sample = failed?.status === 'failed' ? failed.error.sample : undefined
    expect(sample).toMatchObject({
      request: {
        url: 'https://user:masked@hooks.example.com/in?token=masked&x=1',
        headers: {
          authorization: '[masked]',
          'x-custom': '[masked]',
          'x-tessera-signature': '[masked]',
          'idempotency-key': 'm-3',
        },
        body: event(3).json,
      },
      response: {
        status: 400,
        headers: { 'set-cookie': '[masked]' },
        body: `${'x'.repeat(2_048)}…`,
      },
    })
    expect(JSON.stringify(sample)).not.toContain(SECRET)
    expect(JSON.stringify(sample)).not.toContain('t0k')
  })

  it('a batch answer applies to every event of the batch; transport errors are classified', async () => {
    const http = new FakeHttpClient()
    http.answers.push(
      new HttpTransportError('ECONNREFUSED', 'refused'),
      new HttpTransportError('EGRESS_BLOCKED', 'blocked'),
    )
    open = await driver({ url: 'https://hooks.example.com/', batchSize: 2 }, http)
    const outcomes = await open.deliver([event(1), event(2), event(3), event(4)], ctx)
    expect(outcomes.map((o) => o.status)).toEqual(['retry', 'retry', 'failed', 'failed'])
    expect(outcomes[0]).toMatchObject({ error: { code: 'ECONNREFUSED' } })
    expect(outcomes[2]).toMatchObject({ error: { code: 'EGRESS_BLOCKED' } })
    const sample = outcomes[0]?.status === 'retry' ? outcomes[0].error.sample : undefined
    expect(sample?.response).toBeNull()
  })

  it('validates settings and rejects create() with every issue', async () => {
    const kind = createWebhookKind()
    expect(kind.type).toBe('webhook')
    expect(kind.settings.secrets).toEqual(['secret'])
    expect(kind.settings.jsonSchema).toMatchObject({ properties: { url: { type: 'string' } } })
    expect(await kind.validate(config({ url: 'https://example.com' }))).toEqual([])
    const problems = await kind.validate(
      config({ url: 'ftp://example.com', method: 'GET', batchSize: 5_000, headers: { Host: 'x' } }),
    )
    expect(problems).toEqual([
      expect.stringMatching(/^settings\.url: /),
      expect.stringMatching(/^settings\.method: /),
      expect.stringMatching(/^settings\.headers\.Host: reserved header/),
      expect.stringMatching(/^settings\.batchSize: /),
    ])
    await expect(driver({}, new FakeHttpClient())).rejects.toThrow(/invalid webhook settings/)
  })
})
