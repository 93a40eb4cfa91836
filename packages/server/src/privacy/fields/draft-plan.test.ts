import { describe, expect, it } from 'vitest'
import type { PlanRule as SharedPlanRule } from '../../plans/model.js'
import { draftPlan } from './draft-plan.js'
import type { EventRow, FieldRow } from './model.js'
import { observedSchema } from './observed-schema.js'

const ev = (eventType: string, eventName: string, count: number): EventRow => ({
  sourceId: 's1',
  eventType,
  eventName,
  count,
  firstSeen: 1,
  lastSeen: 2,
  droppedFields: 0,
  fields: 0,
})
const f = (
  eventType: string,
  eventName: string,
  path: string,
  events: number,
  types: FieldRow['types'],
): FieldRow => ({
  sourceId: 's1',
  eventType,
  eventName,
  path,
  count: events,
  events,
  types,
  firstSeen: 1,
  lastSeen: 2,
  piiClass: null,
  piiKind: null,
})

const events = [
  ev('track', 'Order Completed', 100),
  ev('identify', '', 10),
  ev('page', 'Home', 5),
  ev('page', 'Pricing', 5),
]
const fields = [
  f('track', 'Order Completed', 'properties.total', 100, { number: 60, integer: 40 }),
  f('track', 'Order Completed', 'properties.coupon', 30, { string: 20, null: 10 }),
  f('track', 'Order Completed', 'properties.products', 99, { array: 99 }),
  f('track', 'Order Completed', 'properties.products.$', 250, { object: 250 }),
  f('track', 'Order Completed', 'properties.products.$.sku', 250, { string: 250 }),
  f('track', 'Order Completed', 'context.ip', 100, { string: 100 }),
  f('identify', '', 'traits.email', 10, { string: 10 }),
  f('identify', '', 'traits.address', 4, { object: 4 }),
  f('identify', '', 'traits.address.city', 4, { string: 4 }),
  f('page', 'Home', 'properties.path', 5, { string: 5 }),
  f('page', 'Pricing', 'properties.path', 5, { string: 5 }),
  f('page', 'Pricing', 'properties.plan', 2, { string: 2 }),
]

describe('draftPlan', () => {
  const plan = draftPlan('Web', events, fields)

  it('makes rules assignable to the shared PlanRule type', () => {
    const shared: SharedPlanRule[] = plan.rules
    expect(shared.map((r) => `${r.type}:${r.key ?? ''}`)).toEqual([
      'IDENTIFY:',
      'PAGE:',
      'TRACK:Order Completed',
    ])
  })

  it('types merge, required from 99% of occurrences, arrays described by items', () => {
    const track = plan.rules.find((r) => r.type === 'TRACK')!
    expect(track.jsonSchema).toEqual({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: {
        properties: {
          type: 'object',
          properties: {
            coupon: { type: ['null', 'string'] },
            products: {
              type: 'array',
              items: { type: 'object', properties: { sku: { type: 'string' } } },
            },
            total: { type: 'number' },
          },
          required: ['products', 'total'],
        },
      },
    })
  })

  it('merges every page name into one PAGE rule and nests identify traits', () => {
    const page = plan.rules.find((r) => r.type === 'PAGE')!
    expect(page.jsonSchema.properties).toEqual({
      properties: {
        type: 'object',
        properties: { path: { type: 'string' }, plan: { type: 'string' } },
        required: ['path'],
      },
    })
    const identify = plan.rules.find((r) => r.type === 'IDENTIFY')!
    expect(identify.jsonSchema.properties).toEqual({
      traits: {
        type: 'object',
        properties: {
          address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          email: { type: 'string' },
        },
        required: ['email'],
      },
    })
  })
})

describe('observedSchema', () => {
  it('frequency is the share of occurrences holding the field, most frequent first', () => {
    const [order] = observedSchema([events[0]!], fields)
    expect(order!.properties.slice(0, 2).map((p) => [p.path, p.frequency])).toEqual([
      ['context.ip', 100],
      ['properties.products.$', 100],
    ])
    expect(order!.properties.find((p) => p.path === 'properties.coupon')?.frequency).toBe(30)
  })
})
