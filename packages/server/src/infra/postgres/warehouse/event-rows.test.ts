import { describe, expect, it } from 'vitest'
import type { SegmentEvent } from '../../../protocol/index.js'
import { eventRows } from './event-rows.js'

const fallback = { id: 'fallback', receivedAt: '2026-01-01T00:00:00.000Z' }
const base = {
  messageId: 'm1',
  receivedAt: '2026-01-01T00:00:01.000Z',
  timestamp: '2026-01-01T00:00:00.500Z',
  sentAt: '2026-01-01T00:00:00.400Z',
  userId: 'u1',
  anonymousId: 'a1',
  context: { app: { buildNumber: 7 }, traits: { email: 'x@y.z' }, ip: '1.2.3.4' },
}
const event = (extra: Record<string, unknown>) => ({ ...base, ...extra }) as unknown as SegmentEvent

describe('eventRows (Segment warehouse schema)', () => {
  it('writes a track to tracks and to its own table, with flattened properties', () => {
    const rows = eventRows(
      event({
        type: 'track',
        event: 'Order Completed',
        properties: {
          orderId: 'o1',
          total: 9.5,
          products: [{ sku: 'a' }],
          shipping: { address: { streetName: 'Main' } },
          empty: null,
        },
      }),
      fallback,
    )
    expect(rows.map((row) => row.table)).toEqual(['tracks', 'order_completed'])
    const [tracks, own] = rows
    expect(Object.fromEntries(tracks?.fields ?? [])).toEqual({
      id: 'm1',
      anonymous_id: 'a1',
      user_id: 'u1',
      received_at: '2026-01-01T00:00:01.000Z',
      sent_at: '2026-01-01T00:00:00.400Z',
      timestamp: '2026-01-01T00:00:00.500Z',
      context_app_build_number: 7,
      context_traits_email: 'x@y.z',
      context_ip: '1.2.3.4',
      event: 'order_completed',
      event_text: 'Order Completed',
    })
    expect(own?.fields.get('order_id')).toBe('o1')
    expect(own?.fields.get('products')).toBe('[{"sku":"a"}]')
    expect(own?.fields.get('shipping_address_street_name')).toBe('Main')
    expect(own?.fields.has('empty')).toBe(false)
  })

  it('moves properties that collide with the table’s own columns under their object name', () => {
    const [, own] = eventRows(
      event({ type: 'track', event: 'X', properties: { id: 'p', event: 'e', contextIp: 'c' } }),
      fallback,
    )
    expect(own?.fields.get('id')).toBe('m1')
    expect(own?.fields.get('properties_id')).toBe('p')
    expect(own?.fields.get('properties_event')).toBe('e')
    expect(own?.fields.get('properties_context_ip')).toBe('c')
  })

  it('writes an identify to identifies and upserts users; group to groups and accounts', () => {
    const identify = eventRows(event({ type: 'identify', traits: { firstName: 'Ada' } }), fallback)
    expect(identify.map((row) => [row.table, row.upsert])).toEqual([
      ['identifies', false],
      ['users', true],
    ])
    expect(Object.fromEntries(identify[1]?.fields ?? [])).toEqual({
      id: 'u1',
      received_at: '2026-01-01T00:00:01.000Z',
      first_name: 'Ada',
    })
    const group = eventRows(
      event({ type: 'group', groupId: 'g1', traits: { plan: 'pro' } }),
      fallback,
    )
    expect(group.map((row) => row.table)).toEqual(['groups', 'accounts'])
    expect(group[0]?.fields.get('group_id')).toBe('g1')
    expect(group[1]?.fields.get('id')).toBe('g1')
  })

  it('skips users without a userId', () => {
    const rows = eventRows(event({ type: 'identify', userId: null, traits: {} }), fallback)
    expect(rows.map((row) => row.table)).toEqual(['identifies'])
  })

  it('writes pages and screens with name, and aliases with previous_id', () => {
    const page = eventRows(
      event({ type: 'page', name: 'Home', properties: { name: 'p', url: 'u' } }),
      fallback,
    )
    expect(page[0]?.table).toBe('pages')
    expect(page[0]?.fields.get('name')).toBe('Home')
    expect(page[0]?.fields.get('url')).toBe('u')
    const screen = eventRows(event({ type: 'screen', name: 'Main' }), fallback)
    expect(screen[0]?.table).toBe('screens')
    const alias = eventRows(event({ type: 'alias', previousId: 'old' }), fallback)
    expect(alias[0]?.table).toBe('aliases')
    expect(alias[0]?.fields.get('previous_id')).toBe('old')
  })

  it('uses the delivery’s id and receive time when the event lacks them', () => {
    const rows = eventRows({ type: 'alias', previousId: 'p' } as unknown as SegmentEvent, fallback)
    expect(rows[0]?.fields.get('id')).toBe('fallback')
    expect(rows[0]?.fields.get('received_at')).toBe(fallback.receivedAt)
  })
})
