// The tracking API driven by a real Segment client and by hostile raw HTTP (segment-compat §1,
// §2.4): every edge case Segment documents or real clients produce, plus a small fuzz loop.
import { deflateSync, gzipSync } from 'node:zlib'
import { Analytics } from '@segment/analytics-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  startTestPlatform,
  type TestPlatform,
} from '../../packages/server/src/testing/test-platform.js'

type Json = Record<string, unknown>

interface StoredEventJson {
  offset: number
  sourceId: string
  receivedAt: string
  event: Json
}

interface RejectionJson {
  id: number
  sourceId: string
  code: string
  reason: string
  messageId: string | null
  payload: unknown
}

interface Sent {
  status: number
  headers: Headers
  body: Json
}

const basic = (key: string, colon = true): string =>
  `Basic ${Buffer.from(colon ? `${key}:` : key).toString('base64')}`

let counter = 0
/** A messageId unique within this file, so each test finds its own events. */
const mid = (label: string): string => `e2e-${label}-${++counter}-${Date.now()}`

/**
 * POSTs to the tracking API. `body` is JSON-encoded unless it is a string or Buffer already;
 * the write key goes in Basic auth unless `key` is null.
 */
async function post(
  tp: TestPlatform,
  path: string,
  body: unknown,
  options: { key?: string | null; headers?: Record<string, string> } = {},
): Promise<Sent> {
  const key = options.key === undefined ? tp.writeKey : options.key
  const headers: Record<string, string> = {}
  if (typeof body !== 'string' && !Buffer.isBuffer(body)) {
    headers['content-type'] = 'application/json'
  }
  if (key !== null) headers.authorization = basic(key)
  Object.assign(headers, options.headers)
  const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body)
  const response = await fetch(`${tp.url}${path}`, { method: 'POST', headers, body: payload })
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: parseBody(text) }
}

function parseBody(text: string): Json {
  try {
    return JSON.parse(text) as Json
  } catch {
    return { text }
  }
}

function errorCode(sent: Sent): unknown {
  return (sent.body.error as { code?: unknown } | undefined)?.code
}

async function adminJson<T>(tp: TestPlatform, path: string): Promise<T> {
  const response = await tp.admin(path)
  expect(response.status, path).toBe(200)
  return (await response.json()) as T
}

/** `n` minimal track events whose messageIds are `<label>-0` … `<label>-<n-1>`. */
function trackItems(n: number, label: string): Json[] {
  return Array.from({ length: n }, (_, i) => ({
    type: 'track',
    userId: 'u',
    event: 'e',
    messageId: `${label}-${i}`,
  }))
}

async function storedByMessageId(tp: TestPlatform, messageId: string): Promise<Json | undefined> {
  const page = await adminJson<{ data: StoredEventJson[] }>(
    tp,
    `/api/v1/events?messageId=${encodeURIComponent(messageId)}`,
  )
  expect(page.data.length).toBeLessThanOrEqual(1)
  return page.data[0]?.event
}

