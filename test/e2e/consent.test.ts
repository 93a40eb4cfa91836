// Consent through the whole platform on the embedded store: events carrying
// `context.consent.categoryPreferences` (in any order of arrival) make the profile's consent,
// folded in event time with its history and provenance; a merge brings the absorbed
// profile's consent along; a destination mapped to a category is kept from denied events,
// as the delivery trace and its metrics show.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  startTestPlatform,
  TEST_WRITE_KEY,
  type TestPlatform,
} from '../../packages/server/src/testing/test-platform.js'

type Json = Record<string, unknown>

const t = (minute: number): string => new Date(Date.UTC(2026, 10, 30, 9, minute)).toISOString()
const consent = (categoryPreferences: Record<string, boolean>) => ({
  consent: { categoryPreferences },
})

async function postBatch(tp: TestPlatform, events: Json[]): Promise<void> {
  const response = await fetch(`${tp.url}/v1/batch`, {
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

async function get<T = Json>(tp: TestPlatform, path: string): Promise<T> {
  const response = await tp.admin(path)
  expect(response.status, path).toBe(200)
  return (await response.json()) as T
}

async function until<T>(read: () => Promise<T | null>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const value = await read()
    if (value !== null) return value
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 50))
  }
}

interface ConsentJson {
  profileId: string
  categories: Record<string, { granted: boolean; collected: boolean; setBy: Json | null }>
  updatedAt: number | null
  history: Array<{ messageId: string; sourceId: string; categories: Json; timestamp: number }>
}

