import { describe, expect, it } from 'vitest'
import type { DeliveryEvent } from '../../destinations/model.js'
import type { SegmentEvent } from '../../protocol/index.js'
import {
  renderSubject,
  sanitizeToken,
  snakeCase,
  streamFilter,
  templateProblems,
} from './nats-subject.js'

function delivery(event: Partial<SegmentEvent>, sourceId = 'web-site'): DeliveryEvent {
  const full = {
    type: 'track',
    messageId: 'm-1',
    receivedAt: '2026-01-01T00:00:00.000Z',
    timestamp: '2026-01-01T00:00:00.000Z',
    ...event,
  } as SegmentEvent
  return { seq: 1, messageId: 'm-1', sourceId, receivedAt: 0, event: full, json: null }
}

describe('nats subjects', () => {
  it('snake_cases event names and sanitizes tokens', () => {
    expect(snakeCase('Order Completed')).toBe('order_completed')
    expect(snakeCase('orderCompleted')).toBe('order_completed')
    expect(snakeCase('  Checkout-Step 2!  ')).toBe('checkout_step_2')
    expect(sanitizeToken('a.b*c>d e')).toBe('a_b_c_d_e')
    expect(sanitizeToken('')).toBe('_')
    expect(sanitizeToken('x'.repeat(500))).toHaveLength(128)
  })

  it('renders {type}, {sourceId} and {event}', () => {
    const template = 'tessera.{sourceId}.{type}.{event}'
    expect(renderSubject(template, delivery({ event: 'Order Completed' }))).toBe(
      'tessera.web-site.track.order_completed',
    )
    expect(renderSubject(template, delivery({ type: 'page', name: 'Home Page' }, 'a.b'))).toBe(
      'tessera.a_b.page.home_page',
    )
    expect(renderSubject(template, delivery({ type: 'identify' }))).toBe(
      'tessera.web-site.identify.identify',
    )
    expect(renderSubject(template, delivery({ event: '>.*' }))).toBe('tessera.web-site.track.track')
    expect(renderSubject('events_{type}.x', delivery({}))).toBe('events_track.x')
  })

  it('validates templates and derives the stream filter', () => {
    expect(templateProblems('tessera.events.{type}')).toEqual([])
    expect(templateProblems('tessera..x')).toHaveLength(1)
    expect(templateProblems('tessera.*')).toHaveLength(1)
    expect(templateProblems('tessera.{nope}')).toEqual([expect.stringContaining('{nope}')])
    expect(streamFilter('tessera.events.{type}')).toBe('tessera.events.>')
    expect(streamFilter('tessera.all')).toBe('tessera.all')
    expect(streamFilter('{type}.x')).toBeNull()
  })
})
