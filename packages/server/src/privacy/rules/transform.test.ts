import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createClassifier } from '../pii/classifier.js'
import { maskValue } from './mask.js'
import type { PiiRule } from './rules.js'
import { createPiiTransform } from './transform.js'

const classifier = createClassifier()
const salt = 'test-salt-0123456789'
const event = (): Record<string, unknown> => ({
  type: 'identify',
  userId: 'jane@example.com',
  traits: {
    email: 'Jane@Example.com',
    ssn: '123-45-6789',
    plan: 'pro',
    address: { street: '1 Main Street', city: 'Springfield' },
  },
  properties: { cards: ['4242 4242 4242 4242', 'none'], sku: 'G-32' },
  context: { ip: '203.0.113.42', library: { name: 'analytics.js' } },
})

describe('createPiiTransform', () => {
  const rules: PiiRule[] = [
    { class: 'restricted', action: 'block' },
    { class: 'personal', action: 'mask' },
    { class: 'personal', action: 'hash', destinations: ['webhook-a'] },
    { class: 'personal', action: 'allow', destinations: ['webhook-b'] },
  ]
  const transform = createPiiTransform(rules, classifier, { salt })

  it('applies the global rules: block restricted, mask personal; never touches ids', () => {
    const input = event()
    const before = JSON.stringify(input)
    const out = transform(input, { sourceId: 's1' })
    expect(JSON.stringify(input)).toBe(before)
    expect(out.changed).toBe(true)
    const traits = out.payload.traits as Record<string, unknown>
    expect(traits.ssn).toBeUndefined()
    expect(traits.email).toBe('J***@E***.com')
    expect(traits.plan).toBe('pro')
    expect(traits.address).toEqual({ street: '1 M*** S*****', city: 'S**********' })
    expect((out.payload.properties as { cards: unknown[] }).cards).toEqual(['none'])
    expect((out.payload.context as { ip: string }).ip).toBe('203.0.*.*')
    expect(out.payload.userId).toBe('jane@example.com')
    expect(out.actions).toContainEqual({
      field: 'traits.ssn',
      class: 'restricted',
      action: 'block',
    })
    expect(out.actions).toContainEqual({
      field: 'properties.cards.$',
      class: 'restricted',
      action: 'block',
    })
    expect(out.payload.properties).not.toBe(input.properties)
    expect((out.payload.context as { library: unknown }).library).toBe(
      (input.context as { library: unknown }).library,
    )
  })

  it('applies only the rules of a destination in its scope, with salted SHA-256 for hash', () => {
    const out = transform(event(), { sourceId: 's1', destinationId: 'webhook-a' })
    const expected = createHmac('sha256', salt).update('jane@example.com').digest('hex')
    expect((out.payload.traits as { email: string }).email).toBe(expected)
    expect((out.payload.traits as { ssn: string }).ssn).toBe('123-45-6789')
    const clear = transform(event(), { sourceId: 's1', destinationId: 'webhook-b' })
    expect(clear.changed).toBe(false)
    expect(clear.actions).toEqual([])
  })

  it('the strictest action of a scope wins', () => {
    const strict = createPiiTransform(
      [
        { class: 'personal', action: 'mask' },
        { class: 'personal', action: 'block' },
      ],
      classifier,
      { salt },
    )
    const out = strict(event(), { sourceId: 's1' })
    expect((out.payload.traits as Record<string, unknown>).email).toBeUndefined()
  })
})

describe('maskValue', () => {
  it('keeps the shape', () => {
    expect(maskValue('john.smith@example.com', 'email')).toBe('j***@e***.com')
    expect(maskValue('4242 4242 4242 4242', 'payment_card')).toBe('**** **** **** 4242')
    expect(maskValue('+1 415 555 2671', 'phone')).toBe('+* *** *** 2671')
    expect(maskValue('hunter2', 'credential')).toBe('*******')
    expect(maskValue(40.7128, 'geolocation')).toBe('**.****')
  })
})
