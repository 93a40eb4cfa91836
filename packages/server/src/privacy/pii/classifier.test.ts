import { describe, expect, it } from 'vitest'
import { createClassifier } from './classifier.js'
import { diceCoefficient } from './custom-matchers.js'
import { keyTokens } from './key-tokens.js'

const base = { synonyms: [], threshold: 0.7 }

describe('key tokens', () => {
  it('splits camelCase, snake, kebab, acronyms and digits', () => {
    expect(keyTokens('billingAddress')).toEqual(['billing', 'address'])
    expect(keyTokens('billing_address')).toEqual(['billing', 'address'])
    expect(keyTokens('Billing-Address')).toEqual(['billing', 'address'])
    expect(keyTokens('userIPAddress')).toEqual(['user', 'ip', 'address'])
    expect(keyTokens('addressLine1')).toEqual(['address', 'line', '1'])
  })
})

describe('classifier', () => {
  const c = createClassifier()

  it('classifies by key alone when no value is given', () => {
    expect(c.classify(['traits', 'email'])?.kind).toBe('email')
    expect(c.classify(['properties', 'card_number'])?.class).toBe('restricted')
    expect(c.classify(['properties', 'email_id'])).toBeNull()
  })

  it('a boolean is a flag, except for special categories', () => {
    expect(c.classify(['traits', 'email'], true)).toBeNull()
    expect(c.classify(['traits', 'is_veteran'], true)?.class).toBe('sensitive')
  })

  it('a value under a version key is never read as an IP address', () => {
    expect(c.classify(['context', 'app', 'version'], '10.0.0.1')).toBeNull()
    expect(c.classify(['properties', 'origin'], '10.0.0.1')?.kind).toBe('ip_address')
  })

  it('custom matchers run first: exact, similar, regex, and none overrides a default', () => {
    const custom = createClassifier([
      {
        ...base,
        name: 'member',
        on: 'key',
        type: 'exact',
        pattern: 'memberNumber',
        class: 'restricted',
      },
      {
        ...base,
        name: 'loyalty',
        on: 'key',
        type: 'similar',
        pattern: 'loyalty card',
        class: 'personal',
      },
      {
        ...base,
        name: 'employee',
        on: 'value',
        type: 'regex',
        pattern: '^EMP-\\d{6}$',
        class: 'sensitive',
      },
      { ...base, name: 'not-pii', on: 'key', type: 'exact', pattern: 'email', class: 'none' },
    ])
    expect(custom.classify(['properties', 'member_number'], 'x')).toMatchObject({
      kind: 'member',
      class: 'restricted',
      matcher: 'custom:member',
    })
    expect(custom.classify(['properties', 'loyaltyCards'], 'x')?.kind).toBe('loyalty')
    expect(custom.classify(['properties', 'staff'], 'EMP-123456')?.class).toBe('sensitive')
    expect(custom.classify(['traits', 'email'], 'jane@example.com')).toBeNull()
    expect(custom.matchers()[0]?.id).toBe('custom:member')
  })

  it('Dice coefficient of bigrams', () => {
    expect(diceCoefficient('night', 'nacht')).toBeCloseTo(0.25)
    expect(diceCoefficient('same', 'same')).toBe(1)
  })
})
