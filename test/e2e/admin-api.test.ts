// The admin API end to end: sources CRUD and write-key rotation, auth, the events query with
// every filter and cursor pagination, rejections, stats, read-your-writes, the SSE live stream,
// the OpenAPI document, operational endpoints and the console's SPA fallback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  startTestPlatform,
  type TestPlatform,
} from '../../packages/server/src/testing/test-platform.js'

type Json = Record<string, unknown>

interface SourceJson {
  id: string
  name: string
  writeKey: string
  writeKeys: Array<{ key: string; expiresAt: string | null }>
  allowedOrigins: string[] | null
  rateLimit: { perSecond: number; burst: number } | null
  managed: boolean
  createdAt: string
  updatedAt: string
}

interface StoredEventJson {
  offset: number
  sourceId: string
  receivedAt: string
  event: Json
}

interface EventsPage {
  data: StoredEventJson[]
  next: string | null
}

interface RejectionJson {
  id: number
  sourceId: string
  receivedAt: string
  code: string
  reason: string
  messageId: string | null
  payload: unknown
}

interface StatsRow {
  sourceId: string
  minute: string
  accepted: number
  duplicates: number
  rejected: number
  bytes: number
}

interface ErrorBody {
  error: { code: string; message: string; details?: Json; requestId: string }
}

let tp: TestPlatform
let counter = 0
const uniq = (label: string): string => `${label}-${++counter}-${Date.now()}`

beforeAll(async () => {
  tp = await startTestPlatform()
})
afterAll(async () => {
  await tp.close()
})

const basic = (key: string): string => `Basic ${Buffer.from(`${key}:`).toString('base64')}`
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

async function track(key: string, body: Json): Promise<number> {
  const response = await fetch(`${tp.url}/v1/track`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basic(key) },
    body: JSON.stringify(body),
  })
  await response.arrayBuffer()
  return response.status
}

