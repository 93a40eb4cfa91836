import { describe, expect, it } from 'vitest'
import { validateConfig } from '../platform/config/index.js'
import {
  compileIdentityRules,
  DEFAULT_IDENTITY_CONFIG,
  identityConfigSchema,
  type IdentityConfig,
} from './config.js'
import type { Identifier } from './model.js'

const rulesOf = (input: unknown) => compileIdentityRules(identityConfigSchema.parse(input))
const defaults = compileIdentityRules(DEFAULT_IDENTITY_CONFIG)

function problems(input: unknown): Array<{ path: string; message: string }> {
  const result = identityConfigSchema.safeParse(input)
  if (result.success) return []
  return result.error.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message: i.message,
  }))
}

describe('identityConfigSchema defaults', () => {
  it('fills every default from an empty section', () => {
    const config: IdentityConfig = identityConfigSchema.parse(undefined)
    expect(config).toEqual(DEFAULT_IDENTITY_CONFIG)
    expect(config.mergeCap).toBe(100)
    expect(config.identifierCap).toBe(1000)
    expect(config.phoneRegion).toBe('US')
    expect(config.custom).toEqual([])
    expect(config.blockedValues).toEqual({ exact: [], patterns: [] })
    expect(config.identifiers.user_id).toEqual({ limit: 1, window: 'ever', priority: 1 })
  })

  it('describes every field (docs/config.md is generated from the descriptions)', () => {
    const json = JSON.stringify(identityConfigSchema.toJSONSchema())
    for (const key of ['identifiers', 'custom', 'blockedValues', 'mergeCap', 'phoneRegion']) {
      expect(json).toContain(`"${key}"`)
    }
    const undocumented: string[] = []
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return
      const props = (node as { properties?: Record<string, { description?: string }> }).properties
      for (const [key, child] of Object.entries(props ?? {})) {
        if (child.description === undefined) undocumented.push(`${path}${key}`)
        walk(child, `${path}${key}.`)
      }
      for (const value of Object.values(node)) if (typeof value === 'object') walk(value, path)
    }
    walk(JSON.parse(json), '')
    expect(undocumented).toEqual([])
  })
})

