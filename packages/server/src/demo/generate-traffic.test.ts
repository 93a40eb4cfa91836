import { describe, expect, it } from 'vitest'
import { normalizeEvent } from '../protocol/index.js'
import type { DemoCall } from './demo-call.js'
import { generateTraffic } from './generate-traffic.js'

const endTime = Date.parse('2026-03-01T12:00:00.000Z')
const defaults = { seed: 42, users: 25, events: 500, endTime }
const SEEDS = [1, 2, 3, 42, 'spring-demo']

type Loose = Record<string, unknown>
const loose = (call: DemoCall): Loose => call.params
const obj = (value: unknown): Loose => (value ?? {}) as Loose
const propsOf = (call: DemoCall): Loose => obj(loose(call).properties)
const contextOf = (call: DemoCall): Loose => obj(loose(call).context)
const named = (calls: DemoCall[], event: string): DemoCall[] =>
  calls.filter((c) => c.type === 'track' && c.params.event === event)
const isId = (value: unknown): boolean => typeof value === 'string' && value.length > 0
const typesOf = (value: Loose, keys: string[]): string[] => keys.map((key) => typeof value[key])

const isObject = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Fields each call needs besides an identity (segment-compat §1.5). */
const REQUIRED: Record<DemoCall['type'], string[]> = {
  identify: [],
  track: ['event'],
  page: ['name'],
  screen: ['name'],
  group: ['groupId'],
  alias: ['userId', 'previousId'],
}

/** Segment's required fields per call type, checked directly. */
function specProblems(call: DemoCall): string[] {
  const p = loose(call)
  const problems = REQUIRED[call.type]
    .filter((field) => !isId(p[field]))
    .map((field) => `${call.type} without ${field}`)
  if (call.type !== 'alias' && !isId(p.userId) && !isId(p.anonymousId)) {
    problems.push('no userId or anonymousId')
  }
  for (const field of ['properties', 'traits', 'context']) {
    if (p[field] !== undefined && !isObject(p[field])) problems.push(`${field} is not an object`)
  }
  if (typeof p.timestamp !== 'string' || Number.isNaN(Date.parse(p.timestamp))) {
    problems.push('no ISO timestamp')
  }
  return problems
}