async function batch(key: string, events: Json[]): Promise<void> {
  const response = await fetch(`${tp.url}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basic(key) },
    body: JSON.stringify({ batch: events }),
  })
  expect(response.status, await response.clone().text()).toBe(200)
  await response.arrayBuffer()
}

async function adminJson<T>(path: string, init: RequestInit = {}, status = 200): Promise<T> {
  const response = await tp.admin(path, init)
  const text = await response.text()
  expect(response.status, `${init.method ?? 'GET'} ${path}: ${text}`).toBe(status)
  return JSON.parse(text) as T
}

const jsonInit = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

async function createSource(name = uniq('Source')): Promise<SourceJson> {
  return adminJson<SourceJson>('/api/v1/sources', jsonInit('POST', { name }), 201)
}

async function events(query: string): Promise<StoredEventJson[]> {
  const page = await adminJson<EventsPage>(`/api/v1/events?limit=1000&${query}`)
  return page.data
}

const ids = (list: StoredEventJson[]): string[] =>
  list.map((e) => e.event.messageId as string).sort()

describe('sources', () => {
  it('creates, reads, lists, updates and deletes a source', async () => {
    const created = await adminJson<SourceJson>(
      '/api/v1/sources',
      jsonInit('POST', {
        id: 'crud-source',
        name: 'CRUD',
        allowedOrigins: ['https://shop.example'],
        rateLimit: { perSecond: 10, burst: 20 },
      }),
      201,
    )
    expect(created).toMatchObject({
      id: 'crud-source',
      name: 'CRUD',
      managed: false,
      allowedOrigins: ['https://shop.example'],
      rateLimit: { perSecond: 10, burst: 20 },
    })
    expect(created.writeKey).toMatch(/\S{8,}/)
    expect(created.writeKeys).toEqual([{ key: created.writeKey, expiresAt: null }])

    expect(await adminJson<SourceJson>('/api/v1/sources/crud-source')).toEqual(created)

    const list = await adminJson<{ data: SourceJson[] }>('/api/v1/sources')
    expect(list.data.find((s) => s.id === 'crud-source')).toEqual(created)
    expect(list.data.find((s) => s.id === 'test-source')).toMatchObject({
      name: 'Test source',
      managed: true,
      writeKey: tp.writeKey,
    })

    const patched = await adminJson<SourceJson>(
      '/api/v1/sources/crud-source',
      jsonInit('PATCH', { name: 'Renamed', allowedOrigins: null }),
    )
    expect(patched).toMatchObject({
      id: 'crud-source',
      name: 'Renamed',
      allowedOrigins: null,
      rateLimit: { perSecond: 10, burst: 20 },
      writeKey: created.writeKey,
    })
    expect((await adminJson<SourceJson>('/api/v1/sources/crud-source')).name).toBe('Renamed')

    const deleted = await tp.admin('/api/v1/sources/crud-source', { method: 'DELETE' })
    expect(deleted.status).toBe(204)
    expect(await deleted.text()).toBe('')

    const missing = await adminJson<ErrorBody>('/api/v1/sources/crud-source', {}, 404)
    expect(missing.error.code).toBe('SOURCES_NOT_FOUND')
    const list2 = await adminJson<{ data: SourceJson[] }>('/api/v1/sources')
    expect(list2.data.some((s) => s.id === 'crud-source')).toBe(false)
    // The deleted source's key no longer authenticates.
    expect(await track(created.writeKey, { userId: 'u', event: 'After Delete' })).toBe(401)
  })

  it('answers 404 SOURCES_NOT_FOUND for unknown ids on every verb', async () => {
    for (const [method, path, body] of [
      ['GET', '/api/v1/sources/nope', undefined],
      ['PATCH', '/api/v1/sources/nope', { name: 'x' }],
      ['DELETE', '/api/v1/sources/nope', undefined],
      ['POST', '/api/v1/sources/nope/rotate-write-key', {}],
    ] as const) {
      const init: RequestInit = body === undefined ? { method } : jsonInit(method, body)
      const error = await adminJson<ErrorBody>(path, init, 404)
      expect(error.error.code, `${method} ${path}`).toBe('SOURCES_NOT_FOUND')
      expect(error.error.requestId).toEqual(expect.any(String))
    }
  })

  it('refuses to change the managed source with 409 SOURCES_MANAGED', async () => {
    const patch = await adminJson<ErrorBody>(
      '/api/v1/sources/test-source',
      jsonInit('PATCH', { name: 'Hijacked' }),
      409,
    )
    expect(patch.error.code).toBe('SOURCES_MANAGED')
    const del = await adminJson<ErrorBody>('/api/v1/sources/test-source', { method: 'DELETE' }, 409)
    expect(del.error.code).toBe('SOURCES_MANAGED')
    const rotate = await adminJson<ErrorBody>(
      '/api/v1/sources/test-source/rotate-write-key',
      jsonInit('POST', {}),
      409,
    )
    expect(rotate.error.code).toBe('SOURCES_MANAGED')
    expect((await adminJson<SourceJson>('/api/v1/sources/test-source')).name).toBe('Test source')
  })

  it('refuses a duplicate id with 409 SOURCES_ID_TAKEN', async () => {
    await adminJson('/api/v1/sources', jsonInit('POST', { id: 'dup-id', name: 'One' }), 201)
    const error = await adminJson<ErrorBody>(
      '/api/v1/sources',
      jsonInit('POST', { id: 'dup-id', name: 'Two' }),
      409,
    )
    expect(error.error.code).toBe('SOURCES_ID_TAKEN')
  })

  it('answers 400 API_INVALID_REQUEST with every issue for bad bodies', async () => {
    const bad = await adminJson<ErrorBody>(
      '/api/v1/sources',
      jsonInit('POST', { id: 'has space', allowedOrigins: ['not-an-origin'], extra: 1 }),
      400,
    )
    expect(bad.error.code).toBe('API_INVALID_REQUEST')
    const issues = bad.error.details?.issues as Array<{ path: string; message: string }>
    const paths = issues.map((i) => i.path)
    expect(paths).toEqual(expect.arrayContaining(['id', 'name', 'allowedOrigins.0']))
    expect(issues.length).toBeGreaterThanOrEqual(4) // plus the unknown key `extra`
    for (const issue of issues) expect(issue.message).toEqual(expect.any(String))

    const source = await createSource()
    const patch = await adminJson<ErrorBody>(
      `/api/v1/sources/${source.id}`,
      jsonInit('PATCH', { rateLimit: { perSecond: -1, burst: 1.5 } }),
      400,
    )
    expect(patch.error.code).toBe('API_INVALID_REQUEST')
    const patchPaths = (patch.error.details?.issues as Array<{ path: string }>).map((i) => i.path)
    expect(patchPaths).toEqual(expect.arrayContaining(['rateLimit.perSecond', 'rateLimit.burst']))

    const rotate = await adminJson<ErrorBody>(
      `/api/v1/sources/${source.id}/rotate-write-key`,
      jsonInit('POST', { graceSeconds: -5 }),
      400,
    )
    expect(rotate.error.code).toBe('API_INVALID_REQUEST')

    const notJson = await tp.admin('/api/v1/sources', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{oops',
    })
    expect(notJson.status).toBe(400)
    expect(((await notJson.json()) as ErrorBody).error.code).toEqual(expect.any(String))
  })
})

describe('write-key rotation', () => {
  it('issues a new key and keeps the old one working during the grace period', async () => {
    const source = await createSource()
    const old = source.writeKey
    expect(await track(old, { userId: 'u1', event: 'Before' })).toBe(200)
    const rotated = await adminJson<SourceJson>(
      `/api/v1/sources/${source.id}/rotate-write-key`,
      jsonInit('POST', {}),
    )
    expect(rotated.writeKey).not.toBe(old)
    const oldEntry = rotated.writeKeys.find((wk) => wk.key === old)
    expect(oldEntry?.expiresAt).not.toBeNull()
    // Default grace: a day.
    const expires = Date.parse(oldEntry?.expiresAt ?? '')
    expect(expires - Date.now()).toBeGreaterThan(86_000_000)
    expect(expires - Date.now()).toBeLessThanOrEqual(86_400_000)
    expect(await track(rotated.writeKey, { userId: 'u1', event: 'New Key' })).toBe(200)
    expect(await track(old, { userId: 'u1', event: 'Old Key' })).toBe(200)
    const stored = await events(`sourceId=${source.id}`)
    expect(stored.map((e) => e.event.event).sort()).toEqual(['Before', 'New Key', 'Old Key'])
  })

  it('revokes the old key at once with graceSeconds 0', async () => {
    const source = await createSource()
    const rotated = await adminJson<SourceJson>(
      `/api/v1/sources/${source.id}/rotate-write-key`,
      jsonInit('POST', { graceSeconds: 0 }),
    )
    expect(await track(source.writeKey, { userId: 'u1', event: 'Old' })).toBe(401)
    expect(await track(rotated.writeKey, { userId: 'u1', event: 'New' })).toBe(200)
    expect(rotated.writeKeys.map((wk) => wk.key)).not.toContain(source.writeKey)
  })
})

describe('admin auth', () => {
  it('answers 401 API_UNAUTHORIZED without a token or with a wrong one', async () => {
    const variants: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer wrong-token-0123456789' },
      { authorization: `Basic ${Buffer.from(`${tp.adminToken}:`).toString('base64')}` },
      { authorization: 'Bearer ' },
    ]
    for (const headers of variants) {
      const response = await fetch(`${tp.url}/api/v1/sources`, { headers })
      expect(response.status, JSON.stringify(headers)).toBe(401)
      expect(((await response.json()) as ErrorBody).error.code).toBe('API_UNAUTHORIZED')
    }
    const wrongQuery = await fetch(`${tp.url}/api/v1/events?access_token=nope`)
    expect(wrongQuery.status).toBe(401)
    await wrongQuery.arrayBuffer()
    const rightQuery = await fetch(`${tp.url}/api/v1/whoami?access_token=${tp.adminToken}`)
    expect(rightQuery.status).toBe(200)
    expect(await rightQuery.json()).toEqual({ role: 'admin' })
    const lowerScheme = await fetch(`${tp.url}/api/v1/whoami`, {
      headers: { authorization: `bearer ${tp.adminToken}` },
    })
    expect(lowerScheme.status).toBe(200)
    await lowerScheme.arrayBuffer()
  })
})

describe('events query', () => {
  let source: SourceJson
  let other: SourceJson
  let tBetween: number
  const early: string[] = []
  const late: string[] = []

  beforeAll(async () => {
    source = await createSource()
    other = await createSource()
    const first: Json[] = [
      { type: 'track', event: 'Order Completed', userId: 'alice', messageId: uniq('q') },
      { type: 'track', event: 'Signed Up', userId: 'bob', messageId: uniq('q') },
      { type: 'page', name: 'Pricing', anonymousId: 'anon-1', messageId: uniq('q') },
      { type: 'identify', userId: 'alice', traits: { plan: 'pro' }, messageId: uniq('q') },
    ]
    await batch(source.writeKey, first)
    early.push(...first.map((e) => e.messageId as string))
    await sleep(20)
    tBetween = Date.now()
    await sleep(20)
    const second: Json[] = [
      { type: 'screen', name: 'Pricing', anonymousId: 'anon-2', messageId: uniq('q') },
      { type: 'track', event: 'Order Completed', userId: 'carol', messageId: uniq('q') },
      { type: 'group', groupId: 'g1', anonymousId: 'anon-1', messageId: uniq('q') },
      { type: 'alias', userId: 'alice', previousId: 'anon-1', messageId: uniq('q') },
    ]
    await batch(source.writeKey, second)
    late.push(...second.map((e) => e.messageId as string))
    await batch(other.writeKey, [
      { type: 'track', event: 'Order Completed', userId: 'alice', messageId: uniq('other') },
    ])
  })

  it('filters by sourceId', async () => {
    expect(ids(await events(`sourceId=${source.id}`))).toEqual([...early, ...late].sort())
    const fromOther = await events(`sourceId=${other.id}`)
    expect(fromOther).toHaveLength(1)
    expect(fromOther[0]?.sourceId).toBe(other.id)
  })

  it('filters by type', async () => {
    const tracks = await events(`sourceId=${source.id}&type=track`)
    expect(tracks.map((e) => e.event.event).sort()).toEqual([
      'Order Completed',
      'Order Completed',
      'Signed Up',
    ])
    for (const type of ['page', 'screen', 'identify', 'group', 'alias']) {
      const found = await events(`sourceId=${source.id}&type=${type}`)
      expect(
        found.map((e) => e.event.type),
        type,
      ).toEqual([type])
    }
    const bad = await adminJson<ErrorBody>('/api/v1/events?type=click', {}, 400)
    expect(bad.error.code).toBe('API_INVALID_REQUEST')
  })

  it('filters by event name (track event, page and screen name)', async () => {
    const orders = await events(
      `sourceId=${source.id}&event=${encodeURIComponent('Order Completed')}`,
    )
    expect(orders.map((e) => e.event.userId).sort()).toEqual(['alice', 'carol'])
    const pricing = await events(`sourceId=${source.id}&event=Pricing`)
    expect(pricing.map((e) => e.event.type).sort()).toEqual(['page', 'screen'])
    const both = await events(`event=${encodeURIComponent('Order Completed')}&userId=alice`)
    expect(both.map((e) => e.sourceId).sort()).toEqual(
      expect.arrayContaining([source.id, other.id]),
    )
  })

  it('filters by userId and anonymousId', async () => {
    const alice = await events(`sourceId=${source.id}&userId=alice`)
    expect(alice.map((e) => e.event.type).sort()).toEqual(['alias', 'identify', 'track'])
    const anon = await events(`sourceId=${source.id}&anonymousId=anon-1`)
    expect(anon.map((e) => e.event.type).sort()).toEqual(['group', 'page'])
    expect(await events(`sourceId=${source.id}&userId=nobody`)).toEqual([])
  })

  it('filters by messageId', async () => {
    const target = late[1] ?? ''
    const found = await events(`messageId=${encodeURIComponent(target)}`)
    expect(found).toHaveLength(1)
    expect(found[0]?.event).toMatchObject({ messageId: target, userId: 'carol' })
  })

  it('filters by since/until as ISO-8601 and as epoch ms', async () => {
    const iso = new Date(tBetween).toISOString()
    for (const bound of [iso, String(tBetween)]) {
      const after = await events(`sourceId=${source.id}&since=${encodeURIComponent(bound)}`)
      expect(ids(after), `since=${bound}`).toEqual([...late].sort())
      const before = await events(`sourceId=${source.id}&until=${encodeURIComponent(bound)}`)
      expect(ids(before), `until=${bound}`).toEqual([...early].sort())
    }
    const none = await events(`sourceId=${source.id}&since=${tBetween}&until=${tBetween + 1}`)
    expect(none).toEqual([])
    const bad = await adminJson<ErrorBody>('/api/v1/events?since=yesterday', {}, 400)
    expect(bad.error.code).toBe('API_INVALID_REQUEST')
  })

  it('pages through ~250 events newest first with no gaps or duplicates', async () => {
    const paged = await createSource()
    const sent: string[] = []
    for (let round = 0; round < 5; round++) {
      const chunk = Array.from({ length: 50 }, (_, i) => ({
        type: 'track',
        event: `Paged ${round}`,
        userId: `pager-${i}`,
        messageId: uniq(`page-${round}`),
      }))
      sent.push(...chunk.map((e) => e.messageId))
      await batch(paged.writeKey, chunk)
    }
    const seen: StoredEventJson[] = []
    const pageSizes: number[] = []
    let cursor: string | null = null
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`
      const page: EventsPage = await adminJson<EventsPage>(
        `/api/v1/events?sourceId=${paged.id}&limit=100${query}`,
      )
      pageSizes.push(page.data.length)
      seen.push(...page.data)
      cursor = page.next
    } while (cursor !== null && pageSizes.length < 10)
    expect(pageSizes.slice(0, 3)).toEqual([100, 100, 50])
    expect(pageSizes.slice(3).every((n) => n === 0)).toBe(true)
    expect(seen).toHaveLength(250)
    expect(new Set(seen.map((e) => e.event.messageId)).size).toBe(250)
    expect(ids(seen)).toEqual([...sent].sort())
    const offsets = seen.map((e) => e.offset)
    for (let i = 1; i < offsets.length; i++) {
      expect(offsets[i]).toBeLessThan(offsets[i - 1] ?? 0)
    }
    // Newest first: the first event is from the last batch sent.
    expect(seen[0]?.event.event).toBe('Paged 4')
    expect(seen.at(-1)?.event.event).toBe('Paged 0')
  })

  it('answers 400 EVENTS_INVALID_CURSOR for a bad cursor', async () => {
    for (const cursor of ['garbage', 'eyJvZmZzZXQiOiJ4In0', '!!!']) {
      const error = await adminJson<ErrorBody>(
        `/api/v1/events?cursor=${encodeURIComponent(cursor)}`,
        {},
        400,
      )
      expect(error.error.code, cursor).toBe('EVENTS_INVALID_CURSOR')
    }
    const rejected = await adminJson<ErrorBody>('/api/v1/rejected-events?cursor=garbage', {}, 400)
    expect(rejected.error.code).toBe('EVENTS_INVALID_CURSOR')
  })

  it('rejects unknown query parameters and limits out of range', async () => {
    expect((await adminJson<ErrorBody>('/api/v1/events?colour=red', {}, 400)).error.code).toBe(
      'API_INVALID_REQUEST',
    )
    expect((await adminJson<ErrorBody>('/api/v1/events?limit=0', {}, 400)).error.code).toBe(
      'API_INVALID_REQUEST',
    )
    expect((await adminJson<ErrorBody>('/api/v1/events?limit=1001', {}, 400)).error.code).toBe(
      'API_INVALID_REQUEST',
    )
  })
})

