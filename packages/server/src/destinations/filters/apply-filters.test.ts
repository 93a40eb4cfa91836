import { describe, expect, it } from 'vitest'
import type { JsonObject, SegmentEvent } from '../../protocol/index.js'
import type { DeliveryEvent, DestinationFilter, FilterAction } from '../model.js'
import { compileFilters, type FilterOutcome } from './apply-filters.js'

function track(overrides: JsonObject = {}): SegmentEvent {
  return {
    type: 'track',
    messageId: 'm-1',
    receivedAt: '2024-01-01T00:00:00.000Z',
    timestamp: '2024-01-01T00:00:00.000Z',
    event: 'Order Completed',
    userId: 'user-42',
    properties: { revenue: 120, email: 'ann@example.com', coupon: 'X', items: [{ id: 1 }] },
    context: { ip: '10.0.0.1', traits: { email: 'ann@example.com', plan: 'pro' } },
    ...overrides,
  }
}

/** A delivery event whose every object is frozen: any mutation would throw. */
function delivery(event: SegmentEvent = track()): DeliveryEvent {
  return deepFreeze({
    seq: 7,
    messageId: event.messageId,
    sourceId: 'src',
    receivedAt: 0,
    event,
    json: JSON.stringify(event),
  })
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}

function filter(
  id: string,
  condition: string,
  actions: FilterAction[],
  enabled = true,
): DestinationFilter {
  return { id, title: id, enabled, if: condition, actions }
}

function kept(outcome: FilterOutcome): DeliveryEvent {
  if ('dropped' in outcome) throw new Error(`dropped: ${outcome.dropped}`)
  return outcome.kept
}

