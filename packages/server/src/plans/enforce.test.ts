import { describe, expect, it } from 'vitest'
import type { JsonObject } from '../protocol/index.js'
import { compilePlan } from './enforce-compile.js'
import { enforce, omitField, type SourceEnforcement } from './enforce.js'
import type { Enforcement, PlanRule, TrackingPlan } from './model.js'

const ALLOW: Enforcement = {
  unplannedEvents: 'allow',
  unplannedProperties: 'allow',
  unplannedIdentifyTraits: 'allow',
  unplannedGroupTraits: 'allow',
  trackViolations: 'allow',
  identifyViolations: 'allow',
  groupViolations: 'allow',
  commonViolations: 'allow',
}

function trackRule(
  key: string,
  properties: JsonObject,
  required: string[] = [],
  version?: number,
): PlanRule {
  return {
    type: 'TRACK',
    key,
    ...(version === undefined ? {} : { version }),
    jsonSchema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { properties: { type: 'object', properties, required } },
      required: ['properties'],
    },
  }
}

function plan(rules: PlanRule[]): TrackingPlan {
  return {
    id: 'tp_1',
    name: 'Plan',
    rules,
    revision: 3,
    managed: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  }
}

function target(rules: PlanRule[], enforcement: Partial<Enforcement> = {}): SourceEnforcement {
  return {
    sourceId: 'src',
    compiled: compilePlan(plan(rules)),
    enforcement: { ...ALLOW, ...enforcement },
  }
}

const ORDER = trackRule(
  'Order Completed',
  { total: { type: 'integer' }, currency: { enum: ['EUR', 'USD'] } },
  ['total'],
)

function track(event: string, properties: JsonObject, context: JsonObject = {}): JsonObject {
  return { type: 'track', event, messageId: 'm1', userId: 'u1', properties, context }
}

describe('enforce: track', () => {
  it('leaves a clean event untouched (no context.protocols, changed false)', () => {
    const event = track('Order Completed', { total: 10, currency: 'EUR' })
    const result = enforce(event, target([ORDER]))
    expect(result).toMatchObject({ blocked: false, changed: false, violations: [], omitted: [] })
    expect((event.context as JsonObject).protocols).toBeUndefined()
  })

  it('flags an unplanned event and lets it pass when unplannedEvents is allow', () => {
    const result = enforce(track('Other', {}), target([ORDER]))
    expect(result.blocked).toBe(false)
    expect(result.violations).toEqual([
      {
        type: 'Unplanned Event',
        field: 'event',
        description: 'Event "Other" is not in the tracking plan',
      },
    ])
    expect(((result.payload.context as JsonObject).protocols as JsonObject).sourceId).toBe('src')
  })

  it('blocks an unplanned event when unplannedEvents is block; names match case-sensitively', () => {
    const result = enforce(
      track('order completed', { total: 1 }),
      target([ORDER], { unplannedEvents: 'block' }),
    )
    expect(result.blocked).toBe(true)
    expect(result.changed).toBe(false)
    expect(result.violations.map((v) => v.type)).toEqual(['Unplanned Event'])
  })

  it('omits unplanned properties and records them in context.protocols.omitted', () => {
    const event = track('Order Completed', { total: 1, coupon: 'X', extra: true })
    const result = enforce(event, target([ORDER], { unplannedProperties: 'omit' }))
    expect(result.blocked).toBe(false)
    expect(event.properties).toEqual({ total: 1 })
    expect(result.omitted).toEqual(['properties.coupon', 'properties.extra'])
    expect((event.context as JsonObject).protocols).toEqual({
      omitted: ['properties.coupon', 'properties.extra'],
      omitted_on_violation: [],
      violations: [
        {
          type: 'Unplanned Property',
          field: 'properties.coupon',
          description: 'Unplanned property: coupon',
        },
        {
          type: 'Unplanned Property',
          field: 'properties.extra',
          description: 'Unplanned property: extra',
        },
      ],
      sourceId: 'src',
    })
  })

  it('flags unplanned properties without removing them when allowed', () => {
    const event = track('Order Completed', { total: 1, coupon: 'X' })
    const result = enforce(event, target([ORDER]))
    expect(event.properties).toEqual({ total: 1, coupon: 'X' })
    expect(result.omitted).toEqual([])
    expect(result.violations.map((v) => v.type)).toEqual(['Unplanned Property'])
  })

  it('maps schema errors to Required, Invalid Type and Invalid Value with dotted fields', () => {
    const result = enforce(track('Order Completed', { currency: 'GBP' }), target([ORDER]))
    expect(result.violations).toEqual([
      { type: 'Required', field: 'properties.total', description: 'properties.total is required' },
      {
        type: 'Invalid Value',
        field: 'properties.currency',
        description: 'Invalid value: must be one of ["EUR","USD"]',
      },
    ])
    const typed = enforce(track('Order Completed', { total: 1.5 }), target([ORDER]))
    expect(typed.violations).toEqual([
      {
        type: 'Invalid Type',
        field: 'properties.total',
        description: 'Invalid type. Expected: integer, given: number',
      },
    ])
    const text = enforce(track('Order Completed', { total: 'ten' }), target([ORDER]))
    expect(text.violations[0]?.description).toBe('Invalid type. Expected: integer, given: string')
  })

  it('maps pattern, format, bounds and additionalProperties', () => {
    const rule = trackRule('Signed Up', {
      code: { type: 'string', pattern: '^[A-Z]+$' },
      at: { type: 'string', format: 'date-time' },
      age: { type: 'integer', minimum: 18 },
    })
    ;((rule.jsonSchema.properties as JsonObject).properties as JsonObject).additionalProperties =
      false
    const result = enforce(
      track('Signed Up', { code: 'abc', at: 'yesterday', age: 3, x: 1 }),
      target([rule]),
    )
    expect(result.violations.map((v) => `${v.type}|${v.field}`)).toEqual([
      'Unplanned Property|properties.x',
      'Invalid Value|properties.code',
      'Invalid Value|properties.at',
      'Invalid Value|properties.age',
    ])
  })

  it('blocks on violations when trackViolations is block', () => {
    const result = enforce(
      track('Order Completed', { total: 'x' }),
      target([ORDER], { trackViolations: 'block' }),
    )
    expect(result.blocked).toBe(true)
  })

  it('omits the offending property on violations when trackViolations is omit', () => {
    const event = track('Order Completed', { total: 'x', currency: 'EUR' })
    const result = enforce(event, target([ORDER], { trackViolations: 'omit' }))
    expect(result.blocked).toBe(false)
    expect(event.properties).toEqual({ currency: 'EUR' })
    expect(result.omittedOnViolation).toEqual(['properties.total'])
    expect(((event.context as JsonObject).protocols as JsonObject).omitted_on_violation).toEqual([
      'properties.total',
    ])
  })

  it('does not count an omitted unplanned property as a schema violation (omit runs first)', () => {
    const rule = trackRule('Closed', { a: { type: 'string' } })
    ;((rule.jsonSchema.properties as JsonObject).properties as JsonObject).additionalProperties =
      false
    const result = enforce(
      track('Closed', { a: 'x', b: 1 }),
      target([rule], { unplannedProperties: 'omit', trackViolations: 'block' }),
    )
    expect(result.blocked).toBe(false)
    expect(result.omitted).toEqual(['properties.b'])
  })
})