describe('rejections and stats', () => {
  it('lists rejected events and counts accepted, duplicates and rejected per minute', async () => {
    const source = await createSource()
    const dupId = uniq('dup')
    await batch(source.writeKey, [
      { type: 'track', event: 'A', userId: 'u1', messageId: dupId },
      { type: 'track', event: 'B', userId: 'u1', messageId: uniq('ok') },
      { type: 'track', event: 'No Identity', messageId: uniq('bad') },
      { type: 'click', userId: 'u1', messageId: uniq('bad') },
    ])
    await batch(source.writeKey, [
      { type: 'track', event: 'A again', userId: 'u1', messageId: dupId },
    ])
    expect(await track(source.writeKey, { event: 'Single invalid' })).toBe(400)

    const rejected = await adminJson<{ data: RejectionJson[]; next: string | null }>(
      `/api/v1/rejected-events?sourceId=${source.id}`,
    )
    expect(rejected.data.map((r) => r.code).sort()).toEqual([
      'EVENT_MISSING_IDENTITY',
      'EVENT_MISSING_IDENTITY',
      'EVENT_UNKNOWN_TYPE',
    ])
    for (const r of rejected.data) {
      expect(r.sourceId).toBe(source.id)
      expect(r.reason).toEqual(expect.any(String))
      expect(Number.isFinite(Date.parse(r.receivedAt))).toBe(true)
    }
    const single = rejected.data[0] // newest first
    expect(single?.payload).toMatchObject({ event: 'Single invalid' })
    expect(rejected.data.find((r) => r.code === 'EVENT_UNKNOWN_TYPE')?.payload).toMatchObject({
      type: 'click',
    })
    const paged = await adminJson<{ data: RejectionJson[]; next: string | null }>(
      `/api/v1/rejected-events?sourceId=${source.id}&limit=2`,
    )
    expect(paged.data).toHaveLength(2)
    expect(paged.next).not.toBeNull()
    const rest = await adminJson<{ data: RejectionJson[]; next: string | null }>(
      `/api/v1/rejected-events?sourceId=${source.id}&limit=2&cursor=${encodeURIComponent(paged.next ?? '')}`,
    )
    expect(rest.data).toHaveLength(1)
    expect(rest.next).toBeNull()

    const stored = await events(`sourceId=${source.id}`)
    expect(stored.map((e) => e.event.event).sort()).toEqual(['A', 'B'])

    const stats = await adminJson<{ data: StatsRow[] }>(
      `/api/v1/stats/ingest?sourceId=${source.id}`,
    )
    const total = stats.data.reduce(
      (sum, row) => ({
        accepted: sum.accepted + row.accepted,
        duplicates: sum.duplicates + row.duplicates,
        rejected: sum.rejected + row.rejected,
      }),
      { accepted: 0, duplicates: 0, rejected: 0 },
    )
    expect(total).toEqual({ accepted: 2, duplicates: 1, rejected: 3 })
    for (const row of stats.data) {
      expect(row.sourceId).toBe(source.id)
      expect(Date.parse(row.minute) % 60_000).toBe(0)
      expect(row.bytes).toBeGreaterThan(0)
    }
    // Outside the window: nothing.
    const past = await adminJson<{ data: StatsRow[] }>(
      `/api/v1/stats/ingest?sourceId=${source.id}&since=0&until=1000`,
    )
    expect(past.data).toEqual([])
  })

  it('reads its writes: a query right after a 200 sees the event', async () => {
    const source = await createSource()
    for (let i = 0; i < 20; i++) {
      const messageId = uniq('ryw')
      expect(await track(source.writeKey, { userId: 'ryw', event: 'RYW', messageId })).toBe(200)
      const found = await events(`messageId=${encodeURIComponent(messageId)}`)
      expect(
        found.map((e) => e.event.messageId),
        `iteration ${i}`,
      ).toEqual([messageId])
    }
  })
})