describe('consent on the embedded platform', () => {
  let tp: TestPlatform
  let server: Server
  const received: string[] = []
  const byPath = new Map<string, string[]>()

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const id = (JSON.parse(Buffer.concat(chunks).toString()) as Json).messageId as string
        if (req.url === '/ads') received.push(id)
        byPath.set(req.url!, [...(byPath.get(req.url!) ?? []), id])
        res.end('ok')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const url = `${base}/ads`
    const hook = (id: string, extra: Json) => ({
      id,
      type: 'webhook',
      settings: { url: `${base}/${id}` },
      delivery: { batchSize: 1, batchWaitMs: 0 },
      ...extra,
    })
    tp = await startTestPlatform({
      consent: {
        categories: [
          { id: 'Advertising', name: 'Advertising' },
          { id: 'Analytics' },
          { id: 'Email' },
          { id: 'Sms' },
        ],
      },
      destinations: [
        {
          id: 'ads',
          type: 'webhook',
          settings: { url },
          consentCategories: ['Advertising'],
          delivery: { batchSize: 1, batchWaitMs: 0 },
        },
        hook('mail', { channel: 'email' }),
        hook('texts', { channel: 'sms' }),
        hook('promo', { contentType: 'offers' }),
        hook('crm', { marketing: true }),
      ],
    })
  })

  afterAll(async () => {
    await tp.close()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  async function profileOf(userId: string): Promise<string> {
    return until(async () => {
      const page = await get<{ data: Array<{ id: string }> }>(tp, `/api/v1/profiles?q=${userId}`)
      return page.data[0]?.id ?? null
    })
  }

  it('folds consent in event time, whatever the arrival order, with provenance', async () => {
    await postBatch(tp, [
      {
        type: 'track',
        event: 'Page Viewed',
        userId: 'ana',
        messageId: 'c-a',
        timestamp: t(10),
        context: consent({ Advertising: true, Analytics: true }),
      },
      {
        type: 'track',
        event: 'Order Completed',
        userId: 'ana',
        messageId: 'c-b',
        timestamp: t(30),
        context: consent({ Advertising: false }),
      },
    ])
    // Arrives last, happened in between: it does not override the later denial.
    await postBatch(tp, [
      {
        type: 'track',
        event: 'Segment Consent Preference Updated',
        userId: 'ana',
        messageId: 'c-c',
        timestamp: t(20),
        context: consent({ Advertising: true, Email: true }),
      },
    ])
    const id = await profileOf('ana')
    const answer = await until(async () => {
      const body = await get<ConsentJson>(tp, `/api/v1/profiles/${id}/consent`)
      return body.history.length === 3 ? body : null
    })
    expect(answer.history.map((h) => h.messageId)).toEqual(['c-a', 'c-c', 'c-b'])
    expect(answer.history[1]).toMatchObject({
      sourceId: 'test-source',
      categories: { Advertising: true, Email: true },
      timestamp: Date.parse(t(20)),
    })
    expect(answer.categories.Advertising).toMatchObject({
      granted: false,
      collected: true,
      setBy: { messageId: 'c-b', timestamp: Date.parse(t(30)) },
    })
    expect(answer.categories.Analytics).toMatchObject({ granted: true })
    expect(answer.categories.Email).toMatchObject({ granted: true })
    expect(answer.categories.Sms).toEqual({ granted: false, collected: false, setBy: null })
    expect(answer.updatedAt).toBe(Date.parse(t(30)))
  })

  it("keeps an absorbed profile's consent through a merge", async () => {
    await postBatch(tp, [
      {
        type: 'track',
        event: 'Page Viewed',
        anonymousId: 'anon-bo',
        messageId: 'm-anon',
        timestamp: t(40),
        context: consent({ Sms: true }),
      },
      {
        type: 'identify',
        userId: 'bo',
        messageId: 'm-bo',
        timestamp: t(41),
        traits: { plan: 'pro' },
        context: consent({ Analytics: false }),
      },
    ])
    await profileOf('bo')
    await postBatch(tp, [
      {
        type: 'identify',
        userId: 'bo',
        anonymousId: 'anon-bo',
        messageId: 'm-join',
        timestamp: t(42),
      },
    ])
    const answer = await until(async () => {
      const id = await profileOf('bo')
      const body = await get<ConsentJson>(tp, `/api/v1/profiles/${id}/consent`)
      return body.history.length === 2 ? body : null
    })
    expect(answer.history.map((h) => h.messageId)).toEqual(['m-anon', 'm-bo'])
    expect(answer.categories.Sms).toMatchObject({ granted: true, collected: true })
    expect(answer.categories.Analytics).toMatchObject({ granted: false, collected: true })
  })

  it('keeps a destination mapped to a category from events that deny it', async () => {
    await until(() =>
      Promise.resolve(received.includes('c-a') && received.includes('c-c') ? true : null),
    )
    const trace = await until(async () => {
      const body = await get<{ destinations: Json[] }>(tp, '/api/v1/events/c-b/deliveries')
      return body.destinations.find((d) => d.destinationId === 'ads') ?? null
    })
    expect(trace).toMatchObject({ status: 'filtered', reason: 'consent' })
    expect(received).not.toContain('c-b')
    const metrics = await get<{ totals: Json }>(tp, '/api/v1/destinations/ads/metrics')
    expect(metrics.totals.filteredConsent).toBeGreaterThanOrEqual(1)
  })

  it('answers 404 with its code for an unknown profile', async () => {
    const response = await tp.admin('/api/v1/profiles/usr_nobody/consent')
    expect(response.status).toBe(404)
    expect(((await response.json()) as { error: Json }).error.code).toBe(
      'CONSENT_PROFILE_NOT_FOUND',
    )
  })

  it('keeps preferences with provenance and honours channel opt-outs in routing', async () => {
    await postBatch(tp, [
      {
        type: 'identify',
        userId: 'cy',
        anonymousId: 'anon-cy',
        messageId: 'p-0',
        traits: { email: 'cy@example.com' },
      },
    ])
    const id = await profileOf('cy')
    const put = await tp.admin(`/api/v1/profiles/${id}/preferences`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-tessera-actor': 'privacy-desk' },
      body: JSON.stringify({ channels: { email: false, sms: true }, frequency: 'weekly' }),
    })
    expect(put.status).toBe(200)
    const patch = await tp.admin(`/api/v1/profiles/${id}/preferences`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contentTypes: { offers: false }, channels: { sms: null } }),
    })
    expect(patch.status).toBe(200)
    const prefs = await get<Json & { history: Json[] }>(tp, `/api/v1/profiles/${id}/preferences`)
    expect(prefs).toMatchObject({
      profileId: id,
      channels: { email: false },
      contentTypes: { offers: false },
      frequency: 'weekly',
    })
    expect(prefs.history).toHaveLength(2)
    expect(prefs.history[0]).toMatchObject({
      identifier: { type: 'user_id', value: 'cy' },
      actor: { kind: 'api' },
      changes: { 'channels.email': false, 'channels.sms': true, frequency: 'weekly' },
    })
    const actor = (prefs.history[0]!.actor as { actor: string }).actor
    expect(actor).toMatch(/^admin:[0-9a-f]{8}\/privacy-desk$/)
    expect(prefs.history[1]).toMatchObject({
      changes: { 'contentTypes.offers': false, 'channels.sms': null },
    })

    // Matched by any of the person's identifiers: here the anonymous id only.
    await postBatch(tp, [
      { type: 'track', event: 'Sale', anonymousId: 'anon-cy', messageId: 'p-1' },
      { type: 'track', event: 'Sale', userId: 'someone-else', messageId: 'p-2' },
    ])
    await until(() => Promise.resolve((byPath.get('/texts') ?? []).includes('p-2') ? true : null))
    await until(() => Promise.resolve((byPath.get('/texts') ?? []).includes('p-1') ? true : null))
    const trace = await get<{ destinations: Json[] }>(tp, '/api/v1/events/p-1/deliveries')
    const status: Record<string, Json> = Object.fromEntries(
      trace.destinations.map((d) => [d.destinationId as string, d]),
    )
    expect(status.mail).toMatchObject({ status: 'filtered', reason: 'preference' })
    expect(status.promo).toMatchObject({ status: 'filtered', reason: 'preference' })
    expect(byPath.get('/mail') ?? []).not.toContain('p-1')
    expect(byPath.get('/mail') ?? []).toContain('p-2')
    // The lane commits its counters after the window: wait for them.
    const filtered = await until(async () => {
      const metrics = await get<{ totals: Json }>(tp, '/api/v1/destinations/mail/metrics')
      return (metrics.totals.filteredPreference as number) > 0
        ? metrics.totals.filteredPreference
        : null
    })
    expect(filtered).toBe(1)
  })

  it('refuses an invalid preferences body with its code, changing nothing', async () => {
    const id = await profileOf('cy')
    const response = await tp.admin(`/api/v1/profiles/${id}/preferences`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channels: { Email: 'no' }, frequency: 'hourly' }),
    })
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { code: string; details: Json } }
    expect(body.error.code).toBe('CONSENT_INVALID_PREFERENCES')
    expect(body.error.details.problems).toEqual([
      expect.stringMatching(/^channels\.Email: /),
      expect.stringMatching(/^frequency: /),
    ])
    const prefs = await get<{ history: Json[] }>(tp, `/api/v1/profiles/${id}/preferences`)
    expect(prefs.history).toHaveLength(2)
  })

  it('takes preference changes from Preferences Updated events, with the event as provenance', async () => {
    const id = await profileOf('cy')
    const at = new Date(Date.now() + 1000).toISOString()
    await postBatch(tp, [
      {
        type: 'track',
        event: 'Preferences Updated',
        userId: 'cy',
        messageId: 'p-ev',
        timestamp: at,
        properties: { channels: { sms: false }, frequency: 'monthly' },
      },
    ])
    const prefs = await until(async () => {
      const body = await get<Json & { history: Json[] }>(tp, `/api/v1/profiles/${id}/preferences`)
      return body.history.length === 3 ? body : null
    })
    expect(prefs).toMatchObject({
      channels: { email: false, sms: false },
      contentTypes: { offers: false },
      frequency: 'monthly',
      updatedAt: Date.parse(at),
    })
    expect(prefs.history[2]).toMatchObject({
      id: null,
      identifier: { type: 'user_id', value: 'cy' },
      actor: { kind: 'event', sourceId: 'test-source', messageId: 'p-ev' },
      changes: { 'channels.sms': false, frequency: 'monthly' },
    })
  })

  it('keeps restricted people out of marketing destinations only', async () => {
    // Resolves once the delivery worker routes with the list.
    await tp.platform.setRestrictedSubjects([{ type: 'email', value: 'dan@example.com' }])
    await postBatch(tp, [
      {
        type: 'identify',
        userId: 'dan',
        messageId: 'r-1',
        traits: { email: 'Dan@Example.com' },
      },
      { type: 'identify', userId: 'eve', messageId: 'r-2', traits: { email: 'eve@example.com' } },
    ])
    await until(() => Promise.resolve((byPath.get('/crm') ?? []).includes('r-2') ? true : null))
    await until(() => Promise.resolve((byPath.get('/mail') ?? []).includes('r-1') ? true : null))
    expect(byPath.get('/crm')).not.toContain('r-1')
    const trace = await get<{ destinations: Json[] }>(tp, '/api/v1/events/r-1/deliveries')
    const crm = trace.destinations.find((d) => d.destinationId === 'crm')
    expect(crm).toMatchObject({ status: 'filtered', reason: 'restriction' })
  })
})