describe('identityConfigSchema errors', () => {
  it.each([
    [{ identifiers: { email: { limit: 0 } } }, 'identifiers.email.limit'],
    [{ identifiers: { email: { priority: 0 } } }, 'identifiers.email.priority'],
    [{ identifiers: { email: { limit: 1.5 } } }, 'identifiers.email.limit'],
    [{ identifiers: { email: { window: 'hourly' } } }, 'identifiers.email.window'],
    [{ identifiers: { Email: { limit: 2 } } }, 'identifiers.Email'],
    [{ identifiers: { email: { limt: 2 } } }, 'identifiers.email'],
    [{ mergeCap: 0 }, 'mergeCap'],
    [{ identifierCap: -1 }, 'identifierCap'],
    [{ phoneRegion: 'USA' }, 'phoneRegion'],
    [{ phoneRegion: 'us' }, 'phoneRegion'],
    [{ phoneRegion: 'ZZ' }, 'phoneRegion'],
    [{ custom: [{ type: 'shop', paths: [] }] }, 'custom.0.paths'],
    [{ custom: [{ type: 'shop', paths: ['traits..x'] }] }, 'custom.0.paths.0'],
    [{ custom: [{ type: 'shop', collection: 'orgs', paths: ['a'] }] }, 'custom.0.collection'],
    [{ blockedValues: { patterns: ['ok', '(unclosed'] } }, 'blockedValues.patterns.1'],
    [{ unknownKey: true }, ''],
  ])('rejects %j at %s', (input, path) => {
    const found = problems(input)
    expect(found.map((p) => p.path)).toContain(path)
  })

  it('names the invalid regular expression and the reason', () => {
    const [problem] = problems({ blockedValues: { patterns: ['(unclosed'] } })
    expect(problem?.message).toBe('invalid regular expression /(unclosed/: Unterminated group')
  })

  it('reports file, path and message through the config loader', () => {
    const load = () =>
      validateConfig(
        identityConfigSchema,
        { blockedValues: { patterns: ['a['] }, phoneRegion: 'XX' },
        'tessera.yaml',
      )
    expect(load).toThrow(
      /^tessera\.yaml: blockedValues\.patterns\.0: invalid regular expression \/a\[\/: .+$/m,
    )
    expect(load).toThrow(/^tessera\.yaml: phoneRegion: a two-letter upper-case region code/m)
  })

  it('reports every problem at once', () => {
    expect(problems({ mergeCap: 0, identifierCap: 0, phoneRegion: 'X' })).toHaveLength(3)
  })

  it('accepts a full section', () => {
    const config = identityConfigSchema.parse({
      identifiers: { email: { limit: 3, window: 'annually' }, anonymous_id: { window: 'weekly' } },
      custom: [{ type: 'shopify_id', paths: ['traits.shopifyId', 'properties.shopify_id'] }],
      blockedValues: { exact: ['test@example.com'], patterns: ['^abc'] },
      mergeCap: 5,
      identifierCap: 50,
      phoneRegion: 'GB',
    })
    expect(config.custom[0]?.collection).toBe('users')
    expect(config.identifiers.anonymous_id).toEqual({ window: 'weekly' })
  })
})

describe('compileIdentityRules: limits and windows', () => {
  it.each([
    ['user_id', 1, 'ever', null],
    ['email', 5, 'ever', null],
    ['anonymous_id', 5, 'ever', null],
    ['some_new_type', 5, 'ever', null],
  ])('defaults %s to limit %i, window %s', (type, limit, window, windowMs) => {
    expect(defaults.ruleFor(type)).toMatchObject({ type, limit, window, windowMs })
  })

  it.each([
    ['daily', 86_400_000],
    ['weekly', 604_800_000],
    ['monthly', 2_592_000_000],
    ['annually', 31_536_000_000],
  ])('gives window %s a length of %i ms', (window, ms) => {
    expect(rulesOf({ identifiers: { ga_client_id: { window } } }).ruleFor('ga_client_id')).toEqual({
      type: 'ga_client_id',
      limit: 5,
      window,
      windowMs: ms,
      priority: 3,
    })
  })

  it('keeps the built-in user_id and email rules when only other types are listed', () => {
    const rules = rulesOf({ identifiers: { phone: { limit: 2 } } })
    expect(rules.ruleFor('user_id')).toMatchObject({ limit: 1, priority: 1 })
    expect(rules.ruleFor('email')).toMatchObject({ limit: 5, priority: 2 })
    expect(rules.ruleFor('phone')).toMatchObject({ limit: 2, priority: 3 })
  })

  it('lets config override the built-in user_id limit', () => {
    expect(rulesOf({ identifiers: { user_id: { limit: 2 } } }).ruleFor('user_id')).toMatchObject({
      limit: 2,
      priority: 1,
    })
  })

  it('passes caps, custom types and region through', () => {
    const rules = rulesOf({
      mergeCap: 7,
      identifierCap: 9,
      phoneRegion: 'DE',
      custom: [{ type: 'crm_id', collection: 'accounts', paths: ['traits.crm'] }],
    })
    expect([rules.mergeCap, rules.identifierCap, rules.phoneRegion]).toEqual([7, 9, 'DE'])
    expect(rules.custom).toEqual([
      { type: 'crm_id', collection: 'accounts', paths: ['traits.crm'] },
    ])
  })
})

const sortIds = (rules: ReturnType<typeof rulesOf>, types: string[]): string[] =>
  types
    .map((type): Identifier => ({ type, value: 'v' }))
    .sort((a, b) => rules.compare(a, b))
    .map((id) => id.type)

describe('compileIdentityRules: priority', () => {
  it('orders user_id, email, then every other type alphabetically', () => {
    const types = ['phone', 'anonymous_id', 'email', 'ios.id', 'user_id', 'android.id', 'zeta']
    expect(sortIds(defaults, types)).toEqual([
      'user_id',
      'email',
      'android.id',
      'anonymous_id',
      'ios.id',
      'phone',
      'zeta',
    ])
  })

  it('places a new type seen in traffic alphabetically among the unlisted ones', () => {
    expect(sortIds(defaults, ['phone', 'braze_id', 'anonymous_id'])).toEqual([
      'anonymous_id',
      'braze_id',
      'phone',
    ])
  })

  it('lets explicit priorities win over the alphabetical order', () => {
    const rules = rulesOf({ identifiers: { phone: { priority: 3 }, user_id: { priority: 4 } } })
    expect(sortIds(rules, ['anonymous_id', 'user_id', 'phone', 'email'])).toEqual([
      'email',
      'phone',
      'user_id',
      'anonymous_id',
    ])
    expect(rules.ruleFor('anonymous_id').priority).toBe(5)
  })

  it('breaks ties of explicit priorities by type name', () => {
    const rules = rulesOf({ identifiers: { anonymous_id: { priority: 2 } } })
    expect(sortIds(rules, ['email', 'anonymous_id', 'user_id'])).toEqual([
      'user_id',
      'anonymous_id',
      'email',
    ])
  })

  it('orders identifiers of one type by value and is 0 for equal identifiers', () => {
    const a = { type: 'email', value: 'a@x.io' }
    const b = { type: 'email', value: 'b@x.io' }
    expect(defaults.compare(a, b)).toBeLessThan(0)
    expect(defaults.compare(b, a)).toBeGreaterThan(0)
    expect(defaults.compare(a, { ...a })).toBe(0)
  })
})

describe('compileIdentityRules: blocked values', () => {
  it.each([
    '',
    '   ',
    'null',
    'NULL',
    'undefined',
    'Anonymous',
    '0',
    '-1',
    'none',
    'nil',
    'N/A',
    'unknown',
    '[object Object]',
    ' null ',
    '000',
    '---',
    '0-0-0',
  ])('blocks %j by default', (value) => {
    expect(defaults.isBlocked('user_id', value)).toBe(true)
  })

  it.each(['1', 'abc', '0a', 'nullable', 'user-0', '-2', '+0'])('allows %j by default', (value) => {
    expect(defaults.isBlocked('user_id', value)).toBe(false)
  })

  it('adds configured exact values (trimmed, case-insensitive) to the defaults', () => {
    const rules = rulesOf({ blockedValues: { exact: [' Test@Example.com ', 'abc123'] } })
    expect(rules.isBlocked('email', 'test@example.com')).toBe(true)
    expect(rules.isBlocked('user_id', 'ABC123')).toBe(true)
    expect(rules.isBlocked('user_id', 'null')).toBe(true)
    expect(rules.isBlocked('user_id', 'abc1234')).toBe(false)
  })

  it('adds configured patterns (case-sensitive) to the default pattern', () => {
    const rules = rulesOf({ blockedValues: { patterns: ['^test-', '@example\\.com$'] } })
    expect(rules.isBlocked('user_id', 'test-42')).toBe(true)
    expect(rules.isBlocked('user_id', 'TEST-42')).toBe(false)
    expect(rules.isBlocked('email', 'a@example.com')).toBe(true)
    expect(rules.isBlocked('user_id', '0000')).toBe(true)
    expect(rules.isBlocked('user_id', 'contest-1')).toBe(false)
  })
})