interface SseMessage {
  event: string
  data: Json
}

/** Connects to the SSE stream and collects messages until `done` says so or time runs out. */
async function openStream(query: string): Promise<{
  until: (done: (messages: SseMessage[]) => boolean, timeoutMs?: number) => Promise<SseMessage[]>
  close: () => void
}> {
  const controller = new AbortController()
  const response = await fetch(`${tp.url}/api/v1/stream?${query}`, { signal: controller.signal })
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
  const body = response.body
  if (!body) throw new Error('no body')
  const reader = body.pipeThrough(new TextDecoderStream()).getReader()
  const messages: SseMessage[] = []
  let buffer = ''
  let ended = false
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        buffer += value
        let split: number
        while ((split = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, split)
          buffer = buffer.slice(split + 2)
          let event = 'message'
          const data: string[] = []
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim()
            else if (line.startsWith('data:')) data.push(line.slice(5).trimStart())
          }
          if (data.length > 0) messages.push({ event, data: JSON.parse(data.join('\n')) as Json })
        }
      }
    } catch {
      // aborted
    } finally {
      ended = true
    }
  })()
  return {
    async until(done, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      while (!done(messages) && !ended && Date.now() < deadline) await sleep(25)
      return [...messages]
    },
    close() {
      controller.abort()
      void pump
    },
  }
}