async function allEvents(tp: TestPlatform, pageSize: number): Promise<StoredEventJson[]> {
  const out: StoredEventJson[] = []
  let cursor: string | null = null
  do {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`
    const page: { data: StoredEventJson[]; next: string | null } = await adminJson(
      tp,
      `/api/v1/events?limit=${pageSize}${query}`,
    )
    out.push(...page.data)
    cursor = page.next
  } while (cursor !== null)
  return out
}

async function rejections(tp: TestPlatform): Promise<RejectionJson[]> {
  const page = await adminJson<{ data: RejectionJson[] }>(tp, '/api/v1/rejected-events?limit=1000')
  return page.data
}

async function duplicateCount(tp: TestPlatform): Promise<number> {
  const stats = await adminJson<{ data: Array<{ duplicates: number }> }>(tp, '/api/v1/stats/ingest')
  return stats.data.reduce((sum, row) => sum + row.duplicates, 0)
}

const iso = (ms: number): string => new Date(ms).toISOString()

/** Segment's skew correction, checked on the stored fields. */
function expectSkewCorrected(event: Json): void {
  const receivedAt = Date.parse(event.receivedAt as string)
  const sentAt = Date.parse(event.sentAt as string)
  const original = Date.parse(event.originalTimestamp as string)
  expect(event.timestamp).toBe(iso(receivedAt - (sentAt - original)))
}

describe('@segment/analytics-node against the tracking API', () => {
  let tp: TestPlatform
  beforeAll(async () => {
    tp = await startTestPlatform()
  })
  afterAll(async () => {
    await tp.close()
  })

  function sendAll(analytics: Analytics, count: number): void {
    const historical = new Date('2024-02-03T04:05:06.789Z')
    for (let i = 0; i < count; i++) {
      const userId = `user-${i % 17}`
      const common = {
        userId,
        context: {
          locale: 'fr-FR',
          campaign: { name: 'e2e', source: 'vitest', medium: 'test', content: `n${i}` },
        },
        ...(i % 10 === 0 ? { timestamp: historical } : {}),
      }
      switch (i % 6) {
        case 0:
          analytics.identify({
            ...common,
            traits: { email: `${userId}@example.com`, plan: 'pro', i },
          })
          break
        case 1:
          analytics.track({
            ...common,
            event: 'Order Completed',
            properties: { order_id: `o-${i}`, revenue: 12.5, products: [{ sku: 'a', qty: 2 }] },
          })
          break
        case 2:
          analytics.page({ ...common, category: 'Docs', name: 'Install', properties: { i } })
          break
        case 3:
          analytics.screen({ ...common, name: 'Home', properties: { i } })
          break
        case 4:
          analytics.group({ ...common, groupId: `g-${i % 3}`, traits: { name: 'Acme', i } })
          break
        default:
          analytics.alias({ userId, previousId: `anon-${i}`, context: common.context })
      }
    }
  }

  it('stores every event it sends exactly once, with its fields and corrected timestamps', async () => {
    const analytics = new Analytics({
      writeKey: tp.writeKey,
      host: tp.url,
      flushAt: 20,
      flushInterval: 200,
      maxRetries: 0,
    })
    const requests: Array<{ headers: Record<string, string>; body: Json }> = []
    const statuses: number[] = []
    const failures: unknown[] = []
    analytics.on('http_request', (r) => {
      requests.push({ headers: r.headers, body: JSON.parse(r.body) as Json })
    })
    analytics.on('http_response', (r) => statuses.push(r.status))
    analytics.on('error', (e) => failures.push(e))
    sendAll(analytics, 200)
    await analytics.closeAndFlush()

    expect(failures).toEqual([])
    expect(requests.length).toBeGreaterThanOrEqual(10)
    expect(statuses.every((s) => s === 200)).toBe(true)
    const auth = Object.entries(requests[0]?.headers ?? {}).find(
      ([k]) => k.toLowerCase() === 'authorization',
    )
    expect(auth?.[1]).toBe(basic(tp.writeKey))
    const sent = requests.flatMap((r) =>
      (r.body.batch as Json[]).map((event) => ({ event, sentAt: r.body.sentAt as string })),
    )
    expect(sent).toHaveLength(200)

    const stored = await allEvents(tp, 37)
    const byId = new Map<string, Json[]>()
    for (const row of stored) {
      const id = row.event.messageId as string
      byId.set(id, [...(byId.get(id) ?? []), row.event])
    }
    expect(byId.size).toBe(200)
    for (const { event, sentAt } of sent) {
      const copies = byId.get(event.messageId as string) ?? []
      expect(copies, `messageId ${String(event.messageId)}`).toHaveLength(1)
      const got = copies[0] as Json
      const { timestamp, context, ...rest } = event
      for (const [field, value] of Object.entries(rest)) expect(got[field], field).toEqual(value)
      expect(got.context).toEqual({ ...(context as Json), ip: '127.0.0.1' })
      expect((got.context as { library: { name: string } }).library.name).toBe(
        '@segment/analytics-node',
      )
      expect(got.originalTimestamp).toBe(iso(Date.parse(timestamp as string)))
      expect(got.sentAt).toBe(iso(Date.parse(sentAt)))
      expect(Math.abs(Date.parse(got.receivedAt as string) - Date.now())).toBeLessThan(60_000)
      expectSkewCorrected(got)
    }
    const historical = stored.filter(
      (r) => r.event.originalTimestamp === '2024-02-03T04:05:06.789Z',
    )
    expect(historical).toHaveLength(20)
    for (const row of historical) {
      expect(Date.parse(row.event.timestamp as string)).toBeLessThan(Date.parse('2024-02-04'))
    }
  })
})

describe('tracking API edge cases', () => {
  let tp: TestPlatform
  beforeAll(async () => {
    tp = await startTestPlatform()
  })
  afterAll(async () => {
    await tp.close()
  })

  const track = (label: string, extra: Json = {}): Json => ({
    userId: 'edge-user',
    event: 'Edge Tested',
    messageId: mid(label),
    properties: { label },
    ...extra,
  })

  it('answers malformed JSON with 400 INGEST_INVALID_JSON', async () => {
    for (const body of ['{"userId":', 'not json', '', '[1,2]', 'null', '"text"']) {
      const sent = await post(tp, '/v1/track', body, {
        headers: { 'content-type': 'application/json' },
      })
      expect(sent.status, body).toBe(400)
      expect(errorCode(sent), body).toBe('INGEST_INVALID_JSON')
    }
  })

  it('refuses a single event over 32 KB with 400 INGEST_EVENT_TOO_LARGE', async () => {
    const big = track('big', { properties: { blob: 'x'.repeat(40 * 1024) } })
    const sent = await post(tp, '/v1/track', big)
    expect(sent.status).toBe(400)
    expect(errorCode(sent)).toBe('INGEST_EVENT_TOO_LARGE')
    const huge = await post(
      tp,
      '/v1/track',
      track('huge', { properties: { blob: 'x'.repeat(2e6) } }),
    )
    expect(huge.status).toBe(400)
    expect(errorCode(huge)).toBe('INGEST_EVENT_TOO_LARGE')
  })

  it('rejects an event that grows past 32 KB once normalized with EVENT_TOO_LARGE', async () => {
    // Under 32 KB on the wire; the server's own fields push it over.
    const event = track('grows', { properties: { blob: 'x'.repeat(32 * 1024 - 120) } })
    const sent = await post(tp, '/v1/track', event)
    expect(sent.status).toBe(400)
    expect(errorCode(sent)).toBe('EVENT_TOO_LARGE')
  })

  it('reports an oversized item of a batch as EVENT_TOO_LARGE and keeps the rest', async () => {
    const ok = track('batch-ok', { type: 'track' })
    const big = track('batch-big', { type: 'track', properties: { blob: 'y'.repeat(40 * 1024) } })
    const sent = await post(tp, '/v1/batch', { batch: [ok, big] })
    expect(sent.status).toBe(200)
    expect(sent.body.rejected).toMatchObject([{ index: 1, code: 'EVENT_TOO_LARGE' }])
    expect(await storedByMessageId(tp, ok.messageId as string)).toBeDefined()
    expect(await storedByMessageId(tp, big.messageId as string)).toBeUndefined()
  })

  it('refuses a batch body over 500 KB with 413 INGEST_PAYLOAD_TOO_LARGE', async () => {
    for (const size of [600 * 1024, 3 * 1024 * 1024]) {
      const items = Array.from({ length: Math.ceil(size / 20_000) }, (_, i) =>
        track(`p${i}`, { type: 'track', properties: { blob: 'z'.repeat(20_000) } }),
      )
      const sent = await post(tp, '/v1/batch', { batch: items })
      expect(sent.status, String(size)).toBe(413)
      expect(errorCode(sent)).toBe('INGEST_PAYLOAD_TOO_LARGE')
    }
  })

  it('refuses 2,501 events with 400 INGEST_TOO_MANY_EVENTS and accepts 2,500', async () => {
    const over = await post(tp, '/v1/batch', { batch: trackItems(2501, mid('over')) })
    expect(over.status).toBe(400)
    expect(errorCode(over)).toBe('INGEST_TOO_MANY_EVENTS')
    const max = await post(tp, '/v1/batch', { batch: trackItems(2500, mid('max')) })
    expect(max.status).toBe(200)
  })

  it('refuses with 413 a batch whose batch-level context would multiply it past 16 MB, storing nothing', async () => {
    // About 150 KB on the wire; merged into each of 2,500 events it would store about 75 MB.
    const amplified = mid('amplified')
    const over = await post(tp, '/v1/batch', {
      batch: trackItems(2500, amplified),
      context: { blob: 'x'.repeat(30_000) },
    })
    expect(over.status).toBe(413)
    expect(errorCode(over)).toBe('INGEST_EXPANDED_BATCH_TOO_LARGE')
    // A batch-level context of an ordinary size still reaches every event of a full batch.
    const ordinary = mid('ordinary')
    const fine = await post(tp, '/v1/batch', {
      batch: trackItems(2500, ordinary),
      context: { shared: 'y'.repeat(2_000) },
    })
    expect(fine.status).toBe(200)
    const last = await storedByMessageId(tp, `${ordinary}-2499`)
    expect((last?.context as Json | undefined)?.shared).toBe('y'.repeat(2_000))
    expect(await storedByMessageId(tp, `${amplified}-0`)).toBeUndefined()
  })

  it('refuses an event without userId and anonymousId and records the rejection', async () => {
    const messageId = mid('anon')
    const sent = await post(tp, '/v1/track', { event: 'Nobody', messageId })
    expect(sent.status).toBe(400)
    expect(errorCode(sent)).toBe('EVENT_MISSING_IDENTITY')
    const row = (await rejections(tp)).find((r) => r.messageId === messageId)
    expect(row).toMatchObject({ code: 'EVENT_MISSING_IDENTITY', sourceId: 'test-source' })
    expect(row?.reason).toContain('anonymousId')
    expect(row?.payload).toMatchObject({ event: 'Nobody', messageId })
  })

  it('refuses a track without event and records the rejection', async () => {
    for (const event of [undefined, '', null]) {
      const messageId = mid('noname')
      const sent = await post(tp, '/v1/track', {
        userId: 'u1',
        messageId,
        ...(event === undefined ? {} : { event }),
      })
      expect(sent.status).toBe(400)
      expect(errorCode(sent)).toBe('EVENT_MISSING_NAME')
      const row = (await rejections(tp)).find((r) => r.messageId === messageId)
      expect(row?.code).toBe('EVENT_MISSING_NAME')
    }
  })

  it('stores the valid events of a batch and reports the invalid one', async () => {
    const good1 = track('mix1', { type: 'track' })
    const bad = { type: 'track', event: 'No identity', messageId: mid('mixbad') }
    const good2 = { type: 'identify', userId: 'mix', traits: { a: 1 }, messageId: mid('mix2') }
    const sent = await post(tp, '/v1/batch', { batch: [good1, bad, good2] })
    expect(sent.status).toBe(200)
    expect(sent.body).toMatchObject({
      success: true,
      rejected: [{ index: 1, code: 'EVENT_MISSING_IDENTITY' }],
    })
    expect(await storedByMessageId(tp, good1.messageId as string)).toBeDefined()
    expect(await storedByMessageId(tp, good2.messageId)).toBeDefined()
    expect(await storedByMessageId(tp, bad.messageId)).toBeUndefined()
    const row = (await rejections(tp)).find((r) => r.messageId === bad.messageId)
    expect(row?.code).toBe('EVENT_MISSING_IDENTITY')
    expect(row?.reason).toContain('anonymousId')
  })

  it('authenticates by Basic auth with or without the colon, or by the body key', async () => {
    const withColon = track('colon')
    expect((await post(tp, '/v1/track', withColon)).status).toBe(200)
    const noColon = track('nocolon')
    const sent = await post(tp, '/v1/track', noColon, {
      key: null,
      headers: { authorization: basic(tp.writeKey, false) },
    })
    expect(sent.status).toBe(200)
    const inBody = track('body', { writeKey: tp.writeKey })
    expect((await post(tp, '/v1/track', inBody, { key: null })).status).toBe(200)
    const stored = await storedByMessageId(tp, inBody.messageId as string)
    expect(stored).toBeDefined()
    expect(stored?.writeKey).toBeUndefined()
    expect(await storedByMessageId(tp, noColon.messageId as string)).toBeDefined()
  })

  it('answers 401 for an unknown or missing write key', async () => {
    const wrong = await post(tp, '/v1/track', track('wrong'), { key: 'not_a_real_key_1' })
    expect(wrong.status).toBe(401)
    expect(errorCode(wrong)).toBe('INGEST_UNKNOWN_WRITE_KEY')
    const wrongBody = await post(tp, '/v1/track', track('wrong2', { writeKey: 'nope_nope_nope' }), {
      key: null,
    })
    expect(errorCode(wrongBody)).toBe('INGEST_UNKNOWN_WRITE_KEY')
    const none = await post(tp, '/v1/track', track('none'), { key: null })
    expect(none.status).toBe(401)
    expect(errorCode(none)).toBe('INGEST_MISSING_WRITE_KEY')
    const bearer = await post(tp, '/v1/track', track('bearer'), {
      key: null,
      headers: { authorization: 'Bearer some-oauth-token' },
    })
    expect(errorCode(bearer)).toBe('INGEST_MISSING_WRITE_KEY')
  })

  it('accepts gzip and deflate bodies', async () => {
    const gz = track('gzip')
    const gzSent = await post(tp, '/v1/track', gzipSync(JSON.stringify(gz)), {
      headers: { 'content-encoding': 'gzip', 'content-type': 'application/json' },
    })
    expect(gzSent.status).toBe(200)
    const df = { batch: [track('deflate', { type: 'track' })] }
    const dfSent = await post(tp, '/v1/import', deflateSync(JSON.stringify(df)), {
      headers: { 'content-encoding': 'deflate', 'content-type': 'text/plain' },
    })
    expect(dfSent.status).toBe(200)
    expect(await storedByMessageId(tp, gz.messageId as string)).toMatchObject({
      properties: { label: 'gzip' },
    })
    expect(await storedByMessageId(tp, df.batch[0]?.messageId as string)).toBeDefined()
  })

  it('refuses a gzip bomb with 413 without falling over, and bad encodings with 4xx', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20))
    expect(bomb.length).toBeLessThan(100 * 1024)
    const sent = await post(tp, '/v1/batch', bomb, { headers: { 'content-encoding': 'gzip' } })
    expect(sent.status).toBe(413)
    expect(errorCode(sent)).toBe('INGEST_PAYLOAD_TOO_LARGE')
    const single = await post(tp, '/v1/track', bomb, { headers: { 'content-encoding': 'gzip' } })
    expect(single.status).toBe(400)
    expect(errorCode(single)).toBe('INGEST_EVENT_TOO_LARGE')
    const garbage = await post(tp, '/v1/track', Buffer.from('not gzip at all'), {
      headers: { 'content-encoding': 'gzip' },
    })
    expect(garbage.status).toBe(400)
    expect(errorCode(garbage)).toBe('INGEST_BAD_ENCODING')
    const brotli = await post(tp, '/v1/track', JSON.stringify(track('br')), {
      headers: { 'content-encoding': 'br' },
    })
    expect(brotli.status).toBe(415)
    expect(errorCode(brotli)).toBe('INGEST_UNSUPPORTED_ENCODING')
    expect((await post(tp, '/v1/track', track('after-bomb'))).status).toBe(200)
  })

  it('accepts text/plain, no content type and other content types', async () => {
    const plain = track('plain')
    const text = await post(tp, '/v1/t', JSON.stringify(plain), {
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
    })
    expect(text.status).toBe(200)
    const bare = track('bare')
    const none = await post(tp, '/v1/t', Buffer.from(JSON.stringify(bare)))
    expect(none.status).toBe(200)
    const form = track('form')
    const odd = await post(tp, '/v1/t', JSON.stringify(form), {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(odd.status).toBe(200)
    for (const e of [plain, bare, form]) {
      expect(await storedByMessageId(tp, e.messageId as string), String(e.messageId)).toBeDefined()
    }
  })

  it('round-trips unicode, emoji, escapes and extreme numbers exactly', async () => {
    const properties = {
      text: 'héllo wörld — 你好，世界 — مرحبا — Ελληνικά',
      emoji: '👋🏽👨‍👩‍👧‍👦🇫🇷 🏳️‍🌈',
      controls: 'tab\tnl\nnul\u0000bell\u0007',
      escapes: '"quoted" \\back\\ </script>',
      loneSurrogate: '\ud800',
      big: 1e308,
      small: 5e-324,
      negative: -1.7976931348623157e308,
      int: 9007199254740991,
      zero: -0,
      nested: { 'ключ 🔑': ['ü', { deep: '🌊' }] },
    }
    const event = track('unicode', { properties, userId: 'usér-🦄' })
    expect((await post(tp, '/v1/track', event)).status).toBe(200)
    const stored = await storedByMessageId(tp, event.messageId as string)
    expect(stored?.properties).toEqual({ ...properties, zero: 0 })
    expect(stored?.userId).toBe('usér-🦄')
    const page = await adminJson<{ data: StoredEventJson[] }>(
      tp,
      `/api/v1/events?userId=${encodeURIComponent('usér-🦄')}`,
    )
    expect(page.data.map((r) => r.event.messageId)).toContain(event.messageId)
  })

  it('rejects nesting past the limit as EVENT_TOO_DEEP and never fails on pathological depth', async () => {
    const nest = (levels: number): unknown => {
      let value: unknown = 'bottom'
      for (let i = 0; i < levels; i++) value = { d: value }
      return value
    }
    const deep = track('deep', { properties: nest(100) })
    const sent = await post(tp, '/v1/track', deep)
    expect(sent.status).toBe(400)
    expect(errorCode(sent)).toBe('EVENT_TOO_DEEP')
    expect((await rejections(tp)).find((r) => r.messageId === deep.messageId)?.code).toBe(
      'EVENT_TOO_DEEP',
    )
    const shallow = track('shallow', { properties: nest(50) })
    expect((await post(tp, '/v1/track', shallow)).status).toBe(200)

    const brackets = await post(tp, '/v1/track', '['.repeat(10_000))
    expect(brackets.status).toBe(400)
    expect(errorCode(brackets)).toBe('INGEST_INVALID_JSON')
    const open = await post(tp, '/v1/batch', `{"batch":[${'{"a":'.repeat(10_000)}`)
    expect(open.status).toBe(400)
    const arrays = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`
    const veryDeep = await post(
      tp,
      '/v1/track',
      `{"userId":"u","event":"e","properties":{"a":${arrays(10_000)}}}`,
    )
    expect(veryDeep.status).toBe(400)
    expect(errorCode(veryDeep)).toBe('EVENT_TOO_DEEP')
    const objects = (n: number): string => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`
    const inBatch = await post(
      tp,
      '/v1/batch',
      `{"batch":[{"type":"track","userId":"u","event":"e","properties":${objects(20_000)}},` +
        `{"type":"track","userId":"u","event":"e","properties":{"a":${arrays(100_000)}}}]}`,
    )
    expect(inBatch.status).toBe(200)
    expect(inBatch.body.rejected).toMatchObject([
      { index: 0, code: 'EVENT_TOO_DEEP' },
      { index: 1, code: 'EVENT_TOO_DEEP' },
    ])
  })

  it('accepts null in every optional field', async () => {
    const messageId = mid('nulls')
    const fields = ['anonymousId', 'properties', 'context', 'integrations', 'timestamp', 'sentAt']
    const event: Json = { userId: 'nully', event: 'Nulls', messageId, name: null, traits: null }
    for (const field of fields) event[field] = null
    const sent = await post(tp, '/v1/track', event)
    expect(sent.status).toBe(200)
    const stored = await storedByMessageId(tp, messageId)
    expect(stored).toMatchObject({
      userId: 'nully',
      event: 'Nulls',
      properties: null,
      context: { ip: '127.0.0.1' },
    })
    expect(typeof stored?.timestamp).toBe('string')
    const allNull = await post(tp, '/v1/identify', {
      userId: null,
      anonymousId: null,
      traits: null,
      messageId: null,
    })
    expect(allNull.status).toBe(400)
    expect(errorCode(allNull)).toBe('EVENT_MISSING_IDENTITY')
    for (const route of ['identify', 'page', 'screen', 'group', 'alias']) {
      const body: Json = {
        userId: 'nully',
        anonymousId: null,
        messageId: mid(`null-${route}`),
        context: null,
      }
      if (route === 'group') body.groupId = 'g1'
      if (route === 'alias') body.previousId = 'old'
      expect((await post(tp, `/v1/${route}`, body)).status, route).toBe(200)
    }
  })

  it('rejects ids of the wrong type per event', async () => {
    const batch = [
      { type: 'group', userId: 'ids', groupId: {}, messageId: mid('gid-object') },
      { type: 'group', userId: 'ids', groupId: true, messageId: mid('gid-bool') },
      { type: 'group', userId: 'ids', messageId: mid('gid-missing') },
      { type: 'alias', userId: 'ids', previousId: ['x'], messageId: mid('prev-array') },
      { type: 'track', userId: { id: 1 }, event: 'E', messageId: mid('uid-object') },
      { type: 'track', userId: 'ids', event: 'E', messageId: 'm'.repeat(101) },
      { type: 'group', userId: 'ids', groupId: 'acme', messageId: mid('gid-ok') },
    ]
    const sent = await post(tp, '/v1/batch', { batch })
    expect(sent.status).toBe(200)
    expect((sent.body.rejected as Array<{ code: string }>).map((r) => r.code)).toEqual([
      'EVENT_INVALID_FIELD',
      'EVENT_INVALID_FIELD',
      'EVENT_MISSING_GROUP_ID',
      'EVENT_MISSING_PREVIOUS_ID',
      'EVENT_INVALID_FIELD',
      'EVENT_INVALID_MESSAGE_ID',
    ])
    expect(await storedByMessageId(tp, batch[0]?.messageId as string)).toBeUndefined()
    expect(await storedByMessageId(tp, batch[6]?.messageId as string)).toMatchObject({
      groupId: 'acme',
    })
  })

  it('stores a numeric userId as a string', async () => {
    const event = track('numeric', { userId: 12345 })
    expect((await post(tp, '/v1/track', event)).status).toBe(200)
    expect((await storedByMessageId(tp, event.messageId as string))?.userId).toBe('12345')
  })

  it('stores a duplicate messageId once and counts the duplicate', async () => {
    const before = await duplicateCount(tp)
    const event = track('dup')
    expect((await post(tp, '/v1/track', event)).status).toBe(200)
    expect((await post(tp, '/v1/track', { ...event, properties: { changed: true } })).status).toBe(
      200,
    )
    const twiceInBatch = await post(tp, '/v1/batch', {
      batch: [
        { ...event, type: 'track' },
        { ...event, type: 'track' },
      ],
    })
    expect(twiceInBatch.status).toBe(200)
    const page = await adminJson<{ data: StoredEventJson[] }>(
      tp,
      `/api/v1/events?messageId=${event.messageId as string}`,
    )
    expect(page.data).toHaveLength(1)
    expect(page.data[0]?.event.properties).toEqual({ label: 'dup' })
    expect((await duplicateCount(tp)) - before).toBe(3)
  })

  it('applies batch-level context, integrations and sentAt to the items', async () => {
    const sentAt = new Date(Date.now() - 3_600_000)
    const first = {
      type: 'track',
      userId: 'b1',
      event: 'Batched',
      messageId: mid('batchctx1'),
      timestamp: iso(sentAt.getTime() - 5_000),
    }
    const second = {
      type: 'identify',
      userId: 'b2',
      messageId: mid('batchctx2'),
      context: { app: { name: 'own' }, locale: 'de' },
      integrations: { Amplitude: false },
      sentAt: iso(sentAt.getTime() + 1_000),
      timestamp: iso(sentAt.getTime()),
    }
    const sent = await post(tp, '/v1/batch', {
      batch: [first, second],
      context: { app: { name: 'batch' }, library: { name: 'custom-lib', version: '1' } },
      integrations: { All: false, Mixpanel: true },
      sentAt: sentAt.toISOString(),
    })
    expect(sent.status).toBe(200)
    const a = await storedByMessageId(tp, first.messageId)
    expect(a).toMatchObject({
      context: {
        app: { name: 'batch' },
        library: { name: 'custom-lib', version: '1' },
        ip: '127.0.0.1',
      },
      integrations: { All: false, Mixpanel: true },
      sentAt: sentAt.toISOString(),
      originalTimestamp: first.timestamp,
    })
    expectSkewCorrected(a as Json)
    expect(Date.parse(a?.receivedAt as string) - Date.parse(a?.timestamp as string)).toBe(5_000)
    const b = await storedByMessageId(tp, second.messageId)
    expect(b).toMatchObject({
      context: { app: { name: 'own' }, library: { name: 'custom-lib' }, locale: 'de' },
      integrations: { All: false, Mixpanel: true, Amplitude: false },
      sentAt: second.sentAt,
    })
    expect(Date.parse(b?.receivedAt as string) - Date.parse(b?.timestamp as string)).toBe(1_000)
  })

  it('keeps a timestamp without sentAt and uses receivedAt without either', async () => {
    const past = '2020-05-06T07:08:09.000Z'
    const kept = track('kept', { timestamp: past })
    expect((await post(tp, '/v1/track', kept)).status).toBe(200)
    expect(await storedByMessageId(tp, kept.messageId as string)).toMatchObject({
      timestamp: past,
      originalTimestamp: past,
    })
    const none = track('nots')
    expect((await post(tp, '/v1/track', none)).status).toBe(200)
    const stored = await storedByMessageId(tp, none.messageId as string)
    expect(stored?.timestamp).toBe(stored?.receivedAt)
    expect(stored?.originalTimestamp).toBeUndefined()
  })

  it('rejects timestamps that are not dates, including numbers out of the Date range', async () => {
    const cases: Json[] = [
      { timestamp: 'yesterday' },
      { timestamp: 1e20 },
      { timestamp: 1e20, sentAt: 1e20 },
      { sentAt: -1e20 },
      { timestamp: true },
    ]
    for (const extra of cases) {
      const sent = await post(tp, '/v1/track', track('badts', extra))
      expect(sent.status, JSON.stringify(extra)).toBe(400)
      expect(errorCode(sent), JSON.stringify(extra)).toBe('EVENT_INVALID_TIMESTAMP')
    }
    const batch = await post(tp, '/v1/batch', {
      sentAt: 1e20,
      batch: [track('badbatchts', { type: 'track' })],
    })
    expect(batch.status).toBe(200)
    expect(batch.body.rejected).toMatchObject([{ index: 0, code: 'EVENT_INVALID_TIMESTAMP' }])
  })

  it('assigns a messageId when absent and fills context.ip unless given', async () => {
    const userId = `no-mid-${Date.now()}`
    expect((await post(tp, '/v1/track', { userId, event: 'No Id' })).status).toBe(200)
    const page = await adminJson<{ data: StoredEventJson[] }>(tp, `/api/v1/events?userId=${userId}`)
    expect(page.data).toHaveLength(1)
    expect(page.data[0]?.event.messageId).toMatch(/^api-[0-9a-f-]{36}$/)
    expect(page.data[0]?.event.context).toEqual({ ip: '127.0.0.1' })
    // No trustProxy by default: X-Forwarded-For is not believed.
    const forwarded = track('xff')
    const xff = await post(tp, '/v1/track', forwarded, {
      headers: { 'x-forwarded-for': '198.51.100.7' },
    })
    expect(xff.status).toBe(200)
    expect((await storedByMessageId(tp, forwarded.messageId as string))?.context).toEqual({
      ip: '127.0.0.1',
    })
    const own = track('ownip', { context: { ip: '203.0.113.9' } })
    expect((await post(tp, '/v1/track', own)).status).toBe(200)
    expect((await storedByMessageId(tp, own.messageId as string))?.context).toEqual({
      ip: '203.0.113.9',
    })
  })

  it('serves every route real clients use', async () => {
    const bodies: Record<string, Json> = {
      i: { userId: 'r', traits: { a: 1 } },
      t: { userId: 'r', event: 'Route' },
      p: { anonymousId: 'r', name: 'Home' },
      s: { userId: 'r', name: 'Screen' },
      g: { userId: 'r', groupId: 'g' },
      a: { userId: 'r', previousId: 'anon-r' },
    }
    const types: Record<string, string> = {
      i: 'identify',
      t: 'track',
      p: 'page',
      s: 'screen',
      g: 'group',
      a: 'alias',
    }
    for (const [letter, body] of Object.entries(bodies)) {
      for (const path of [letter, types[letter] as string]) {
        const messageId = mid(`route-${path}`)
        const sent = await post(tp, `/v1/${path}`, { ...body, messageId })
        expect(sent.status, path).toBe(200)
        expect(sent.body).toEqual({ success: true })
        expect((await storedByMessageId(tp, messageId))?.type, path).toBe(types[letter])
      }
    }
    for (const path of ['b', 'batch', 'import']) {
      const event = track(`route-${path}`, { type: 'page', name: 'Batched' })
      expect((await post(tp, `/v1/${path}`, { batch: [event] })).status, path).toBe(200)
      expect((await storedByMessageId(tp, event.messageId as string))?.type).toBe('page')
    }
    const metrics = await post(
      tp,
      '/v1/m',
      JSON.stringify({
        series: [{ type: 'Counter', metric: 'analytics_js.invoke', value: 1, tags: {} }],
      }),
      { key: null, headers: { 'content-type': 'text/plain' } },
    )
    expect(metrics.status).toBe(200)
    const unknown = await post(tp, '/v1/zzz', track('unknown-route'))
    expect(unknown.status).toBe(404)
    expect(errorCode(unknown)).toBe('INGEST_UNKNOWN_ROUTE')
  })

  it('answers CORS preflight with 204 and the allowed headers', async () => {
    const response = await fetch(`${tp.url}/v1/batch`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://site.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe('https://site.example')
    expect(response.headers.get('access-control-allow-methods')).toContain('POST')
    const allowed = (response.headers.get('access-control-allow-headers') ?? '').toLowerCase()
    expect(allowed).toContain('content-type')
    expect(allowed).toContain('authorization')
  })

  it('serves CDN settings pointing the browser library back at this server', async () => {
    const response = await fetch(`${tp.url}/v1/projects/${tp.writeKey}/settings`)
    expect(response.status).toBe(200)
    const settings = (await response.json()) as { integrations: Record<string, Json> }
    const port = new URL(tp.url).port
    expect(settings.integrations['Segment.io']).toMatchObject({
      apiKey: tp.writeKey,
      apiHost: `127.0.0.1:${port}/v1`,
    })
    const unknown = await fetch(`${tp.url}/v1/projects/no_such_key_here/settings`)
    expect(unknown.status).toBe(404)
  })
})

describe('per-source rate limits and allowed origins', () => {
  let tp: TestPlatform
  const limitedKey = 'limited_write_key_01'
  const webKey = 'web_write_key_000001'
  beforeAll(async () => {
    tp = await startTestPlatform({
      sources: [
        {
          id: 'limited',
          name: 'Limited',
          writeKey: limitedKey,
          rateLimit: { perSecond: 1, burst: 2 },
        },
        { id: 'web', name: 'Web', writeKey: webKey, allowedOrigins: ['https://shop.example.com'] },
      ],
    })
  })
  afterAll(async () => {
    await tp.close()
  })

  it('answers the request past the burst with 429, Retry-After and X-RateLimit-Reset', async () => {
    const event = (): Json => ({ userId: 'rl', event: 'Limited', messageId: mid('rl') })
    expect((await post(tp, '/v1/track', event(), { key: limitedKey })).status).toBe(200)
    expect((await post(tp, '/v1/track', event(), { key: limitedKey })).status).toBe(200)
    const third = await post(tp, '/v1/track', event(), { key: limitedKey })
    expect(third.status).toBe(429)
    expect(errorCode(third)).toBe('INGEST_RATE_LIMITED')
    const retryAfter = third.headers.get('retry-after') ?? ''
    const reset = third.headers.get('x-ratelimit-reset') ?? ''
    expect(retryAfter).toMatch(/^[1-9]\d*$/)
    expect(reset).toMatch(/^[1-9]\d*$/)
    expect(Number(retryAfter)).toBeLessThanOrEqual(2)
    // Another source is not affected.
    expect((await post(tp, '/v1/track', event(), { key: webKey })).status).toBe(200)
  })

  it('refuses a disallowed Origin with 403 and allows the listed one with CORS headers', async () => {
    const event = (): Json => ({ userId: 'o', event: 'Origin', messageId: mid('origin') })
    const denied = await post(tp, '/v1/t', event(), {
      key: webKey,
      headers: { origin: 'https://evil.example.net' },
    })
    expect(denied.status).toBe(403)
    expect(errorCode(denied)).toBe('INGEST_ORIGIN_NOT_ALLOWED')
    const ok = event()
    const allowed = await post(tp, '/v1/t', ok, {
      key: webKey,
      headers: { origin: 'https://shop.example.com' },
    })
    expect(allowed.status).toBe(200)
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example.com')
    expect(await storedByMessageId(tp, ok.messageId as string)).toBeDefined()
    // Server-side clients send no Origin at all.
    expect((await post(tp, '/v1/t', event(), { key: webKey })).status).toBe(200)
  })
})

describe('tracking API behind a trusted proxy', () => {
  let tp: TestPlatform
  beforeAll(async () => {
    tp = await startTestPlatform({
      server: { port: 0, host: '127.0.0.1', logLevel: 'silent', trustProxy: ['127.0.0.1'] },
    })
  })
  afterAll(async () => {
    await tp.close()
  })

  it('takes context.ip from X-Forwarded-For when the proxy is trusted', async () => {
    const event = { userId: 'proxied', event: 'Proxied', messageId: mid('xff-trusted') }
    const sent = await post(tp, '/v1/track', event, {
      headers: { 'x-forwarded-for': '198.51.100.7' },
    })
    expect(sent.status).toBe(200)
    expect((await storedByMessageId(tp, event.messageId))?.context).toEqual({
      ip: '198.51.100.7',
    })
  })
})

/** A small seeded PRNG (mulberry32), so a failing fuzz run can be replayed. */
function createRandom(seed: number): {
  next: () => number
  int: (n: number) => number
  pick: <T>(xs: readonly T[]) => T
} {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number): number => Math.floor(next() * n)
  return { next, int, pick: (xs) => xs[int(xs.length)] as (typeof xs)[number] }
}

describe('fuzzing the tracking API', () => {
  let tp: TestPlatform
  beforeAll(async () => {
    tp = await startTestPlatform()
  })
  afterAll(async () => {
    await tp.close()
  })

  const ROUTES = [
    'track',
    'identify',
    'page',
    'screen',
    'group',
    'alias',
    'batch',
    'b',
    'import',
    't',
    'i',
    'm',
    'nope',
  ]
  const VALUES: unknown[] = [
    null,
    0,
    -1,
    1.5,
    1e308,
    -1e308,
    1e20,
    -1e20,
    '',
    'x',
    '\u0000',
    '🦄',
    'a'.repeat(5000),
    true,
    false,
    [],
    {},
    [[[[]]]],
    JSON.parse('{"__proto__":{"x":1}}'),
    { constructor: { prototype: 1 } },
    '2024-01-01T00:00:00Z',
    'not a date',
  ]
  const base = (i: number): Json => ({
    type: 'track',
    userId: `fuzz-${i}`,
    anonymousId: `anon-${i}`,
    event: 'Fuzzed',
    groupId: 'g',
    previousId: 'p',
    messageId: `fuzz-${i}`,
    timestamp: new Date().toISOString(),
    sentAt: new Date().toISOString(),
    properties: { a: 1, b: [1, 2, { c: 'd' }] },
    traits: { email: 'f@example.com' },
    context: { page: { url: 'https://x.test' }, library: { name: 'fuzz' } },
    integrations: { All: true },
  })

  function paths(value: unknown, prefix: string[] = []): string[][] {
    if (typeof value !== 'object' || value === null) return [prefix]
    const children = Object.keys(value).flatMap((k) =>
      paths((value as Record<string, unknown>)[k], [...prefix, k]),
    )
    return [prefix, ...children]
  }

  function setAt(root: Json, path: string[], value: unknown): void {
    let node: Record<string, unknown> = root
    for (const key of path.slice(0, -1)) {
      const child = node[key]
      if (typeof child !== 'object' || child === null) return
      node = child as Record<string, unknown>
    }
    const last = path.at(-1)
    if (last !== undefined) node[last] = value
  }

  function mutate(
    rnd: ReturnType<typeof createRandom>,
    i: number,
  ): { route: string; body: Buffer; headers: Record<string, string> } {
    const route = rnd.pick(ROUTES)
    const isBatch = ['batch', 'b', 'import'].includes(route)
    const items = Array.from({ length: 1 + rnd.int(3) }, (_, k) => {
      const item = base(i * 10 + k)
      for (const key of Object.keys(item)) if (rnd.next() < 0.25) delete item[key]
      return item
    })
    const doc: Json = isBatch
      ? { batch: items, sentAt: new Date().toISOString(), context: { x: 1 } }
      : (items[0] as Json)
    for (let n = rnd.int(4); n >= 0; n--) {
      const targets = paths(doc).filter((p) => p.length > 0)
      const target = rnd.pick(targets)
      if (rnd.next() < 0.2) setAt(doc, target, undefined)
      else setAt(doc, target, structuredClone(rnd.pick(VALUES)))
    }
    let text = JSON.stringify(doc)
    const kind = rnd.int(6)
    if (kind === 0) text = text.slice(0, rnd.int(text.length))
    let body = Buffer.from(text)
    if (kind === 1) {
      for (let n = 1 + rnd.int(8); n > 0; n--) body[rnd.int(body.length)] = rnd.int(256)
    }
    const headers: Record<string, string> = {}
    const auth = rnd.int(6)
    if (auth < 3) headers.authorization = basic(tp.writeKey)
    else if (auth === 3) headers.authorization = 'Basic !!!not-base64'
    else if (auth === 4) headers.authorization = `Bearer ${tp.writeKey}`
    headers['content-type'] = rnd.pick([
      'application/json',
      'text/plain',
      'application/octet-stream',
      'x/y; charset=utf-16',
    ])
    if (kind === 2) {
      body = gzipSync(body)
      headers['content-encoding'] = 'gzip'
    } else if (kind === 3) {
      headers['content-encoding'] = rnd.pick(['gzip', 'deflate', 'br', 'identity', 'GZIP '])
    }
    return { route, body, headers }
  }

  it('never answers 5xx to mutated payloads and leaves accepted events intact', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000)
    const rnd = createRandom(seed)
    const keep = Array.from({ length: 30 }, (_, i) => ({
      ...base(100_000 + i),
      messageId: `keep-${i}`,
    }))
    expect((await post(tp, '/v1/batch', { batch: keep })).status).toBe(200)
    const before = await allEvents(tp, 1000)
    expect(before).toHaveLength(30)

    const statuses = new Map<number, number>()
    const runs = 400
    const concurrency = 8
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < runs) {
        const i = next++
        const { route, body, headers } = mutate(rnd, i)
        const response = await fetch(`${tp.url}/v1/${route}`, { method: 'POST', headers, body })
        const text = await response.text()
        expect(response.status, `seed ${seed} run ${i} /v1/${route}: ${text}`).toBeLessThan(500)
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(runs)
    expect(statuses.get(200) ?? 0, `seed ${seed}`).toBeGreaterThan(0)

    for (const row of before) {
      const now = await storedByMessageId(tp, row.event.messageId as string)
      expect(now).toEqual(row.event)
    }
    expect((await fetch(`${tp.url}/ready`)).status).toBe(200)
  })
})