describe('enforce: event_version', () => {
  const v1 = trackRule('Viewed', { a: { type: 'string' } }, ['a'], 1)
  const v2 = trackRule('Viewed', { b: { type: 'string' } }, ['b'], 2)
  const t = target([v2, v1])

  it('uses the version named in context.protocols.event_version', () => {
    const result = enforce(track('Viewed', { b: 'x' }, { protocols: { event_version: 2 } }), t)
    expect(result.violations).toEqual([])
  })

  it('uses the oldest version when event_version is missing, invalid or unknown', () => {
    const contexts: JsonObject[] = [
      {},
      { protocols: { event_version: 'two' } },
      { protocols: { event_version: 7 } },
    ]
    for (const context of contexts) {
      const result = enforce(track('Viewed', { b: 'x' }, context), t)
      expect(result.violations.map((v) => v.field)).toContain('properties.a')
    }
  })

  it('keeps event_version when writing context.protocols', () => {
    const event = track('Viewed', {}, { protocols: { event_version: 2 } })
    enforce(event, t)
    expect(((event.context as JsonObject).protocols as JsonObject).event_version).toBe(2)
  })
})

describe('enforce: identify, group, page, screen, common', () => {
  const identifyRule: PlanRule = {
    type: 'IDENTIFY',
    jsonSchema: {
      type: 'object',
      properties: {
        traits: { type: 'object', properties: { email: { type: 'string', format: 'email' } } },
      },
    },
  }
  const groupRule: PlanRule = {
    type: 'GROUP',
    jsonSchema: { properties: { traits: { properties: { plan: { type: 'string' } } } } },
  }
  const common: PlanRule = {
    type: 'COMMON',
    jsonSchema: {
      properties: {
        context: {
          type: 'object',
          properties: { app: { type: 'object', properties: { version: { type: 'string' } } } },
        },
      },
    },
  }

  it('omits unplanned identify traits and flags them as Unplanned Trait', () => {
    const event: JsonObject = { type: 'identify', userId: 'u', traits: { email: 'a@b.co', age: 3 } }
    const result = enforce(event, target([identifyRule], { unplannedIdentifyTraits: 'omit' }))
    expect(event.traits).toEqual({ email: 'a@b.co' })
    expect(result.violations).toEqual([
      { type: 'Unplanned Trait', field: 'traits.age', description: 'Unplanned trait: age' },
    ])
  })

  it('blocks or omits identify violations per identifyViolations', () => {
    const bad = (): JsonObject => ({ type: 'identify', userId: 'u', traits: { email: 'nope' } })
    expect(enforce(bad(), target([identifyRule], { identifyViolations: 'block' })).blocked).toBe(
      true,
    )
    const omitted = bad()
    const result = enforce(omitted, target([identifyRule], { identifyViolations: 'omit' }))
    expect(result.omittedOnViolation).toEqual(['traits.email'])
    expect(omitted.traits).toEqual({})
  })

  it('applies the group rule with unplannedGroupTraits and groupViolations', () => {
    const event: JsonObject = { type: 'group', groupId: 'g', traits: { plan: 5, size: 3 } }
    const result = enforce(
      event,
      target([groupRule], { unplannedGroupTraits: 'omit', groupViolations: 'omit' }),
    )
    expect(event.traits).toEqual({})
    expect(result.omitted).toEqual(['traits.size'])
    expect(result.omittedOnViolation).toEqual(['traits.plan'])
  })

  it('leaves identify unchecked when the plan has no IDENTIFY rule', () => {
    const result = enforce(
      { type: 'identify', traits: { x: 1 } },
      target([ORDER], { unplannedIdentifyTraits: 'omit' }),
    )
    expect(result.violations).toEqual([])
  })

  it('flags page and screen violations by name without blocking', () => {
    const page: PlanRule = {
      type: 'PAGE',
      key: 'Home',
      jsonSchema: {
        properties: {
          properties: { properties: { path: { type: 'string' } }, required: ['path'] },
        },
      },
    }
    const result = enforce(
      { type: 'page', name: 'Home', properties: {} },
      target([page], { trackViolations: 'block' }),
    )
    expect(result.blocked).toBe(false)
    expect(result.violations.map((v) => v.type)).toEqual(['Required'])
    expect(
      enforce({ type: 'screen', name: 'Home', properties: {} }, target([page])).violations,
    ).toEqual([])
  })

  it('applies the common schema after the standard controls, to every type', () => {
    const bad = (type: string): JsonObject => ({
      type,
      event: 'Order Completed',
      properties: { total: 1 },
      context: { app: { version: 3 } },
    })
    for (const type of ['track', 'identify', 'alias']) {
      const result = enforce(bad(type), target([ORDER, common]))
      expect(result.violations).toContainEqual({
        type: 'Invalid Type',
        field: 'context.app.version',
        description: 'Invalid type. Expected: string, given: integer',
      })
    }
    expect(
      enforce(bad('track'), target([ORDER, common], { commonViolations: 'block' })).blocked,
    ).toBe(true)
    const omitted = bad('track')
    const result = enforce(omitted, target([ORDER, common], { commonViolations: 'omit' }))
    expect(result.omittedOnViolation).toEqual(['context.app.version'])
    expect((omitted.context as JsonObject).app).toEqual({})
  })

  it('does not run the common schema once a standard control blocked', () => {
    const result = enforce(
      { type: 'track', event: 'Nope', context: { app: { version: 3 } } },
      target([ORDER, common], { unplannedEvents: 'block' }),
    )
    expect(result.violations.map((v) => v.type)).toEqual(['Unplanned Event'])
  })

  it('compiles draft 2019-09 and 2020-12 schemas', () => {
    for (const $schema of [
      'https://json-schema.org/draft/2019-09/schema',
      'https://json-schema.org/draft/2020-12/schema',
    ]) {
      const rule: PlanRule = { type: 'COMMON', jsonSchema: { $schema, required: ['userId'] } }
      const result = enforce(
        { type: 'track', event: 'Order Completed', properties: { total: 1 } },
        target([ORDER, rule]),
      )
      expect(result.violations).toEqual([
        { type: 'Required', field: 'userId', description: 'userId is required' },
      ])
    }
  })

  it('skips a rule whose schema does not compile and names it', () => {
    const compiled = compilePlan(
      plan([{ type: 'TRACK', key: 'Bad', jsonSchema: { type: 'no-such-type' } }, ORDER]),
    )
    expect(compiled.problems).toHaveLength(1)
    expect(compiled.rules.size).toBe(1)
  })
})

describe('omitField', () => {
  it('removes nested keys, arrays as a whole, never top-level fields or context.protocols', () => {
    const p = {
      properties: { a: { b: 1 }, list: [{ c: 1 }] },
      context: { protocols: { x: 1 } },
      userId: 'u',
    }
    expect(omitField(p, 'properties.a.b')).toBe('properties.a.b')
    expect(omitField(p, 'properties.list.0.c')).toBe('properties.list')
    expect(omitField(p, 'userId')).toBeNull()
    expect(omitField(p, 'context.protocols.x')).toBeNull()
    expect(omitField(p, 'properties.missing')).toBeNull()
    expect(p).toEqual({ properties: { a: {} }, context: { protocols: { x: 1 } }, userId: 'u' })
  })
})