describe('live stream (SSE)', () => {
  it('streams events and rejections sent after connecting, for the chosen source', async () => {
    const source = await createSource()
    const other = await createSource()
    // Traffic before connecting is not replayed.
    await batch(source.writeKey, [
      { type: 'track', event: 'Before', userId: 'u', messageId: uniq('b') },
    ])
    const stream = await openStream(
      `access_token=${encodeURIComponent(tp.adminToken)}&sourceId=${source.id}`,
    )
    try {
      await sleep(100)
      const okId = uniq('live')
      await batch(other.writeKey, [
        { type: 'track', event: 'Other', userId: 'u', messageId: uniq('o') },
      ])
      await batch(source.writeKey, [
        { type: 'track', event: 'Live', userId: 'u-live', messageId: okId },
        { type: 'track', event: 'Live Invalid', messageId: uniq('live-bad') },
      ])
      const messages = await stream.until(
        (m) => m.some((x) => x.event === 'event') && m.some((x) => x.event === 'rejection'),
      )
      const eventMsgs = messages.filter((m) => m.event === 'event')
      const rejectionMsgs = messages.filter((m) => m.event === 'rejection')
      expect(eventMsgs).toHaveLength(1)
      expect(eventMsgs[0]?.data).toMatchObject({
        sourceId: source.id,
        event: { messageId: okId, event: 'Live', userId: 'u-live', type: 'track' },
      })
      expect(eventMsgs[0]?.data.offset).toEqual(expect.any(Number))
      expect(rejectionMsgs).toHaveLength(1)
      expect(rejectionMsgs[0]?.data).toMatchObject({
        sourceId: source.id,
        code: 'EVENT_MISSING_IDENTITY',
        payload: { event: 'Live Invalid' },
      })
      expect(rejectionMsgs[0]?.data.offset as number).toBeGreaterThan(
        eventMsgs[0]?.data.offset as number,
      )
      expect(messages.some((m) => JSON.stringify(m.data).includes('"Before"'))).toBe(false)
      expect(messages.some((m) => JSON.stringify(m.data).includes('"Other"'))).toBe(false)
    } finally {
      stream.close()
    }
  })

  it('refuses the stream without a token', async () => {
    const response = await fetch(`${tp.url}/api/v1/stream`)
    expect(response.status).toBe(401)
    await response.arrayBuffer()
  })
})

