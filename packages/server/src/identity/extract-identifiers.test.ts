import { describe, expect, it } from 'vitest'
import { compileIdentityRules, identityConfigSchema } from './config.js'
import { extractIdentifiers } from './extract-identifiers.js'
import type { Identifier } from './model.js'

const rulesOf = (input: unknown = {}) => compileIdentityRules(identityConfigSchema.parse(input))
const defaults = rulesOf()
const keys = (ids: Identifier[]): string[] => ids.map((id) => `${id.type}:${id.value}`)
const users = (event: Record<string, unknown>, rules = defaults): string[] =>
  keys(extractIdentifiers(event, rules).users)

describe('extractIdentifiers: sources', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['userId', { userId: 'u1' }, ['user_id:u1']],
    ['anonymousId', { anonymousId: 'a-1' }, ['anonymous_id:a-1']],
    ['numeric userId', { userId: 42 }, ['user_id:42']],
    ['traits.email', { traits: { email: 'Jo@X.io' } }, ['email:jo@x.io']],
    ['context.traits.email', { context: { traits: { email: 'jo@x.io' } } }, ['email:jo@x.io']],
    [
      'traits.email before context.traits.email',
      { traits: { email: 'new@x.io' }, context: { traits: { email: 'old@x.io' } } },
      ['email:new@x.io'],
    ],
    [
      'context.traits.email when traits.email is blocked',
      { traits: { email: 'null' }, context: { traits: { email: 'jo@x.io' } } },
      ['email:jo@x.io'],
    ],
    ['traits.phone', { traits: { phone: '(415) 555-2671' } }, ['phone:+14155552671']],
    [
      'context.traits.phone',
      { context: { traits: { phone: '4155552671' } } },
      ['phone:+14155552671'],
    ],
    [
      'android device',
      { context: { device: { type: 'android', id: 'd1', token: 't1' } } },
      ['android.id:d1', 'android.push_token:t1'],
    ],
    [
      'ios device (case-insensitive type)',
      { context: { device: { type: 'iOS', id: 'd2', token: 't2' } } },
      ['ios.id:d2', 'ios.push_token:t2'],
    ],
    [
      'idfa when ad tracking is enabled',
      { context: { device: { type: 'ios', advertisingId: 'ad1', adTrackingEnabled: true } } },
      ['ios.idfa:ad1'],
    ],
    [
      'no idfa when ad tracking is disabled',
      { context: { device: { type: 'android', advertisingId: 'ad1', adTrackingEnabled: false } } },
      [],
    ],
    [
      'no idfa when ad tracking is a truthy non-boolean',
      { context: { device: { type: 'android', advertisingId: 'ad1', adTrackingEnabled: 'true' } } },
      [],
    ],
    ['no device ids for another type', { context: { device: { type: 'web', id: 'd3' } } }, []],
    ['no device ids without a type', { context: { device: { id: 'd3' } } }, []],
    [
      'ga_client_id',
      { context: { integrations: { 'Google Analytics': { clientId: '123.456' } } } },
      ['ga_client_id:123.456'],
    ],
    ['no group_id (an account identifier only)', { groupId: 'g1' }, []],
  ])('reads %s', (_name, event, expected) => {
    expect(users(event)).toEqual(expected)
  })

  it('puts group_id in accounts only, so colleagues never merge through their account', () => {
    expect(extractIdentifiers({ userId: 'u', groupId: 'g1' }, defaults)).toEqual({
      users: [{ type: 'user_id', value: 'u' }],
      accounts: [{ type: 'group_id', value: 'g1' }],
    })
  })

  it('reads a full mobile track event', () => {
    const event = {
      type: 'track',
      userId: 'u9',
      anonymousId: 'anon9',
      context: {
        traits: { email: 'u9@x.io', phone: '+44 20 7946 0958' },
        device: { type: 'android', id: 'dev9', advertisingId: 'ad9', adTrackingEnabled: true },
      },
    }
    expect(users(event)).toEqual([
      'user_id:u9',
      'anonymous_id:anon9',
      'email:u9@x.io',
      'phone:+442079460958',
      'android.id:dev9',
      'android.idfa:ad9',
    ])
  })
})

describe('extractIdentifiers: context.externalIds', () => {
  const ext = (entry: Record<string, unknown>) => ({
    context: { externalIds: [{ encoding: 'none', collection: 'users', ...entry }] },
  })

  it.each<[string, Record<string, unknown>, string[]]>([
    ['a users id, type lower-cased', ext({ id: 'c1', type: 'Shopify_ID' }), ['shopify_id:c1']],
    ['a numeric id', ext({ id: 77, type: 'crm_id' }), ['crm_id:77']],
    ['an email, normalized', ext({ id: ' A@X.io', type: 'email' }), ['email:a@x.io']],
    ['nothing without encoding', ext({ id: 'c1', type: 't', encoding: undefined }), []],
    ['nothing without type', ext({ id: 'c1', type: undefined }), []],
    ['nothing with an empty type', ext({ id: 'c1', type: ' ' }), []],
    ['nothing without id', ext({ type: 't' }), []],
    ['nothing with an unknown collection', ext({ id: 'c1', type: 't', collection: 'orgs' }), []],
    ['nothing with an object id', ext({ id: { a: 1 }, type: 't' }), []],
  ])('reads %s', (_name, event, expected) => {
    expect(users(event)).toEqual(expected)
  })

  it('sends accounts ids to accounts', () => {
    const result = extractIdentifiers(
      ext({ id: 'acme', type: 'domain', collection: 'accounts' }),
      defaults,
    )
    expect(result).toEqual({ users: [], accounts: [{ type: 'domain', value: 'acme' }] })
  })

  it('ignores externalIds that are not an array', () => {
    expect(users({ context: { externalIds: { id: 'x', type: 't' } } })).toEqual([])
  })
})

