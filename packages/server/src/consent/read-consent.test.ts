import { describe, expect, it } from 'vitest'
import { consentConfigSchema } from './config.js'
import { grantsAll, isValidCategoryId, readConsent } from './read-consent.js'

describe('readConsent', () => {
  it.each<[string, unknown]>([
    ['no context', { type: 'track' }],
    ['no consent', { context: {} }],
    ['an empty consent object', { context: { consent: {} } }],
    ['consent null', { context: { consent: null } }],
    ['categoryPreferences a list', { context: { consent: { categoryPreferences: [true] } } }],
    ['not an object', 'track'],
  ])('%s: null (no enforcement)', (_name, event) => {
    expect(readConsent(event)).toBeNull()
  })

  it('empty categoryPreferences: a consent granting nothing', () => {
    const consent = readConsent({ context: { consent: { categoryPreferences: {} } } })
    expect(consent).toEqual({ categories: {}, ignored: 0 })
    expect(grantsAll(consent!, ['Ads'])).toBe(false)
    expect(grantsAll(consent!, [])).toBe(true)
  })

  it('keeps valid ids with boolean values, counts the rest', () => {
    const consent = readConsent({
      context: {
        consent: {
          categoryPreferences: {
            Advertising: true,
            C0001: false,
            '9lives': true,
            [`a${'b'.repeat(34)}`]: true,
            Analytics: 'yes',
          },
        },
      },
    })
    expect(consent).toEqual({ categories: { Advertising: true, C0001: false }, ignored: 3 })
  })

  it('does not read inherited keys as granted', () => {
    const consent = readConsent({ context: { consent: { categoryPreferences: {} } } })!
    expect(grantsAll(consent, ['toString'])).toBe(false)
  })
})

describe('category ids', () => {
  it.each<[string, boolean]>([
    ['Advertising', true],
    ['C0004', true],
    ['_x', true],
    ['4x', false],
    ['', false],
    ['a'.repeat(34), true],
    ['a'.repeat(35), false],
  ])('%s → %s', (id, valid) => {
    expect(isValidCategoryId(id)).toBe(valid)
  })

  it('the config rejects duplicate and invalid category ids, reporting each', () => {
    const parsed = consentConfigSchema.safeParse({
      categories: [{ id: 'Ads' }, { id: 'Ads' }, { id: '1x' }],
      missingConsent: 'deny',
    })
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'categories.1.id',
      'categories.2.id',
      'missingConsent',
    ])
  })

  it("defaults to Segment's behaviour", () => {
    expect(consentConfigSchema.parse(undefined)).toEqual({
      categories: [],
      missingConsent: 'segment',
    })
  })
})