function hasRequiredParameter(operation: Json): boolean {
  const parameters = (operation as { parameters?: Array<{ required?: boolean }> }).parameters
  return (parameters ?? []).some((p) => p.required === true)
}

describe('OpenAPI, operational endpoints and console', () => {
  it('serves the OpenAPI document and every documented GET path answers', async () => {
    const response = await fetch(`${tp.url}/api/docs`)
    expect(response.status).toBe(200)
    const doc = (await response.json()) as { openapi: string; paths: Record<string, Json> }
    expect(doc.openapi).toMatch(/^3\./)
    const paths = Object.entries(doc.paths)
      .filter(([path, ops]) => path.startsWith('/api/v1/') && !path.includes('{') && 'get' in ops)
      // Operations with required query parameters are covered by their own tests.
      .filter(([, ops]) => !hasRequiredParameter((ops as { get: Json }).get))
      .map(([path]) => path)
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/sources',
        '/api/v1/events',
        '/api/v1/rejected-events',
        '/api/v1/stats/ingest',
        '/api/v1/stream',
      ]),
    )
    for (const path of paths) {
      const controller = new AbortController()
      const answer = await tp.admin(path, { signal: controller.signal })
      expect(answer.status, path).not.toBe(404)
      expect(answer.status, path).toBeLessThan(400)
      controller.abort()
      await answer.body?.cancel().catch(() => undefined)
    }
  })

  it('answers /health, /ready and /metrics', async () => {
    const health = await fetch(`${tp.url}/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: 'ok' })
    const ready = await fetch(`${tp.url}/ready`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ status: 'ready' })
    expect(await track(tp.writeKey, { userId: 'metrics', event: 'Metrics' })).toBe(200)
    await events('userId=metrics') // let the store apply it
    const metrics = await fetch(`${tp.url}/metrics`)
    expect(metrics.status).toBe(200)
    const text = await metrics.text()
    expect(text).toMatch(/^tessera_ingest_requests_total\{[^}]*\} [1-9]/m)
    expect(text).toMatch(/^tessera_store_events_total\{[^}]*outcome="stored"[^}]*\} [1-9]/m)
    expect(text).toMatch(/^tessera_log_consumer_lag_events\{[^}]*consumer="store"[^}]*\} \d/m)
    // The store's followers report their lag too.
    expect(text).toMatch(/^tessera_log_consumer_lag_events\{[^}]*consumer="fields"[^}]*\} \d/m)
    expect(text).toMatch(/^tessera_log_consumer_lag_events\{[^}]*consumer="quality"[^}]*\} \d/m)
  })

  it('serves the console at / and at client routes; unknown API paths are JSON 404s', async () => {
    const index = await fetch(`${tp.url}/`)
    expect(index.status).toBe(200)
    expect(index.headers.get('content-type')).toMatch(/text\/html/)
    const html = await index.text()
    expect(html).toMatch(/<html|<!doctype html/i)
    const route = await fetch(`${tp.url}/sources/abc`)
    expect(route.status).toBe(200)
    expect(route.headers.get('content-type')).toMatch(/text\/html/)
    expect(await route.text()).toBe(html)

    const api = await tp.admin('/api/v1/nope')
    expect(api.status).toBe(404)
    expect(api.headers.get('content-type')).toMatch(/application\/json/)
    expect(((await api.json()) as ErrorBody).error.code).toBe('NOT_FOUND')
    const tracking = await fetch(`${tp.url}/v1/nope`)
    expect(tracking.status).toBe(404)
    expect(tracking.headers.get('content-type')).toMatch(/application\/json/)
    await tracking.arrayBuffer()
  })
})
