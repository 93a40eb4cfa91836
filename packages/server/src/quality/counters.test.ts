import { describe, expect, it } from 'vitest'
import { aggregate, EventNames } from './counters.js'
import { OTHER_NAME } from './model.js'
import type { CountedEvent } from './quality-store.js'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
let seq = 0

function event(
  name: string | null,
  at: number,
  properties: unknown = {},
  sourceId = 'web',
): CountedEvent {
  seq += 1
  return {
    seq,
    sourceId,
    type: name === null ? 'identify' : 'track',
    name,
    receivedAt: at,
    payload: JSON.stringify({ properties }),
  }
}

describe('counter aggregation', () => {
  it('counts events per source, minute, type and name', () => {
    const delta = aggregate(
      [
        event('A', T0),
        event('A', T0 + 59_999),
        event('A', T0 + 60_000),
        event(null, T0),
        event('A', T0, {}, 'app'),
      ],
      [],
      new EventNames(10),
    )
    expect(delta.volume).toEqual([
      { sourceId: 'web', minute: T0, eventType: 'track', eventName: 'A', count: 2 },
      { sourceId: 'web', minute: T0 + 60_000, eventType: 'track', eventName: 'A', count: 1 },
      { sourceId: 'web', minute: T0, eventType: 'identify', eventName: '', count: 1 },
      { sourceId: 'app', minute: T0, eventType: 'track', eventName: 'A', count: 1 },
    ])
    expect(delta.newNames).toHaveLength(3)
  })

  it('checks required properties: present unless missing or null, nested by dotted path', () => {
    const required = [{ event: 'Order Completed', properties: ['total', 'currency', 'cart.id'] }]
    const delta = aggregate(
      [
        event('Order Completed', T0, { total: 10, currency: 'EUR', cart: { id: 'c1' } }),
        event('Order Completed', T0, { total: 0, currency: null }),
        event('Order Completed', T0, 'not an object'),
        event('Other', T0, {}),
      ],
      required,
      new EventNames(10),
    )
    const byProperty = Object.fromEntries(
      delta.completeness.map((r) => [r.property, [r.present, r.checked]]),
    )
    expect(byProperty).toEqual({ total: [2, 3], currency: [1, 3], 'cart.id': [1, 3] })
  })

  it('applies source-scoped requirements only to that source, each property once', () => {
    const required = [
      { source: 'app', event: 'A', properties: ['x'] },
      { event: 'A', properties: ['x', 'y'] },
    ]
    const delta = aggregate(
      [event('A', T0, { x: 1 }, 'web'), event('A', T0, { y: 1 }, 'app')],
      required,
      new EventNames(10),
    )
    const rows = delta.completeness.map((r) => [r.sourceId, r.property, r.present, r.checked])
    expect(rows).toEqual([
      ['web', 'x', 1, 1],
      ['web', 'y', 0, 1],
      ['app', 'x', 0, 1],
      ['app', 'y', 1, 1],
    ])
  })

  it('caps distinct names per source and counts the rest as (other)', () => {
    const names = new EventNames(2)
    names.add('web', 'track', 'Known')
    const delta = aggregate(
      [
        event('Known', T0),
        event('New', T0),
        event('Third', T0),
        event('Fourth', T0),
        event('Third', T0, {}, 'app'),
      ],
      [],
      names,
    )
    expect(delta.volume.map((r) => [r.sourceId, r.eventName, r.count])).toEqual([
      ['web', 'Known', 1],
      ['web', 'New', 1],
      ['web', OTHER_NAME, 2],
      ['app', 'Third', 1],
    ])
    expect(delta.newNames.map((n) => n.eventName)).toEqual(['New', 'Third'])
  })
})
