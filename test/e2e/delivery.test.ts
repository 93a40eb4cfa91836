// Delivery to destinations end to end: events sent with a real Segment client reach local HTTP
// receivers through the delivery engine (a worker thread on the embedded store, in process on
// PostgreSQL). Covers webhooks (signatures, batches), file- and API-managed destinations,
// secrets at rest, routing and filters, backoff, dead letters and replay, Retry-After,
// backfills, metrics, traces, the event tester and a catalog destination. Needs a build
// (`npm run build`): the delivery worker runs from dist. PostgreSQL at 127.0.0.1:5432.
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Analytics } from '@segment/analytics-node'
import Database from 'better-sqlite3'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { stringify as toYaml } from 'yaml'
import { loadConfig } from '../../packages/server/src/app/config.js'
import { startPlatform, type Platform } from '../../packages/server/src/app/create-platform.js'
import { createLogger } from '../../packages/server/src/platform/logger/index.js'
import {
  startTestPlatform,
  TEST_ADMIN_TOKEN,
  TEST_WRITE_KEY,
  type TestPlatform,
} from '../../packages/server/src/testing/test-platform.js'
import { verifyWebhookSignature } from '../../packages/server/src/destinations/index.js'
import { startReceiver, type Receiver } from '../support/webhook-receiver.js'

type Json = Record<string, unknown>

const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test'
const MASK = '••••••••'
const SECRET = 'hook-secret-0123456789abcdef'
const OTHER_WRITE_KEY = 'other_write_key_0002'
/** Lanes idle up to 1 s and the worker reports its status every 500 ms: wait well beyond. */
const WAIT = { timeout: 15_000, interval: 50 }

/** What the tests need of a running platform (a test platform or one from a config file). */
interface Tessera {
  url: string
  dataDir: string
  admin: (path: string, init?: RequestInit) => Promise<Response>
  close: () => Promise<void>
}

interface ApiAnswer<T = Json> {
  status: number
  body: T
}

interface DestinationJson {
  config: {
    id: string
    name: string
    type: string
    settings: Json
    sourceIds: string[] | null
    delivery: Json
  }
  managed: boolean
  createdAt: number | null
  updatedAt: number | null
  status: {
    state: string
    cursor: number | null
    lag: number | null
    backoff: { attempts: number; nextAt: number; lastError: { code: string } } | null
  }
}

interface TraceJson {
  messageId: string
  seq: number
  destinations: Array<{
    destinationId: string
    status: string
    reason?: string
    attempts?: unknown
    error?: { code: string }
  }>
}

interface DeadLetterJson {
  id: number
  messageId: string
  error: { code: string; httpStatus?: number }
  attempts: Array<{ code: string | null; httpStatus: number | null }>
  replayedAt: number | null
}

interface ErrorBody {
  error: { code: string; message: string; details?: Json }
}

let counter = 0
/** A messageId unique in this run. */
const mid = (label: string): string => `dlv-${label}-${++counter}-${randomBytes(3).toString('hex')}`

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

async function api<T = Json>(
  tessera: Tessera,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiAnswer<T>> {
  const response = await tessera.admin(path, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  })
  const text = await response.text()
  return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T }
}

/** GET that must answer 200. */
async function get<T = Json>(tessera: Tessera, path: string): Promise<T> {
  const answer = await api<T>(tessera, 'GET', path)
  expect(answer.status, `${path}: ${JSON.stringify(answer.body)}`).toBe(200)
  return answer.body
}

const errorCode = (answer: ApiAnswer): string | undefined =>
  (answer.body as unknown as Partial<ErrorBody>).error?.code

/** Destinations created by a test, deleted after it (also when it failed). */
const createdIds: Array<{ tessera: Tessera; id: string }> = []

async function createDestination(tessera: Tessera, input: Json): Promise<DestinationJson> {
  createdIds.push({ tessera, id: String(input.id) })
  const answer = await api<DestinationJson>(tessera, 'POST', '/api/v1/destinations', input)
  expect(answer.status, JSON.stringify(answer.body)).toBe(201)
  await waitRunning(tessera, String(input.id))
  return answer.body
}

async function deleteDestination(tessera: Tessera, id: string): Promise<void> {
  expect((await api(tessera, 'DELETE', `/api/v1/destinations/${id}`)).status).toBe(204)
}

afterEach(async () => {
  for (const { tessera, id } of createdIds.splice(0)) {
    await api(tessera, 'DELETE', `/api/v1/destinations/${id}`)
  }
})

/**
 * Waits until the destination's lane has started: events stored after that reach it. A plain
 * loop rather than expect.poll, so hooks can use it too.
 */
async function waitRunning(tessera: Tessera, id: string): Promise<void> {
  const deadline = Date.now() + WAIT.timeout
  for (;;) {
    const answer = await api<DestinationJson>(tessera, 'GET', `/api/v1/destinations/${id}`)
    if (answer.status === 200 && answer.body.status.cursor !== null) return
    if (Date.now() > deadline) {
      throw new Error(`destination ${id} did not start: ${JSON.stringify(answer.body)}`)
    }
    await sleep(WAIT.interval)
  }
}

interface TrackCall {
  messageId: string
  event: string
  userId?: string
  properties?: Json
  integrations?: Record<string, boolean>
}

/** Sends calls with @segment/analytics-node and waits for every batch to be acknowledged. */
async function sendTracks(tessera: Tessera, calls: TrackCall[], writeKey = TEST_WRITE_KEY) {
  const analytics = new Analytics({
    writeKey,
    host: tessera.url,
    flushAt: 50,
    flushInterval: 50,
    maxRetries: 0,
  })
  const failures: unknown[] = []
  const statuses: number[] = []
  analytics.on('error', (e) => failures.push(e))
  analytics.on('http_response', (r) => statuses.push(r.status))
  for (const call of calls) {
    analytics.track({ userId: call.userId ?? 'user-1', ...call })
  }
  await analytics.closeAndFlush()
  expect(failures).toEqual([])
  expect(statuses.length).toBeGreaterThan(0)
  expect(statuses.every((s) => s === 200)).toBe(true)
}

/** Tracks `count` events named `event`; returns their messageIds. */
async function track(tessera: Tessera, label: string, count: number, event = 'Order Completed') {
  const ids = Array.from({ length: count }, () => mid(label))
  await sendTracks(
    tessera,
    ids.map((messageId, i) => ({ messageId, event, properties: { i } })),
  )
  return ids
}