describe('generateTraffic', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateTraffic(defaults)).toEqual(generateTraffic(defaults))
    expect(generateTraffic({ ...defaults, seed: 'spring-demo' })).toEqual(
      generateTraffic({ ...defaults, seed: 'spring-demo' }),
    )
    expect(generateTraffic({ ...defaults, seed: 43 })).not.toEqual(generateTraffic(defaults))
  })

  it('returns exactly the requested number of JSON-safe calls from at most `users` people', () => {
    for (const [users, events] of [
      [25, 500],
      [1, 1],
      [1, 60],
      [3, 200],
      [200, 50],
    ] as const) {
      const calls = generateTraffic({ ...defaults, users, events })
      expect(calls).toHaveLength(events)
      expect(JSON.parse(JSON.stringify(calls))).toEqual(calls)
      const people = new Set(
        calls.map((c) => loose(c).anonymousId ?? loose(c).previousId ?? loose(c).userId),
      )
      expect(people.size).toBeLessThanOrEqual(users)
    }
  })

  it('produces only events valid per the Segment spec, as the server normalizes them', () => {
    for (const seed of SEEDS) {
      for (const call of generateTraffic({ ...defaults, seed })) {
        expect(specProblems(call), `${seed}: ${JSON.stringify(call)}`).toEqual([])
        const result = normalizeEvent(
          { type: call.type, ...call.params },
          {
            sourceId: 'demo',
            routeType: undefined,
            receivedAt: endTime,
            batchSentAt: undefined,
            batchContext: undefined,
            batchIntegrations: undefined,
            ip: undefined,
          },
        )
        expect(result.ok ? 'ok' : result.reason, JSON.stringify(call)).toBe('ok')
      }
    }
  })

  it('spreads timestamps before endTime in order', () => {
    const times = generateTraffic(defaults).map((c) => Date.parse(loose(c).timestamp as string))
    expect(times.at(-1)).toBe(endTime)
    times.slice(1).forEach((t, i) => expect(t).toBeGreaterThan(times[i] as number))
    expect(endTime - (times[0] as number)).toBeGreaterThan(60 * 60_000)
  })

  it('covers browsing, sign-up, ecommerce, B2B, email, mobile and surveys at default sizes', () => {
    const wanted = [
      'Products Searched',
      'Product Viewed',
      'Product Added',
      'Checkout Started',
      'Order Completed',
      'Signed Up',
      'Email Delivered',
      'Email Opened',
      'Survey Responded',
      'Application Opened',
    ]
    for (const seed of SEEDS) {
      const calls = generateTraffic({ ...defaults, seed })
      const types = new Set(calls.map((c) => c.type))
      expect([...types].sort(), String(seed)).toEqual([
        'alias',
        'group',
        'identify',
        'page',
        'screen',
        'track',
      ])
      const events = new Set(calls.flatMap((c) => (c.type === 'track' ? [c.params.event] : [])))
      for (const event of wanted) expect(events, `${seed}: ${event}`).toContain(event)
      const landings = calls.filter((c) => c.type === 'page' && obj(contextOf(c).campaign).source)
      expect(landings.length, String(seed)).toBeGreaterThan(0)
    }
  })

  it('gives web calls page context and app calls device, os and app context', () => {
    const calls = generateTraffic(defaults)
    for (const call of calls.filter((c) => c.type === 'page')) {
      const page = obj(contextOf(call).page)
      expect(page.url).toBe(propsOf(call).url)
      expect(String(page.url)).toMatch(/^https:\/\/shop\.example\.com\//)
      expect(page.path).toBe(propsOf(call).path)
      expect(typeof contextOf(call).userAgent).toBe('string')
      const campaign = obj(contextOf(call).campaign)
      if (typeof campaign.source === 'string' && String(page.search).includes('utm_')) {
        expect(String(page.search)).toContain(`utm_source=${campaign.source}`)
      }
    }
    for (const call of calls.filter((c) => c.type === 'screen')) {
      const context = contextOf(call)
      expect(typeof obj(context.device).id).toBe('string')
      expect(obj(context.os).name).toMatch(/^(iOS|Android)$/)
      expect(obj(context.app).name).toBe('Northfold')
    }
  })

  it('follows Ecommerce v2: ids, products and totals that add up', () => {
    const calls = SEEDS.flatMap((seed) => generateTraffic({ ...defaults, seed }))
    const orders = named(calls, 'Order Completed').map(propsOf)
    expect(orders.length).toBeGreaterThan(5)
    for (const order of orders) {
      expect(typesOf(order, ['order_id', 'currency'])).toEqual(['string', 'string'])
      expect(order.currency).toBe('USD')
      const products = order.products as Loose[]
      expect(products.length).toBeGreaterThan(0)
      for (const product of products) {
        expect(typesOf(product, ['product_id', 'sku', 'name'])).toEqual([
          'string',
          'string',
          'string',
        ])
        expect(product.price).toBeGreaterThan(0)
        expect(Number.isInteger(product.quantity)).toBe(true)
      }
      const subtotal = products.reduce(
        (sum, p) => sum + (p.price as number) * (p.quantity as number),
        0,
      )
      const n = (key: string): number => order[key] as number
      expect(n('subtotal')).toBeCloseTo(subtotal, 2)
      expect(n('revenue')).toBeCloseTo(n('subtotal') - n('discount'), 2)
      expect(n('total')).toBeCloseTo(n('revenue') + n('shipping') + n('tax'), 2)
    }
    for (const event of ['Product Viewed', 'Product Added']) {
      for (const props of named(calls, event).map(propsOf)) {
        expect(typesOf(props, ['product_id', 'price']), event).toEqual(['string', 'number'])
      }
    }
    for (const props of named(calls, 'Products Searched').map(propsOf)) {
      expect(isId(props.query)).toBe(true)
    }
  })

  it('tells each person’s story in order', () => {
    const calls = generateTraffic(defaults)
    calls.forEach((call, i) => {
      if (call.type === 'alias') {
        const before = calls
          .slice(0, i)
          .some((c) => loose(c).anonymousId === call.params.previousId)
        expect(before, 'anonymous activity precedes alias').toBe(true)
      }
      if (call.type === 'group') {
        expect(isId(call.params.userId), 'a group call comes from a known user').toBe(true)
      }
      if (call.type === 'track' && call.params.event.startsWith('Email ')) {
        expect(String(obj(contextOf(call).traits).email)).toContain('@')
      }
    })
    const checkouts = new Set(named(calls, 'Checkout Started').map((c) => propsOf(c).order_id))
    for (const order of named(calls, 'Order Completed')) {
      const fromApp = contextOf(order).app !== undefined
      expect(fromApp || checkouts.has(propsOf(order).order_id)).toBe(true)
    }
  })
})