describe('compileFilters', () => {
  it('returns the input itself when there are no enabled filters', () => {
    const input = delivery()
    expect(kept(compileFilters([]).apply(input))).toBe(input)
    const disabled = compileFilters([filter('f', 'all', [{ type: 'drop' }], false)])
    expect(kept(disabled.apply(input))).toBe(input)
    expect(disabled.problems).toEqual([])
  })

  it('drops what a drop filter matches and keeps the rest untouched', () => {
    const filters = compileFilters([filter('debug', 'event = "Debug"', [{ type: 'drop' }])])
    expect(filters.apply(delivery(track({ event: 'Debug' })))).toEqual({
      dropped: 'filter:debug:drop',
    })
    const input = delivery()
    expect(kept(filters.apply(input))).toBe(input)
  })

  it('applies one filter’s actions in Segment’s order, whatever order they are listed in', () => {
    let draws = 0
    const random = () => {
      draws++
      return 0
    }
    const actions: FilterAction[] = [
      { type: 'allow_properties', fields: { properties: ['revenue'] } },
      { type: 'drop_properties', fields: { properties: ['revenue'] } },
      { type: 'sample', percent: 0.5 },
      { type: 'drop' },
    ]
    const outcome = compileFilters([filter('f', 'all', actions)], { random }).apply(delivery())
    expect(outcome).toEqual({ dropped: 'filter:f:drop' })
    expect(draws).toBe(0)

    const sampled = compileFilters([filter('s', 'all', actions.slice(0, 3))], {
      random: () => 0.9,
    })
    expect(sampled.apply(delivery())).toEqual({ dropped: 'filter:s:sample' })
    const edited = compileFilters([filter('s', 'all', actions.slice(0, 3))], { random: () => 0.1 })
    expect(kept(edited.apply(delivery())).event.properties).toEqual({})
  })

  it('runs filters in order, each on the event the previous ones left', () => {
    const filters = compileFilters([
      filter('strip', 'all', [{ type: 'drop_properties', fields: { properties: ['email'] } }]),
      filter('leak-guard', 'properties.email != null', [{ type: 'drop' }]),
    ])
    expect(kept(filters.apply(delivery())).event.properties).not.toHaveProperty('email')
  })

  it('drops properties at the top level and nested, copying only what changes', () => {
    const input = delivery()
    const filters = compileFilters([
      filter('pii', 'all', [
        {
          type: 'drop_properties',
          fields: { '': ['userId'], properties: ['email', 'absent'], 'context.traits': ['email'] },
        },
      ]),
    ])
    const result = kept(filters.apply(input))
    expect(result).not.toBe(input)
    expect(result.json).toBeNull()
    expect(result.seq).toBe(7)
    expect(result.event).not.toHaveProperty('userId')
    expect(result.event.properties).toEqual({ revenue: 120, coupon: 'X', items: [{ id: 1 }] })
    expect(result.event.context).toEqual({ ip: '10.0.0.1', traits: { plan: 'pro' } })
    expect(result.event.event).toBe('Order Completed')
    // Untouched branches are shared, not copied; the input is as it was.
    const properties = result.event.properties as Record<string, unknown>
    expect(properties.items).toBe((input.event.properties as Record<string, unknown>).items)
    expect(input.event).toEqual(track())
    expect(input.json).toBe(JSON.stringify(track()))
  })

  it('keeps only allowed properties at the top level and nested', () => {
    const filters = compileFilters([
      filter('allow', 'all', [
        {
          type: 'allow_properties',
          fields: {
            '': ['type', 'messageId', 'event', 'properties', 'context'],
            properties: ['revenue'],
          },
        },
        { type: 'allow_properties', fields: { 'context.traits': ['plan'] } },
      ]),
    ])
    const input = delivery()
    const result = kept(filters.apply(input))
    expect(result.event).toEqual({
      type: 'track',
      messageId: 'm-1',
      event: 'Order Completed',
      properties: { revenue: 120 },
      context: { ip: '10.0.0.1', traits: { plan: 'pro' } },
    })
    expect(result.json).toBeNull()
    expect(input.event).toEqual(track())
  })

  it('returns the same event when the edits change nothing', () => {
    const input = delivery()
    const filters = compileFilters([
      filter('noop', 'all', [
        { type: 'drop_properties', fields: { properties: ['absent'], nowhere: ['x'], '': ['y'] } },
        { type: 'allow_properties', fields: { 'context.traits': ['email', 'plan', 'extra'] } },
        { type: 'drop_properties', fields: { 'properties.items': ['id'], 'event.x': ['y'] } },
      ]),
    ])
    expect(kept(filters.apply(input))).toBe(input)
  })

  it('skips a filter whose condition does not match', () => {
    const input = delivery()
    const filters = compileFilters([
      filter('f', 'type = "identify"', [{ type: 'drop_properties', fields: { '': ['userId'] } }]),
    ])
    expect(kept(filters.apply(input))).toBe(input)
  })

  it('reports FQL that does not compile and drops every event at that filter', () => {
    const filters = compileFilters([
      filter('ok', 'type = "identify"', [{ type: 'drop' }]),
      filter('bad', 'event = "x', [{ type: 'drop_properties', fields: { properties: ['x'] } }]),
      filter('off', 'lowercase(', [{ type: 'drop' }], false),
    ])
    expect(filters.problems).toHaveLength(2)
    expect(filters.problems[0]).toMatch(/^filter 'bad': invalid FQL: unterminated string/)
    expect(filters.problems[1]).toMatch(/^filter 'off' \(disabled\): invalid FQL/)
    expect(filters.apply(delivery())).toEqual({ dropped: 'filter:bad:invalid-fql' })
  })

  it('drops the event when the condition fails to evaluate', () => {
    const event = track()
    Object.defineProperty(event, 'event', {
      enumerable: true,
      get: () => {
        throw new Error('unreadable')
      },
    })
    const input: DeliveryEvent = {
      seq: 1,
      messageId: 'm-1',
      sourceId: 's',
      receivedAt: 0,
      event,
      json: null,
    }
    const filters = compileFilters([filter('f', 'event = "x"', [{ type: 'sample', percent: 1 }])])
    expect(filters.apply(input)).toEqual({ dropped: 'filter:f:fql-error' })
  })

  it('reports a sample percent outside 0..1 and drops at that filter', () => {
    const filters = compileFilters([filter('s', 'all', [{ type: 'sample', percent: 1.5 }])])
    expect(filters.problems).toEqual(["filter 's': sample percent must be within 0..1, got 1.5"])
    expect(filters.apply(delivery())).toEqual({ dropped: 'filter:s:invalid-action' })
  })
})