describe('extractIdentifiers: custom types', () => {
  const rules = rulesOf({
    custom: [
      { type: 'shopify_id', paths: ['traits.shopifyId', 'properties.shopify_id'] },
      { type: 'org_code', collection: 'accounts', paths: ['traits.org.code'] },
    ],
  })

  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'the first path',
      { traits: { shopifyId: 's1' }, properties: { shopify_id: 's2' } },
      ['shopify_id:s1'],
    ],
    ['the second path', { properties: { shopify_id: 's2' } }, ['shopify_id:s2']],
    [
      'a number as its decimal string',
      { properties: { shopify_id: 1234567 } },
      ['shopify_id:1234567'],
    ],
    [
      'a large integer without exponent',
      { properties: { shopify_id: 1e21 } },
      ['shopify_id:1000000000000000000000'],
    ],
    ['no boolean', { traits: { shopifyId: true } }, []],
    ['no array', { traits: { shopifyId: ['s1'] } }, []],
    ['no NaN', { traits: { shopifyId: Number.NaN } }, []],
    [
      'the next path when the first is blocked',
      { traits: { shopifyId: '0' }, properties: { shopify_id: 's2' } },
      ['shopify_id:s2'],
    ],
  ])('reads %s', (_name, event, expected) => {
    expect(users(event, rules)).toEqual(expected)
  })

  it('reads nested paths into the configured collection', () => {
    expect(extractIdentifiers({ traits: { org: { code: 'ACME' } } }, rules).accounts).toEqual([
      { type: 'org_code', value: 'ACME' },
    ])
  })
})

describe('extractIdentifiers: phone normalization', () => {
  it.each([
    ['(415) 555-2671', 'US', '+14155552671'],
    ['415.555.2671', 'US', '+14155552671'],
    ['+1 415 555 2671', 'GB', '+14155552671'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['+44 20 7946 0958', 'US', '+442079460958'],
    ['0044 20 7946 0958', 'GB', '+442079460958'],
    ['030 123456', 'DE', '+4930123456'],
    ['06 12 34 56 78', 'FR', '+33612345678'],
    ['090-1234-5678', 'JP', '+819012345678'],
  ])('normalizes %s in %s to %s', (raw, region, expected) => {
    expect(users({ traits: { phone: raw } }, rulesOf({ phoneRegion: region }))).toEqual([
      `phone:${expected}`,
    ])
  })

  it.each(['12', 'abc', '555-0000-1', '+1 123 456', ''])('skips the invalid number %j', (raw) => {
    expect(users({ traits: { phone: raw } })).toEqual([])
  })

  it('reads a numeric phone', () => {
    expect(users({ traits: { phone: 4155552671 } })).toEqual(['phone:+14155552671'])
  })
})

describe('extractIdentifiers: values, blocking and deduplication', () => {
  it.each<[string, Record<string, unknown>]>([
    ['a boolean userId', { userId: true }],
    ['an object userId', { userId: { id: 1 } }],
    ['a null anonymousId', { anonymousId: null }],
    ['an Infinity userId', { userId: Number.POSITIVE_INFINITY }],
    ['a numeric email', { traits: { email: 12 } }],
    ['an empty email', { traits: { email: '  ' } }],
    ['a non-object traits', { traits: 'email' }],
    ['a non-object context', { context: 'x', userId: null }],
  ])('ignores %s', (_name, event) => {
    expect(users(event)).toEqual([])
  })

  it.each([
    '',
    'null',
    'undefined',
    'anonymous',
    '0',
    '-1',
    '0000',
    'N/A',
    'Unknown',
    '[object Object]',
  ])('leaves out the default blocked value %j', (value) => {
    expect(users({ userId: value, anonymousId: value, traits: { email: value } })).toEqual([])
  })

  it('leaves out configured blocked values and patterns', () => {
    const rules = rulesOf({ blockedValues: { exact: ['test@x.io'], patterns: ['^tmp_'] } })
    expect(
      users({ userId: 'tmp_1', anonymousId: 'a1', traits: { email: 'TEST@x.io' } }, rules),
    ).toEqual(['anonymous_id:a1'])
  })

  it('keeps each identifier once', () => {
    const event = {
      groupId: 'g',
      traits: { email: 'a@x.io' },
      context: {
        externalIds: [
          { id: 'A@x.io', type: 'email', collection: 'users', encoding: 'none' },
          { id: 'g', type: 'group_id', collection: 'users', encoding: 'none' },
          { id: 'g', type: 'group_id', collection: 'accounts', encoding: 'none' },
        ],
      },
    }
    expect(extractIdentifiers(event, defaults)).toEqual({
      users: [
        { type: 'email', value: 'a@x.io' },
        { type: 'group_id', value: 'g' },
      ],
      accounts: [{ type: 'group_id', value: 'g' }],
    })
  })

  it('does not trim or lower-case user ids', () => {
    expect(users({ userId: ' User-1 ' })).toEqual(['user_id: User-1 '])
  })
})
