// Data quality end to end on the real platform (embedded store; the pipeline workers run from
// dist, so build first): counters and metrics over HTTP, identity match rate from real
// identity resolution, alert rules through the API, and an alert rule whose incident opens and
// resolves, each transition appended as a track event of the alerts source and delivered to a
// webhook subscribed to that source through normal routing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  startTestPlatform,
  TEST_WRITE_KEY,
  type TestPlatform,
} from '../../packages/server/src/testing/test-platform.js'
import { startReceiver, type Receiver } from '../support/webhook-receiver.js'

type Json = Record<string, unknown>

const ALERTS_WRITE_KEY = 'alerts_write_key_0003'
const WAIT = { timeout: 15_000, interval: 100 }
const basic = (key: string): string => `Basic ${Buffer.from(`${key}:`).toString('base64')}`

async function send(tp: TestPlatform, route: 'track' | 'identify', body: Json): Promise<void> {
  const response = await fetch(`${tp.url}/v1/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basic(TEST_WRITE_KEY) },
    body: JSON.stringify(body),
  })
  expect(response.status, await response.clone().text()).toBe(200)
  await response.arrayBuffer()
}

async function get<T = Json>(tp: TestPlatform, path: string): Promise<{ status: number; body: T }> {
  const response = await tp.admin(path)
  return { status: response.status, body: (await response.json()) as T }
}

async function call(
  tp: TestPlatform,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const response = await tp.admin(path, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  })
  const text = await response.text()
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Json) }
}

interface MetricJson {
  metric: string
  value: number | null
  denominator: number
}

const metricOf = (summary: { metrics: MetricJson[] }, metric: string) =>
  summary.metrics.find((m) => m.metric === metric)

describe('data-quality alerts delivered to a webhook', () => {
  let tp: TestPlatform
  let hook: Receiver

  beforeAll(async () => {
    hook = await startReceiver()
    tp = await startTestPlatform({
      sources: [
        { id: 'test-source', name: 'Test source', writeKey: TEST_WRITE_KEY },
        { id: 'alerts', name: 'Alerts', writeKey: ALERTS_WRITE_KEY },
      ],
      destinations: [
        { id: 'alert-hook', type: 'webhook', settings: { url: hook.url }, sourceIds: ['alerts'] },
      ],
      dataQuality: {
        evaluateEveryMs: 200,
        alerts: [
          {
            id: 'orders-low',
            name: 'Too few orders',
            metric: 'volume',
            source: 'test-source',
            event: 'Order Completed',
            condition: 'below',
            threshold: 2,
            window: '5m',
            severity: 'critical',
            critical: true,
            notify: { sourceId: 'alerts' },
          },
        ],
      },
    })
  })

  afterAll(async () => {
    await tp?.close()
    await hook?.close()
  })

  it('opens an incident, delivers the alert event, resolves and delivers the resolution', async () => {
    // No order yet: volume 0 < 2 opens an incident, sent as a track event of `alerts`.
    await expect
      .poll(() => hook.events().map((e) => e.event), WAIT)
      .toContain('Data Quality Alert Triggered')
    const { body: open } = await get<{ data: Json[] }>(tp, '/api/v1/quality/incidents?status=open')
    expect(open.data).toHaveLength(1)
    const incident = open.data[0] as Json
    expect(incident).toMatchObject({
      ruleId: 'orders-low',
      metric: 'volume',
      sourceId: 'test-source',
      event: 'Order Completed',
      condition: 'below',
      observed: 0,
      expected: 2,
      severity: 'critical',
      status: 'open',
    })
    const triggered = hook.events().find((e) => e.event === 'Data Quality Alert Triggered') as Json
    expect(triggered.messageId).toBe(`dq-${String(incident.id)}-opened`)
    expect(triggered.properties).toMatchObject({
      rule: 'Too few orders',
      metric: 'volume',
      source: 'test-source',
      event: 'Order Completed',
      observed: 0,
      expected: 2,
      severity: 'critical',
      incident_id: incident.id,
    })
    expect(String((triggered.properties as Json).console_link)).toContain(
      `/quality/incidents/${String(incident.id)}`,
    )

    // Acknowledge it (idempotent).
    const acked = await call(tp, 'POST', `/api/v1/quality/incidents/${String(incident.id)}/ack`)
    expect(acked.status).toBe(200)
    expect(acked.body.ackedBy).toMatch(/^admin:/)
    const again = await call(tp, 'POST', `/api/v1/quality/incidents/${String(incident.id)}/ack`)
    expect(again.body.ackedAt).toBe(acked.body.ackedAt)

    // Two orders arrive: the rule holds again, the incident resolves and that is sent too.
    await send(tp, 'track', { userId: 'u-1', event: 'Order Completed', properties: { total: 1 } })
    await send(tp, 'track', { userId: 'u-2', event: 'Order Completed', properties: { total: 2 } })
    await expect
      .poll(() => hook.events().map((e) => e.event), WAIT)
      .toContain('Data Quality Alert Resolved')
    const resolved = hook.events().find((e) => e.event === 'Data Quality Alert Resolved') as Json
    expect(resolved.messageId).toBe(`dq-${String(incident.id)}-resolved`)
    expect(resolved.properties).toMatchObject({ observed: 2, incident_id: incident.id })
    const { body: after } = await get<Json>(tp, `/api/v1/quality/incidents/${String(incident.id)}`)
    expect(after).toMatchObject({ status: 'resolved', resolvedObserved: 2 })
    expect(after.openNotifiedAt).not.toBeNull()
    expect(after.resolveNotifiedAt).not.toBeNull()
    // Each transition was delivered once, and no new incident opened meanwhile.
    const alertEvents = hook.events().filter((e) => String(e.event).startsWith('Data Quality'))
    expect(alertEvents).toHaveLength(2)
    const { body: all } = await get<{ data: Json[] }>(tp, '/api/v1/quality/incidents')
    expect(all.data).toHaveLength(1)
  })

  it('refuses rule edits through the API while the config file manages them', async () => {
    const { body } = await get<{ managed: boolean; data: Json[] }>(tp, '/api/v1/quality/alerts')
    expect(body.managed).toBe(true)
    expect(body.data.map((r) => r.id)).toEqual(['orders-low'])
    const answer = await call(tp, 'DELETE', '/api/v1/quality/alerts/orders-low')
    expect(answer.status).toBe(409)
    expect((answer.body.error as Json).code).toBe('QUALITY_RULES_MANAGED')
  })
})

describe('data-quality metrics and rules API', () => {
  let tp: TestPlatform

  beforeAll(async () => {
    tp = await startTestPlatform({
      dataQuality: {
        requiredProperties: [{ event: 'Order Completed', properties: ['total', 'currency'] }],
      },
    })
  })

  afterAll(async () => {
    await tp?.close()
  })

  it('measures volume, completeness and duplicates; the pass share is unknown without a plan', async () => {
    await send(tp, 'track', {
      userId: 'u-1',
      event: 'Order Completed',
      messageId: 'order-1',
      properties: { total: 5, currency: 'EUR' },
    })
    await send(tp, 'track', { userId: 'u-1', event: 'Order Completed', messageId: 'order-1' })
    await send(tp, 'track', { userId: 'u-2', event: 'Order Completed', properties: { total: 3 } })
    await send(tp, 'track', { userId: 'u-2', event: 'Page Viewed' })
    const { status, body } = await get<{ metrics: MetricJson[] }>(
      tp,
      '/api/v1/quality/summary?source=test-source&range=1h',
    )
    expect(status).toBe(200)
    expect(metricOf(body, 'volume')?.value).toBe(3)
    // total: 2 of 2 orders, currency: 1 of 2.
    expect(metricOf(body, 'completeness')?.value).toBeCloseTo(3 / 4)
    expect(metricOf(body, 'duplicate_rate')?.value).toBeCloseTo(1 / 4)
    expect(metricOf(body, 'pass_share')?.value).toBeNull()

    const series = await get<{
      data: Array<{ t: number; value: number | null; anomaly: unknown }>
    }>(
      tp,
      `/api/v1/quality/series?metric=volume&source=test-source&event=Order%20Completed&bucket=minute&from=${Date.now() - 10 * 60_000}`,
    )
    expect(series.status).toBe(200)
    expect(series.body.data.reduce((sum, p) => sum + (p.value ?? 0), 0)).toBe(2)
    expect(series.body.data.every((p) => 'anomaly' in p)).toBe(true)
  })

  it('computes the identity match rate from real identity resolution', async () => {
    await send(tp, 'track', { anonymousId: 'anon-1', event: 'Page Viewed' })
    await send(tp, 'track', { anonymousId: 'anon-2', event: 'Page Viewed' })
    await send(tp, 'identify', { anonymousId: 'anon-1', userId: 'known-1', traits: {} })
    // Anonymous-first profiles: anon-1 (now known) and anon-2; u-1 and u-2 were known from the start.
    await expect
      .poll(async () => {
        const { body } = await get<{ metrics: MetricJson[] }>(
          tp,
          '/api/v1/quality/summary?range=1h',
        )
        const metric = metricOf(body, 'identity_match_rate')
        return [metric?.value, metric?.denominator]
      }, WAIT)
      .toEqual([0.5, 2])
  })

  it('creates, reads, replaces and deletes alert rules, with errors that name the field', async () => {
    const rule = {
      id: 'dupes',
      name: 'Duplicates',
      metric: 'duplicate_rate',
      condition: 'above',
      threshold: 0.1,
      window: '15m',
    }
    const created = await call(tp, 'POST', '/api/v1/quality/alerts', rule)
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      ...rule,
      severity: 'warning',
      critical: false,
      managed: false,
    })
    expect((await call(tp, 'POST', '/api/v1/quality/alerts', rule)).status).toBe(409)
    const replaced = await call(tp, 'PUT', '/api/v1/quality/alerts/dupes', {
      ...rule,
      threshold: 0.2,
    })
    expect(replaced.body.threshold).toBe(0.2)
    expect((await get<Json>(tp, '/api/v1/quality/alerts/dupes')).body.threshold).toBe(0.2)

    const invalid = await call(tp, 'POST', '/api/v1/quality/alerts', {
      id: 'bad id',
      name: 'x',
      metric: 'volume',
      condition: 'below',
      window: 'soon',
    })
    expect(invalid.status).toBe(400)
    const error = invalid.body.error as {
      code: string
      details: { issues: Array<{ path: string }> }
    }
    expect(error.code).toBe('QUALITY_INVALID_RULE')
    expect(error.details.issues.map((i) => i.path).sort()).toEqual(['id', 'threshold', 'window'])

    expect((await call(tp, 'DELETE', '/api/v1/quality/alerts/dupes')).status).toBe(204)
    const missing = await call(tp, 'DELETE', '/api/v1/quality/alerts/dupes')
    expect(missing.status).toBe(404)
    expect((missing.body.error as Json).code).toBe('QUALITY_RULE_NOT_FOUND')
  })

  it('answers bad queries with a 400 naming the parameter', async () => {
    const answer = await get<{ error: { code: string; message: string } }>(
      tp,
      '/api/v1/quality/series?metric=nope',
    )
    expect(answer.status).toBe(400)
    expect(answer.body.error.message).toContain('metric')
    const tooLong = await get<{ error: { code: string } }>(
      tp,
      '/api/v1/quality/series?metric=volume&bucket=minute&from=0',
    )
    expect(tooLong.body.error.code).toBe('QUALITY_INVALID_QUERY')
    const incident = await get<{ error: { code: string } }>(tp, '/api/v1/quality/incidents/none')
    expect(incident.status).toBe(404)
    expect(incident.body.error.code).toBe('QUALITY_INCIDENT_NOT_FOUND')
  })
})

describe('validation pass share with a tracking plan', () => {
  let tp: TestPlatform

  beforeAll(async () => {
    tp = await startTestPlatform({
      sources: [{ id: 'test-source', name: 'Test source', writeKey: TEST_WRITE_KEY }],
      trackingPlans: [
        {
          id: 'tp_orders',
          name: 'Orders',
          rules: [
            {
              type: 'TRACK',
              key: 'Order Completed',
              jsonSchema: {
                type: 'object',
                properties: {
                  properties: {
                    type: 'object',
                    properties: { total: { type: 'number' } },
                    required: ['total'],
                  },
                },
              },
            },
          ],
          sources: [{ id: 'test-source', enforcement: {} }],
        },
      ],
    })
  })

  afterAll(async () => {
    await tp?.close()
  })

  it('is the share of checked events that passed the plan, per source', async () => {
    await send(tp, 'track', { userId: 'u-1', event: 'Order Completed', properties: { total: 5 } })
    await send(tp, 'track', { userId: 'u-1', event: 'Order Completed', properties: { total: 'x' } })
    await send(tp, 'track', { userId: 'u-2', event: 'Order Completed', properties: {} })
    await send(tp, 'track', { userId: 'u-2', event: 'Order Completed', properties: { total: 1 } })
    const { status, body } = await get<{ metrics: MetricJson[] }>(
      tp,
      '/api/v1/quality/summary?source=test-source&range=1h',
    )
    expect(status).toBe(200)
    expect(metricOf(body, 'pass_share')?.value).toBeCloseTo(2 / 4)
    const other = await get<{ metrics: MetricJson[] }>(
      tp,
      '/api/v1/quality/summary?source=no-plan&range=1h',
    )
    expect(metricOf(other.body, 'pass_share')?.value).toBeNull()
  })
})