/** One raw /v1/batch request: its events are stored together (one delivery window). */
async function postBatch(tessera: Tessera, events: Json[]): Promise<void> {
  const response = await fetch(`${tessera.url}/v1/batch`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${TEST_WRITE_KEY}:`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ batch: events }),
  })
  await response.arrayBuffer()
  expect(response.status).toBe(200)
}

async function trace(tessera: Tessera, messageId: string): Promise<TraceJson> {
  return get<TraceJson>(tessera, `/api/v1/events/${messageId}/deliveries`)
}

/** destinationId → status of one event, for the given destinations only. */
async function statuses(tessera: Tessera, messageId: string, ids: readonly string[]) {
  const answer = await trace(tessera, messageId)
  return Object.fromEntries(
    answer.destinations
      .filter((d) => ids.includes(d.destinationId))
      .map((d) => [d.destinationId, d.status]),
  )
}

/** The status of one event at one destination, as the trace says. */
async function traceStatus(tessera: Tessera, messageId: string, id: string): Promise<string> {
  const answer = await api<TraceJson>(tessera, 'GET', `/api/v1/events/${messageId}/deliveries`)
  if (answer.status !== 200) return `HTTP ${answer.status}`
  return answer.body.destinations.find((d) => d.destinationId === id)?.status ?? 'absent'
}

const sorted = (ids: readonly string[]): string[] => [...ids].sort()

async function waitDelivered(receiver: Receiver, ids: readonly string[]): Promise<void> {
  await expect.poll(() => ids.filter((id) => !receiver.messageIds().includes(id)), WAIT).toEqual([])
}

/** The value of `tessera_delivery_events_total` for a destination and outcome (0 when absent). */
async function metricValue(tessera: Tessera, destination: string, outcome: string) {
  const response = await fetch(`${tessera.url}/metrics`)
  const text = await response.text()
  const line = text
    .split('\n')
    .find((l) =>
      l.startsWith(
        `tessera_delivery_events_total{destination="${destination}",outcome="${outcome}"} `,
      ),
    )
  return line === undefined ? 0 : Number(line.split(' ').at(-1))
}

/** `tessera_delivery_engine_running`: 1 while the delivery engine runs. */
async function engineRunning(tessera: Tessera): Promise<number> {
  const text = await fetch(`${tessera.url}/metrics`).then((r) => r.text())
  const line = text.split('\n').find((l) => l.startsWith('tessera_delivery_engine_running '))
  return line === undefined ? Number.NaN : Number(line.split(' ').at(-1))
}

function header(request: { headers: Json }, name: string): string | undefined {
  const value = request.headers[name]
  return typeof value === 'string' ? value : undefined
}

/** A webhook request's signature checked with `secret`, as a receiver would. */
function signedWith(request: { headers: Json; body: string }, secret: string): boolean {
  return verifyWebhookSignature(
    secret,
    header(request, 'x-tessera-timestamp'),
    request.body,
    header(request, 'x-tessera-signature'),
    300,
  )
}

/** Starts a platform from a YAML config file in a temp dir, like `tessera start --config`. */
async function startFromConfigFile(file: Json): Promise<Tessera> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-delivery-'))
  const path = join(dir, 'tessera.yaml')
  writeFileSync(path, toYaml(file))
  const { config } = loadConfig(
    { config: path, dataDir: join(dir, 'data'), port: 0, host: '127.0.0.1' },
    {},
  )
  const platform: Platform = await startPlatform({
    config,
    logger: createLogger({ level: 'silent' }),
    createDefaultSource: false,
  })
  return {
    url: platform.url,
    dataDir: join(dir, 'data'),
    admin: (p, init = {}) =>
      fetch(`${platform.url}${p}`, {
        ...init,
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...(init.headers ?? {}) },
      }),
    close: async () => {
      await platform.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

describe('destinations from the config file', () => {
  let tessera: Tessera
  let signed: Receiver
  let batched: Receiver
  let mixpanel: Receiver

  beforeAll(async () => {
    signed = await startReceiver()
    batched = await startReceiver()
    mixpanel = await startReceiver()
    mixpanel.answer = () => ({
      status: 200,
      body: JSON.stringify({ code: 200, num_records_imported: 1, status: 'OK' }),
    })
    tessera = await startFromConfigFile({
      server: { logLevel: 'silent' },
      adminTokens: [TEST_ADMIN_TOKEN],
      sources: [{ id: 'test-source', name: 'Test source', writeKey: TEST_WRITE_KEY }],
      delivery: { hostOverrides: { 'api.mixpanel.com': mixpanel.origin } },
      destinations: [
        {
          id: 'signed',
          name: 'Signed hook',
          type: 'webhook',
          settings: { url: signed.url, secret: SECRET },
        },
        {
          id: 'batched',
          type: 'webhook',
          settings: { url: batched.url, batchSize: 10 },
          delivery: { batchSize: 10, batchWaitMs: 200 },
        },
        {
          id: 'mixpanel',
          name: 'Mixpanel',
          type: 'actions-mixpanel',
          settings: { projectToken: 'mp-token', apiSecret: 'mp-secret-0123' },
        },
      ],
    })
    for (const id of ['signed', 'batched', 'mixpanel']) await waitRunning(tessera, id)
  })

  afterAll(async () => {
    await tessera?.close()
    await Promise.all([signed, batched, mixpanel].map((r) => r?.close()))
  })

  it('delivers Segment-spec events, one per request, signed, with the messageId as idempotency key', async () => {
    const ids = Array.from({ length: 5 }, () => mid('signed'))
    await sendTracks(
      tessera,
      ids.map((messageId, i) => ({
        messageId,
        event: 'Order Completed',
        userId: `user-${i}`,
        properties: { revenue: 12.5, i },
      })),
    )
    await waitDelivered(signed, ids)

    const requests = signed.requests.filter((r) => ids.some((id) => r.body.includes(id)))
    expect(requests).toHaveLength(5)
    for (const request of requests) {
      expect(request.method).toBe('POST')
      expect(request.path).toBe('/hook')
      expect(header(request, 'content-type')).toBe('application/json')
      const event = JSON.parse(request.body) as Json
      expect(event).toMatchObject({
        type: 'track',
        event: 'Order Completed',
        properties: { revenue: 12.5 },
        context: { library: { name: '@segment/analytics-node' } },
      })
      expect(typeof event.userId).toBe('string')
      for (const field of ['timestamp', 'receivedAt', 'sentAt', 'originalTimestamp']) {
        expect(Number.isNaN(Date.parse(String(event[field]))), field).toBe(false)
      }
      expect(header(request, 'idempotency-key')).toBe(event.messageId)
      expect(header(request, 'x-tessera-message-id')).toBe(event.messageId)
      // The exported check and a recomputed HMAC-SHA256 of `<timestamp>.<body>` agree.
      expect(signedWith(request, SECRET)).toBe(true)
      const timestamp = header(request, 'x-tessera-timestamp')
      const hmac = createHmac('sha256', SECRET).update(`${timestamp}.${request.body}`).digest('hex')
      expect(header(request, 'x-tessera-signature')).toBe(`v1=${hmac}`)
      expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60)
      expect(signedWith(request, 'another-secret-123')).toBe(false)
      expect(signedWith({ ...request, body: `${request.body} ` }, SECRET)).toBe(false)
    }
  })

  it('sends {"batch":[…]} bodies of at most batchSize events, keyed by their messageIds', async () => {
    const ids = Array.from({ length: 25 }, () => mid('batch'))
    await sendTracks(
      tessera,
      ids.map((messageId, i) => ({ messageId, event: 'Batched', properties: { i } })),
    )
    await waitDelivered(batched, ids)

    const requests = batched.requests.filter((r) => ids.some((id) => r.body.includes(id)))
    const seen: string[] = []
    for (const request of requests) {
      const body = JSON.parse(request.body) as { batch: Json[] }
      expect(Object.keys(body)).toEqual(['batch'])
      expect(body.batch.length).toBeGreaterThanOrEqual(1)
      expect(body.batch.length).toBeLessThanOrEqual(10)
      const batchIds = body.batch.map((e) => String(e.messageId))
      for (const event of body.batch) expect(event).toMatchObject({ type: 'track' })
      const key = createHash('sha256')
      for (const id of batchIds) key.update(id).update('\n')
      expect(header(request, 'idempotency-key')).toBe(key.digest('hex'))
      expect(header(request, 'x-tessera-signature')).toBeUndefined()
      // A batch may also carry events of the previous test, still on their way.
      for (const event of body.batch.filter((e) => ids.includes(String(e.messageId)))) {
        expect(event).toMatchObject({ event: 'Batched' })
        seen.push(String(event.messageId))
      }
    }
    expect(sorted(seen)).toEqual(sorted(ids))
    // Batches were formed: fewer requests than events.
    expect(requests.length).toBeLessThan(ids.length)
  })

  it('delivers a track event to a catalog destination (Mixpanel) through the host override', async () => {
    const [messageId] = await track(tessera, 'mixpanel', 1, 'Product Viewed')
    await expect
      .poll(() => mixpanel.requests.filter((r) => r.body.includes(messageId!)), WAIT)
      .toHaveLength(1)
    const request = mixpanel.requests.find((r) => r.body.includes(messageId!))!
    expect(request.method).toBe('POST')
    expect(request.path).toBe('/import?strict=1')
    expect(header(request, 'x-forwarded-host')).toBe('api.mixpanel.com')
    expect(header(request, 'authorization')).toBe(
      `Basic ${Buffer.from('mp-secret-0123:').toString('base64')}`,
    )
    // Mixpanel's import takes batches: the event may share the request with earlier ones.
    const sent = (JSON.parse(request.body) as Array<{ properties: Json }>).filter(
      (e) => e.properties.$insert_id === messageId,
    )
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({
      event: 'Product Viewed',
      properties: { distinct_id: 'user-1', $insert_id: messageId, i: 0 },
    })
    await expect.poll(() => traceStatus(tessera, messageId!, 'mixpanel'), WAIT).toBe('delivered')
  })

  it('answers the catalog', async () => {
    const search = await get<{ data: Array<{ type: string; builtin: boolean }>; total: number }>(
      tessera,
      '/api/v1/catalog?q=mixpanel',
    )
    expect(search.data.map((e) => e.type)).toContain('actions-mixpanel')
    expect(search.data.every((e) => !e.builtin)).toBe(true)
    const all = await get<{ data: Array<{ type: string }> }>(tessera, '/api/v1/catalog')
    expect(all.data.map((e) => e.type)).toEqual(
      expect.arrayContaining(['webhook', 'actions-slack']),
    )

    const entry = await get<{
      type: string
      builtin: boolean
      secrets: string[]
      settingsSchema: { properties: Json }
      actions: unknown
      presets: unknown[]
    }>(tessera, '/api/v1/catalog/actions-mixpanel')
    expect(entry).toMatchObject({ type: 'actions-mixpanel', builtin: false })
    expect(entry.secrets).toContain('apiSecret')
    expect(Object.keys(entry.settingsSchema.properties)).toEqual(
      expect.arrayContaining(['projectToken', 'apiSecret']),
    )
    expect(JSON.stringify(entry.actions)).toContain('trackEvent')
    expect(entry.presets.length).toBeGreaterThan(0)
    const unknown = await api(tessera, 'GET', '/api/v1/catalog/no-such-destination')
    expect(unknown.status).toBe(400)
    expect(errorCode(unknown)).toBe('DESTINATIONS_UNKNOWN_TYPE')
  })

  it('lists file destinations with secrets masked and refuses writes (DESTINATIONS_MANAGED)', async () => {
    const list = await get<{ managed: boolean; data: DestinationJson[] }>(
      tessera,
      '/api/v1/destinations',
    )
    expect(list.managed).toBe(true)
    expect(list.data.map((d) => d.config.id).sort()).toEqual(['batched', 'mixpanel', 'signed'])
    const byId = new Map(list.data.map((d) => [d.config.id, d]))
    expect(byId.get('signed')?.config.settings.secret).toBe(MASK)
    expect(byId.get('mixpanel')?.config.settings.apiSecret).toBe(MASK)
    expect(JSON.stringify(list)).not.toContain(SECRET)
    expect(JSON.stringify(list)).not.toContain('mp-secret-0123')

    const input = { id: 'extra', type: 'webhook', settings: { url: signed.url } }
    for (const [method, path, body] of [
      ['POST', '/api/v1/destinations', input],
      ['PUT', '/api/v1/destinations/signed', input],
      ['DELETE', '/api/v1/destinations/signed', undefined],
    ] as const) {
      const answer = await api(tessera, method, path, body)
      expect(answer.status, `${method} ${path}`).toBe(409)
      expect(errorCode(answer)).toBe('DESTINATIONS_MANAGED')
    }
    expect((await get<DestinationJson>(tessera, '/api/v1/destinations/signed')).config.name).toBe(
      'Signed hook',
    )
  })
})

describe('API-managed destinations on the embedded store', () => {
  let tessera: TestPlatform
  const receivers: Receiver[] = []
  const receiver = async (status = 200): Promise<Receiver> => {
    const r = await startReceiver(status)
    receivers.push(r)
    return r
  }

  beforeAll(async () => {
    tessera = await startTestPlatform({
      sources: [
        { id: 'test-source', name: 'Test source', writeKey: TEST_WRITE_KEY },
        { id: 'other-source', name: 'Other source', writeKey: OTHER_WRITE_KEY },
      ],
    })
  })

  afterAll(async () => {
    await tessera?.close()
    await Promise.all(receivers.map((r) => r.close()))
  })

  it('creates, reads, replaces and deletes a destination; secrets are masked and sealed at rest', async () => {
    const rx = await receiver()
    const input = {
      id: 'crud',
      name: 'CRUD hook',
      type: 'webhook',
      settings: { url: rx.url, secret: SECRET },
    }
    createdIds.push({ tessera, id: 'crud' })
    const created = await api<DestinationJson>(tessera, 'POST', '/api/v1/destinations', input)
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      managed: false,
      config: { id: 'crud', name: 'CRUD hook', type: 'webhook', sourceIds: null },
    })
    expect(created.body.config.settings).toMatchObject({ url: rx.url, secret: MASK })
    expect(typeof created.body.createdAt).toBe('number')
    await waitRunning(tessera, 'crud')

    const list = await get<{ managed: boolean; data: DestinationJson[] }>(
      tessera,
      '/api/v1/destinations',
    )
    expect(list.managed).toBe(false)
    expect(list.data.find((d) => d.config.id === 'crud')?.config.settings.secret).toBe(MASK)
    const one = await get<DestinationJson>(tessera, '/api/v1/destinations/crud')
    expect(one.config.settings.secret).toBe(MASK)
    expect(JSON.stringify(list) + JSON.stringify(one)).not.toContain(SECRET)

    // At rest: sealed, never in clear.
    const storedConfig = (): string => {
      const db = new Database(join(tessera.dataDir, 'delivery.db'), {
        readonly: true,
        fileMustExist: true,
      })
      try {
        const row = db.prepare('SELECT config FROM destinations WHERE id = ?').get('crud') as
          { config: string } | undefined
        return row?.config ?? ''
      } finally {
        db.close()
      }
    }
    expect(storedConfig()).toContain('$sealed')
    expect(storedConfig()).toContain(rx.url)
    expect(storedConfig()).not.toContain(SECRET)

    // Validation, conflicts, unknown ids.
    const invalid = await api<ErrorBody>(tessera, 'POST', '/api/v1/destinations', {
      id: 'Not An Id',
      type: 'webhook',
      settings: { url: 'ftp://example.com' },
    })
    expect(invalid.status).toBe(400)
    expect(invalid.body.error.code).toBe('DESTINATIONS_INVALID')
    const problems = invalid.body.error.details?.problems as string[]
    expect(Array.isArray(problems)).toBe(true)
    expect(problems.length).toBeGreaterThan(0)
    expect(problems.join('\n')).toMatch(/id/)
    const badSettings = await api<ErrorBody>(tessera, 'POST', '/api/v1/destinations', {
      id: 'bad-settings',
      type: 'webhook',
      settings: { url: 'ftp://example.com', batchSize: 0 },
    })
    expect(badSettings.status).toBe(400)
    expect(badSettings.body.error.code).toBe('DESTINATIONS_INVALID')
    expect((badSettings.body.error.details?.problems as string[]).join('\n')).toMatch(/url/)
    expect((await api(tessera, 'GET', '/api/v1/destinations/bad-settings')).status).toBe(404)
    const duplicate = await api(tessera, 'POST', '/api/v1/destinations', input)
    expect(duplicate.status).toBe(409)
    expect(errorCode(duplicate)).toBe('DESTINATIONS_EXISTS')
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', { ...input, id: 'nope' }],
      ['DELETE', undefined],
    ] as const) {
      const answer = await api(tessera, method, '/api/v1/destinations/nope', body)
      expect(answer.status, method).toBe(404)
      expect(errorCode(answer)).toBe('DESTINATIONS_NOT_FOUND')
    }

    // A PUT sending the mask back keeps the secret; a header proves the new config is in use.
    const replaced = await api<DestinationJson>(tessera, 'PUT', '/api/v1/destinations/crud', {
      ...input,
      name: 'CRUD hook v2',
      settings: { url: rx.url, secret: MASK, headers: { 'x-version': '2' } },
    })
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200)
    expect(replaced.body.config.name).toBe('CRUD hook v2')
    expect(replaced.body.config.settings.secret).toBe(MASK)
    expect(storedConfig()).not.toContain(SECRET)
    expect(storedConfig()).not.toContain(MASK)
    const withV2 = (): Array<(typeof rx.requests)[number]> =>
      rx.requests.filter((r) => r.headers['x-version'] === '2')
    await expect
      .poll(async () => {
        // The lane restarts with the new config: events sent before that may go out with the old one.
        if (withV2().length === 0) await track(tessera, 'crud', 1)
        return withV2().length
      }, WAIT)
      .toBeGreaterThan(0)
    for (const request of withV2()) {
      expect(signedWith(request, SECRET)).toBe(true)
      expect(signedWith(request, MASK)).toBe(false)
    }

    await deleteDestination(tessera, 'crud')
    const gone = await api(tessera, 'GET', '/api/v1/destinations/crud')
    expect(gone.status).toBe(404)
    expect(errorCode(gone)).toBe('DESTINATIONS_NOT_FOUND')
    expect(storedConfig()).toBe('')
  })

  it('routes by integrations, source and destination filters', async () => {
    const all = await receiver()
    const bySource = await receiver()
    const filtered = await receiver()
    await createDestination(tessera, {
      id: 'route-all',
      name: 'Route All',
      type: 'webhook',
      settings: { url: all.url },
    })
    await createDestination(tessera, {
      id: 'route-source',
      type: 'webhook',
      sourceIds: ['other-source'],
      settings: { url: bySource.url },
    })
    const filters = [
      { title: 'No debug', if: 'event = "Debug"', actions: [{ type: 'drop' }] },
      {
        title: 'Only keep',
        if: 'all',
        actions: [{ type: 'allow_properties', fields: { properties: ['keep'] } }],
      },
    ]
    await createDestination(tessera, {
      id: 'route-filter',
      type: 'webhook',
      settings: { url: filtered.url },
      filters,
    })

    const normal = mid('normal')
    const debug = mid('debug')
    const noneAtAll = mid('all-false')
    const notRouteAll = mid('name-false')
    const onlyRouteAll = mid('only-all')
    const other = mid('other-source')
    await sendTracks(tessera, [
      { messageId: normal, event: 'Normal', properties: { keep: 1, drop: 2 } },
      { messageId: debug, event: 'Debug', properties: { keep: 1 } },
      { messageId: noneAtAll, event: 'Normal', integrations: { All: false } },
      { messageId: notRouteAll, event: 'Normal', integrations: { 'Route All': false } },
      {
        messageId: onlyRouteAll,
        event: 'Normal',
        integrations: { All: false, 'Route All': true },
      },
    ])
    await sendTracks(tessera, [{ messageId: other, event: 'Normal' }], OTHER_WRITE_KEY)
    // A last event, sent after the others: once every lane is past it, routing is settled.
    const last = mid('last')
    await sendTracks(tessera, [{ messageId: last, event: 'Normal' }], OTHER_WRITE_KEY)
    const routeIds = ['route-all', 'route-source', 'route-filter']
    await expect
      .poll(() => statuses(tessera, last, routeIds), WAIT)
      .toEqual({
        'route-all': 'delivered',
        'route-source': 'delivered',
        'route-filter': 'delivered',
      })

    expect(sorted(all.messageIds())).toEqual(sorted([normal, debug, onlyRouteAll, other, last]))
    expect(sorted(bySource.messageIds())).toEqual(sorted([other, last]))
    expect(sorted(filtered.messageIds())).toEqual(sorted([normal, notRouteAll, other, last]))
    const kept = filtered.events().find((e) => e.messageId === normal)
    expect(kept?.properties).toEqual({ keep: 1 })
    expect(all.events().find((e) => e.messageId === normal)?.properties).toEqual({
      keep: 1,
      drop: 2,
    })

    const statusOf = (messageId: string) => statuses(tessera, messageId, routeIds)
    expect(await statusOf(debug)).toEqual({
      'route-all': 'delivered',
      'route-source': 'filtered',
      'route-filter': 'filtered',
    })
    expect(await statusOf(noneAtAll)).toEqual({
      'route-all': 'filtered',
      'route-source': 'filtered',
      'route-filter': 'filtered',
    })
    const reasons = Object.fromEntries(
      (await trace(tessera, noneAtAll)).destinations.map((d) => [d.destinationId, d.reason]),
    )
    expect(reasons).toMatchObject({
      'route-all': 'integrations',
      'route-source': 'source',
      'route-filter': 'integrations',
    })

    // The filter preview agrees with what the lanes did.
    const preview = async (event: Json) =>
      api(tessera, 'POST', '/api/v1/destinations/filters/preview', { filters, event })
    const dropped = await preview({ type: 'track', event: 'Debug', properties: { keep: 1 } })
    expect(dropped.status).toBe(200)
    expect(dropped.body).toMatchObject({ kept: false, problems: [] })
    const trimmed = await preview({ type: 'track', event: 'Normal', properties: { keep: 1, x: 2 } })
    expect(trimmed.body).toMatchObject({
      kept: true,
      event: { event: 'Normal', properties: { keep: 1 } },
    })
    expect((trimmed.body.event as { properties: Json }).properties).toEqual({ keep: 1 })
    const broken = await api(tessera, 'POST', '/api/v1/destinations/filters/preview', {
      filters: [{ if: 'all', actions: [{ type: 'explode' }] }],
      event: { type: 'track' },
    })
    expect(broken.status).toBe(400)
    expect(errorCode(broken)).toBe('DESTINATIONS_INVALID_REQUEST')

    for (const id of ['route-all', 'route-source', 'route-filter']) {
      await deleteDestination(tessera, id)
    }
  })

  it('backs off while the receiver answers 500 and loses nothing once it recovers', async () => {
    const rx = await receiver(500)
    await createDestination(tessera, {
      id: 'down',
      type: 'webhook',
      settings: { url: rx.url },
    })
    const ids = await track(tessera, 'down', 6)
    await expect
      .poll(
        async () => (await get<DestinationJson>(tessera, '/api/v1/destinations/down')).status,
        WAIT,
      )
      .toMatchObject({ backoff: { lastError: { code: 'HTTP_500' } } })
    const backoff = (await get<DestinationJson>(tessera, '/api/v1/destinations/down')).status
      .backoff!
    expect(backoff.attempts).toBeGreaterThanOrEqual(1)
    expect(backoff.nextAt).toBeGreaterThan(0)
    expect(rx.requests.length).toBeGreaterThanOrEqual(ids.length)
    expect(rx.messageIds()).toEqual([])
    // Down as a whole: nothing was dead-lettered.
    const dead = await get<{ data: unknown[] }>(tessera, '/api/v1/destinations/down/dead-letters')
    expect(dead.data).toEqual([])

    rx.status = 200
    await waitDelivered(rx, ids)
    await expect
      .poll(
        async () =>
          (await get<DestinationJson>(tessera, '/api/v1/destinations/down')).status.backoff,
        WAIT,
      )
      .toBeNull()
    expect(new Set(rx.messageIds())).toEqual(new Set(ids))
    await deleteDestination(tessera, 'down')
  })

  it('dead-letters events the receiver refuses (400) and replays them by error code', async () => {
    const rx = await receiver(400)
    await createDestination(tessera, {
      id: 'refusing',
      type: 'webhook',
      settings: { url: rx.url },
    })
    const ids = await track(tessera, 'refused', 3)
    const deadLetters = async (query = '') =>
      get<{ data: DeadLetterJson[]; next: string | null }>(
        tessera,
        `/api/v1/destinations/refusing/dead-letters${query}`,
      )
    await expect.poll(async () => (await deadLetters()).data.length, WAIT).toBe(3)
    const page = await deadLetters()
    expect(sorted(page.data.map((d) => d.messageId))).toEqual(sorted(ids))
    for (const letter of page.data) {
      expect(letter.error).toMatchObject({ code: 'HTTP_400', httpStatus: 400 })
      expect(letter.attempts).toHaveLength(1)
      expect(letter.attempts[0]).toMatchObject({ code: 'HTTP_400', httpStatus: 400 })
      expect(letter.replayedAt).toBeNull()
    }
    expect((await deadLetters('?errorCode=HTTP_500')).data).toEqual([])
    expect((await deadLetters('?errorCode=HTTP_400')).data).toHaveLength(3)
    const traced = (await trace(tessera, ids[0]!)).destinations.find(
      (d) => d.destinationId === 'refusing',
    )
    expect(traced).toMatchObject({ status: 'dead-lettered', error: { code: 'HTTP_400' } })
    const errors = await get<{ data: Array<{ error: { code: string } }> }>(
      tessera,
      '/api/v1/destinations/refusing/errors',
    )
    expect(errors.data.length).toBeGreaterThan(0)
    expect(errors.data[0]?.error.code).toBe('HTTP_400')

    rx.status = 200
    const replay = await api(tessera, 'POST', '/api/v1/destinations/refusing/dead-letters/replay', {
      errorCode: 'HTTP_400',
    })
    expect(replay.status).toBe(200)
    expect(replay.body).toEqual({ replayed: 3 })
    await waitDelivered(rx, ids)
    expect(sorted(rx.messageIds())).toEqual(sorted(ids))
    expect((await deadLetters()).data).toEqual([])
    const replayed = await deadLetters('?includeReplayed=true')
    expect(replayed.data).toHaveLength(3)
    expect(replayed.data.every((d) => typeof d.replayedAt === 'number')).toBe(true)
    await expect.poll(() => traceStatus(tessera, ids[0]!, 'refusing'), WAIT).toBe('delivered')
    // Replaying again is a no-op.
    const again = await api(tessera, 'POST', '/api/v1/destinations/refusing/dead-letters/replay', {
      errorCode: 'HTTP_400',
    })
    expect(again.body).toEqual({ replayed: 0 })
    await deleteDestination(tessera, 'refusing')
  })

  it('honours Retry-After on 429', async () => {
    const rx = await receiver()
    // 3 s: longer than the default first backoff (at most 1 s), so only Retry-After explains it.
    rx.answer = (request) =>
      rx.requests.length === 0 && request.body.includes('"throttled-')
        ? { status: 429, headers: { 'retry-after': '3' } }
        : { status: 200 }
    await createDestination(tessera, {
      id: 'throttled',
      type: 'webhook',
      settings: { url: rx.url },
    })
    const ids = Array.from({ length: 1 }, () => `throttled-${mid('429')}`)
    await sendTracks(tessera, [{ messageId: ids[0]!, event: 'Throttled' }])
    await waitDelivered(rx, ids)
    const attempts = rx.requests.filter((r) => r.body.includes(ids[0]!))
    expect(attempts.map((r) => r.status)).toEqual([429, 200])
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(2_900)
    await deleteDestination(tessera, 'throttled')
  })

  it('delivers past events only through a backfill, exactly those in its range', async () => {
    const rx = await receiver()
    const before = await track(tessera, 'bf-in', 4)
    const times: number[] = []
    for (const messageId of before) {
      const page = await get<{ data: Array<{ receivedAt: string }> }>(
        tessera,
        `/api/v1/events?messageId=${messageId}`,
      )
      expect(page.data).toHaveLength(1)
      times.push(Date.parse(page.data[0]!.receivedAt))
    }
    const from = Math.min(...times)
    const to = Math.max(...times) + 1
    await sleep(20) // the next events are received strictly after `to`
    const outside = await track(tessera, 'bf-out', 3)
    // Stored (admin reads wait for the pipeline) before the destination exists.
    for (const messageId of outside) {
      expect(
        (await get<{ data: unknown[] }>(tessera, `/api/v1/events?messageId=${messageId}`)).data,
      ).toHaveLength(1)
    }

    await createDestination(tessera, { id: 'late', type: 'webhook', settings: { url: rx.url } })
    const live = await track(tessera, 'bf-live', 2)
    await waitDelivered(rx, live)
    await expect.poll(() => traceStatus(tessera, live[1]!, 'late'), WAIT).toBe('delivered')
    expect(sorted(rx.messageIds())).toEqual(sorted(live))

    const created = await api<{ id: string; status: string }>(
      tessera,
      'POST',
      '/api/v1/destinations/late/backfills',
      { from, to },
    )
    expect(created.status).toBe(201)
    await expect
      .poll(
        async () =>
          (
            await get<{ data: Array<{ id: string; status: string; events: number }> }>(
              tessera,
              '/api/v1/destinations/late/backfills',
            )
          ).data.find((b) => b.id === created.body.id)?.status,
        WAIT,
      )
      .toBe('done')
    await waitDelivered(rx, before)
    expect(sorted(rx.messageIds())).toEqual(sorted([...live, ...before]))
    expect(rx.messageIds().filter((id) => outside.includes(id))).toEqual([])
    const invalid = await api(tessera, 'POST', '/api/v1/destinations/late/backfills', {
      from: to,
      to: from,
    })
    expect(invalid.status).toBe(400)
    await deleteDestination(tessera, 'late')
  })

  it('reports metrics, traces, error samples and tests an event', async () => {
    const rx = await receiver()
    const flaky = await receiver()
    const refusing = await receiver(400)
    const failing = new Set<string>()
    flaky.answer = (request) => ({
      status: failing.has(String(request.headers['x-tessera-message-id'])) ? 500 : 200,
    })
    await createDestination(tessera, {
      id: 'obs',
      type: 'webhook',
      settings: { url: rx.url, secret: SECRET },
    })
    await createDestination(tessera, { id: 'flaky', type: 'webhook', settings: { url: flaky.url } })
    await createDestination(tessera, {
      id: 'obs-refusing',
      type: 'webhook',
      settings: { url: refusing.url },
    })

    const delivered = Array.from({ length: 4 }, () => mid('obs'))
    const skipped = mid('obs-skipped')
    failing.add(delivered[0]!)
    // One request: the events share one delivery window, so only the failing one is retried.
    await postBatch(tessera, [
      ...delivered.map((messageId) => ({
        type: 'track',
        event: 'Observed',
        userId: 'user-obs',
        messageId,
      })),
      {
        type: 'track',
        event: 'Observed',
        userId: 'user-obs',
        messageId: skipped,
        integrations: { obs: false },
      },
    ])
    await waitDelivered(rx, delivered)

    // Where each event went.
    await expect
      .poll(() => statuses(tessera, delivered[0]!, ['obs', 'flaky', 'obs-refusing']), WAIT)
      .toEqual({ obs: 'delivered', flaky: 'retrying', 'obs-refusing': 'dead-lettered' })
    const retrying = (await trace(tessera, delivered[0]!)).destinations.find(
      (d) => d.destinationId === 'flaky',
    )
    expect(retrying?.attempts).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'HTTP_500', httpStatus: 500 })]),
    )
    expect(await traceStatus(tessera, delivered[1]!, 'flaky')).toBe('delivered')
    expect(await traceStatus(tessera, skipped, 'obs')).toBe('filtered')
    const unknown = await api(tessera, 'GET', '/api/v1/events/no-such-message/deliveries')
    expect(unknown.status).toBe(404)
    failing.clear()
    await expect.poll(() => traceStatus(tessera, delivered[0]!, 'flaky'), WAIT).toBe('delivered')

    // Counters: Prometheus and the destination's metrics agree.
    await expect.poll(() => metricValue(tessera, 'obs', 'delivered'), WAIT).toBe(4)
    expect(await metricValue(tessera, 'obs', 'filtered')).toBe(1)
    const metrics = await get<{ totals: Json; minutes: Json[] }>(
      tessera,
      '/api/v1/destinations/obs/metrics',
    )
    expect(metrics.totals).toMatchObject({ delivered: 4, filtered: 1, deadLettered: 0 })
    expect(metrics.minutes.length).toBeGreaterThan(0)
    await expect.poll(() => metricValue(tessera, 'obs-refusing', 'dead_lettered'), WAIT).toBe(5)
    expect(
      (await get<{ totals: Json }>(tessera, '/api/v1/destinations/obs-refusing/metrics')).totals,
    ).toMatchObject({ delivered: 0, failed: 5, deadLettered: 5 })
    await expect.poll(() => metricValue(tessera, 'flaky', 'delivered'), WAIT).toBe(5)
    expect(await metricValue(tessera, 'flaky', 'retried')).toBeGreaterThanOrEqual(1)
    expect(
      (await get<{ totals: Json }>(tessera, '/api/v1/destinations/flaky/metrics')).totals,
    ).toMatchObject({ delivered: 5 })

    // Error samples after failures, with the exchange.
    const errors = await get<{ data: Array<{ messageId: string; error: Json }> }>(
      tessera,
      '/api/v1/destinations/flaky/errors',
    )
    expect(errors.data[0]).toMatchObject({
      messageId: delivered[0],
      error: { code: 'HTTP_500', httpStatus: 500 },
    })
    const sample = JSON.stringify(errors.data[0]?.error)
    expect(sample).toContain(flaky.url)
    expect(
      (await get<{ data: unknown[] }>(tessera, '/api/v1/destinations/obs/errors')).data,
    ).toEqual([])

    // The event tester: the request it made and the answer, the secret signature masked.
    const tested = await api<{
      outcome: { status: string }
      routing: Json
      exchanges: Array<{
        request: { method: string; url: string; headers: Record<string, string>; body: string }
        response: { status: number; body: string } | null
      }>
    }>(tessera, 'POST', '/api/v1/destinations/obs/test', {
      event: { type: 'track', event: 'Tested', userId: 'tester', properties: { a: 1 } },
    })
    expect(tested.status, JSON.stringify(tested.body)).toBe(200)
    expect(tested.body.outcome.status).toBe('delivered')
    expect(tested.body.routing).toEqual({ kept: true })
    expect(tested.body.exchanges).toHaveLength(1)
    const exchange = tested.body.exchanges[0]!
    expect(exchange.request).toMatchObject({ method: 'POST', url: rx.url })
    expect(JSON.parse(exchange.request.body)).toMatchObject({ event: 'Tested', userId: 'tester' })
    expect(exchange.request.headers['x-tessera-signature']).toBe('***')
    expect(exchange.response?.status).toBe(200)
    expect(exchange.response?.body).toBe(JSON.stringify({ ok: true }))
    const testedAtReceiver = rx.requests.find((r) => r.body.includes('"Tested"'))
    expect(testedAtReceiver && signedWith(testedAtReceiver, SECRET)).toBe(true)
    // A refusing destination: the tester reports the failure with the answer.
    const refused = await api<{ outcome: { status: string; error?: { code: string } } }>(
      tessera,
      'POST',
      '/api/v1/destinations/obs-refusing/test',
      { event: { type: 'track', event: 'Tested' } },
    )
    expect(refused.body.outcome).toMatchObject({ status: 'failed', error: { code: 'HTTP_400' } })
    // The tester's sends are not deliveries.
    expect(await metricValue(tessera, 'obs', 'delivered')).toBe(4)

    for (const id of ['obs', 'flaky', 'obs-refusing']) await deleteDestination(tessera, id)
  })
})

describe('a destination created through the API', () => {
  let tessera: TestPlatform
  let mixpanel: Receiver

  beforeAll(async () => {
    mixpanel = await startReceiver()
    tessera = await startTestPlatform({
      delivery: { hostOverrides: { 'api.mixpanel.com': mixpanel.origin } },
    })
  })

  afterAll(async () => {
    await tessera?.close()
    await mixpanel?.close()
  })

  /** `$insert_id` (the Segment messageId) of every event Mixpanel's import endpoint accepted. */
  const imported = (): string[] =>
    mixpanel.requests
      .filter((r) => r.path.startsWith('/import') && r.status === 200)
      .flatMap((r) => JSON.parse(r.body) as Array<{ properties: { $insert_id: string } }>)
      .map((e) => e.properties.$insert_id)

  it('gets every event acknowledged after its creation was answered, and none from before', async () => {
    // No destination yet: the delivery engine does not run.
    expect(await engineRunning(tessera)).toBe(0)
    // Acknowledged before the destination exists (a big batch: the store applies it a little later).
    const before = Array.from({ length: 300 }, () => mid('before'))
    await postBatch(
      tessera,
      before.map((messageId) => ({ type: 'track', event: 'Before', userId: 'u', messageId })),
    )
    createdIds.push({ tessera, id: 'mp-late' })
    const created = await api(tessera, 'POST', '/api/v1/destinations', {
      id: 'mp-late',
      type: 'actions-mixpanel',
      settings: { projectToken: 'mp-token', apiSecret: 'mp-secret-0123' },
    })
    expect(created.status).toBe(201)
    // Acknowledged after the 201, without waiting for the engine (a client has no way to).
    const after = await track(tessera, 'after', 10, 'After')
    await waitRunning(tessera, 'mp-late')
    const [marker] = await track(tessera, 'marker', 1, 'Marker')
    await expect.poll(() => traceStatus(tessera, marker!, 'mp-late'), WAIT).toBe('delivered')
    await expect.poll(() => imported().includes(marker!), WAIT).toBe(true)

    expect(
      after.filter((id) => !imported().includes(id)),
      'acknowledged after the destination was created, never delivered',
    ).toEqual([])
    expect(
      imported().filter((id) => before.includes(id)).length,
      'acknowledged before the destination was created, delivered to it',
    ).toBe(0)
    expect(sorted(imported())).toEqual(sorted([...after, marker!]))
    expect(await engineRunning(tessera)).toBe(1)
  })

  it('stops the engine with the last destination and starts it again with the next one', async () => {
    const mixpanelDestination = (id: string): Json => ({
      id,
      type: 'actions-mixpanel',
      settings: { projectToken: 'mp-token', apiSecret: 'mp-secret-0123' },
    })
    await createDestination(tessera, mixpanelDestination('mp-first'))
    expect(await engineRunning(tessera)).toBe(1)
    await deleteDestination(tessera, 'mp-first')
    await expect.poll(() => engineRunning(tessera), WAIT).toBe(0)
    // Acknowledged while no engine runs: there is no destination to keep them for.
    await track(tessera, 'idle', 5, 'Idle')
    await createDestination(tessera, mixpanelDestination('mp-next'))
    expect(await engineRunning(tessera)).toBe(1)
    const [marker] = await track(tessera, 'next', 1, 'Next')
    await expect.poll(() => traceStatus(tessera, marker!, 'mp-next'), WAIT).toBe('delivered')
    await expect.poll(() => imported().includes(marker!), WAIT).toBe(true)
  })
})

describe('delivery on PostgreSQL', () => {
  const schema = `e2e_dlv_${randomBytes(6).toString('hex')}`
  const client = new pg.Client({ connectionString: DATABASE_URL })
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-pg-dlv-'))
  let tessera: TestPlatform | null = null
  const receivers: Receiver[] = []

  beforeAll(async () => {
    // Fails the file (no skip) when PostgreSQL is down.
    await client.connect()
    tessera = await startTestPlatform({
      storage: {
        dataDir,
        databaseUrl: DATABASE_URL,
        databaseSchema: schema,
      },
    })
  })

  afterAll(async () => {
    try {
      await tessera?.close()
      await Promise.all(receivers.map((r) => r.close()))
    } finally {
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      } finally {
        await client.end()
        rmSync(dataDir, { recursive: true, force: true })
      }
    }
  })

  it('delivers to a webhook, dead-letters a refusal and replays it', async () => {
    const tp = tessera!
    const good = await startReceiver()
    const refusing = await startReceiver(400)
    receivers.push(good, refusing)
    await createDestination(tp, {
      id: 'pg-hook',
      type: 'webhook',
      settings: { url: good.url, secret: SECRET },
    })
    await createDestination(tp, {
      id: 'pg-refusing',
      type: 'webhook',
      settings: { url: refusing.url },
    })
    // Stored in PostgreSQL, sealed.
    const stored = await client.query<{ config: string }>(
      `SELECT config FROM ${schema}.destinations WHERE id = 'pg-hook'`,
    )
    expect(stored.rows).toHaveLength(1)
    expect(JSON.stringify(stored.rows[0]?.config)).not.toContain(SECRET)

    const ids = await track(tp, 'pg', 5)
    await waitDelivered(good, ids)
    for (const request of good.requests) expect(signedWith(request, SECRET)).toBe(true)
    await expect.poll(() => traceStatus(tp, ids[4]!, 'pg-hook'), WAIT).toBe('delivered')

    await expect
      .poll(
        async () =>
          (
            await get<{ data: DeadLetterJson[] }>(
              tp,
              '/api/v1/destinations/pg-refusing/dead-letters',
            )
          ).data.map((d) => d.error.code),
        WAIT,
      )
      .toEqual(['HTTP_400', 'HTTP_400', 'HTTP_400', 'HTTP_400', 'HTTP_400'])
    expect(await traceStatus(tp, ids[0]!, 'pg-refusing')).toBe('dead-lettered')
    refusing.status = 200
    const replay = await api(tp, 'POST', '/api/v1/destinations/pg-refusing/dead-letters/replay', {
      errorCode: 'HTTP_400',
    })
    expect(replay.body).toEqual({ replayed: 5 })
    await waitDelivered(refusing, ids)
    await expect.poll(() => traceStatus(tp, ids[0]!, 'pg-refusing'), WAIT).toBe('delivered')
    expect(
      (await get<{ data: unknown[] }>(tp, '/api/v1/destinations/pg-refusing/dead-letters')).data,
    ).toEqual([])
    const metrics = await get<{ totals: Json }>(tp, '/api/v1/destinations/pg-refusing/metrics')
    expect(metrics.totals).toMatchObject({ delivered: 5, deadLettered: 5 })
  })
})
