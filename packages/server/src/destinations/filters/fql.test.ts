import { describe, expect, it } from 'vitest'
import { compileFql } from './fql.js'

const event = {
  type: 'track',
  event: 'Order Completed',
  name: 'Home',
  userId: 'user-42',
  anonymousId: 'anon-1',
  properties: {
    revenue: 120,
    currency: 'EUR',
    email: 'ann@example.com',
    count: '5',
    flag: true,
    off: false,
    nothing: null,
    features: ['discounts', 'dark-mode'],
    empty: [],
    nested: { x: 1 },
    'product 1': { price: '19.99' },
    'a.b': 1,
    star: 'ab*d',
    plain: 'abcd',
    path: '/a/b/c',
    lower: 'hello world',
    katakana: 'ア',
  },
  context: { library: { name: 'analytics.js', version: '1.0' }, traits: { plan: 'pro' } },
  traits: { plan: 'pro', name: 'Ann Lee' },
}

function evaluate(text: string, on: object = event): boolean | null {
  const compiled = compileFql(text)
  if (!compiled.ok) throw new Error(`expected '${text}' to compile: ${compiled.error}`)
  return compiled.matches(on)
}

const table = (cases: Array<[string, boolean]>) => cases

describe('compileFql', () => {
  it.each(
    table([
      ['event = "Order Completed"', true],
      ["event = 'Order Completed'", true],
      ['event = "order completed"', false],
      ['properties.revenue = 120', true],
      ['properties.revenue = "120"', false],
      ['properties.count = 5', false],
      ['properties.count = "5"', true],
      ['properties.flag = true', true],
      ['properties.flag = "true"', false],
      ['properties.off = false', true],
      ['properties.nothing = null', true],
      ['properties.missing = null', true],
      ['properties.revenue = null', false],
      ['properties.features = ["discounts", "dark-mode"]', true],
      ['properties.features = ["dark-mode"]', false],
      ['properties.empty = []', true],
      ['anonymousId = "anon-1"', true],
      ['name = "Home"', true],
      ['userId = "user-42"', true],
    ]),
  )('equality is strictly typed: %s → %s', (text, expected) => {
    expect(evaluate(text)).toBe(expected)
  })

  it.each(
    table([
      ['event != "Signed Up"', true],
      ['event != "Order Completed"', false],
      ['properties.count != 5', true],
      ['properties.revenue != 120', false],
      ['properties.revenue != "120"', true],
      ['properties.flag != true', false],
      ['properties.flag != false', true],
      ['properties.missing != null', false],
      ['properties.email != null', true],
      ['properties.features != ["discounts", "dark-mode"]', false],
    ]),
  )('!= is the negation of =: %s → %s', (text, expected) => {
    expect(evaluate(text)).toBe(expected)
  })

  it.each(
    table([
      ['properties.revenue > 100', true],
      ['properties.revenue >= 120', true],
      ['properties.revenue < 120', false],
      ['properties.revenue <= 120', true],
      ['properties.revenue < 120.5', true],
      ['properties.revenue > -1', true],
      ['properties.count > 1', false],
      ['properties.missing < 5', false],
      ['properties.revenue > "100"', false],
      ['properties.revenue > properties.count', false],
    ]),
  )('ordering is false unless both sides are numbers: %s → %s', (text, expected) => {
    expect(evaluate(text)).toBe(expected)
  })

  it.each(
    table([
      ['event in ["Order Completed", "Checkout Started"]', true],
      ['event in ["Checkout Started"]', false],
      ['event in []', false],
      ['properties.revenue in [120, 130]', true],
      ['properties.revenue in ["120"]', false],
      ['properties.missing in [null]', true],
      ["'dark-mode' in properties.features", true],
      ["'blink' in properties.features", false],
      ['event in properties.missing', false],
      ["!(type in ['track', 'identify'])", false],
    ]),
  )('in (which destination-subscriptions mis-parses): %s → %s', (text, expected) => {
    expect(evaluate(text)).toBe(expected)
  })

  it.each(
    table([
      ['contains(event, "Order")', true],
      ['contains(event, "order")', false],
      ['contains(properties.missing, "x")', false],
      ['contains(properties.revenue, "12")', false],
      ['contains(event, properties.currency)', false],
      ["!contains(context.library.name, 'js')", false],
      ["!contains(properties.missing, 'js')", true],
      ['contains(lowercase(event), "order")', true],
    ]),
  )('contains: %s → %s', (text, expected) => {
    expect(evaluate(text)).toBe(expected)
  })

  it.each(
    table([
      ['match(properties.email, "*@example.com")', true],
      ["match(context.library.version, '1.*')", true],
      ["match(context.library.version, '2.*')", false],
      ['match(event, "Order")', false],
      ['match(event, "*")', true],
      ['match(event, "Order ?ompleted")', true],
      ['match(event, "Order ??ompleted")', false],
      ['match(event, "Order [Cc]ompleted")', true],
      ['match(event, "Order [a-z]ompleted")', false],
      ['match(event, "Order [A-Z]ompleted")', true],
      ['match(event, "Order [^C]ompleted")', false],
      ['match(event, "*Completed")', true],
      ['match(event, "order completed")', false],
      ['match(properties.star, "ab\\*d")', true],
      ['match(properties.plain, "ab\\*d")', false],
      ['match(properties.path, "/a/*")', true],
      ['match(properties.katakana, "?")', true],
      ['match(properties.missing, "*")', false],
      ['match(properties.revenue, "*")', false],
      ['match(lowercase(event), "order*")', true],
      ['!match(event, "Order*")', false],
    ]),
  )('match is a full, case-sensitive glob: %s → %s', (text, expected) => {
    expect(evaluate(text)).toBe(expected)
  })

  it.each(
    table([
      ['lowercase(event) = "order completed"', true],
      ['uppercase(event) = "ORDER COMPLETED"', true],
      ['lowercase(properties.missing) = null', true],
      ['lowercase(properties.revenue) = null', true],
      ['length(properties.features) = 2', true],
      ['length(event) = 15', true],
      ['length(properties.katakana) = 3', true],
      ['length(properties.missing) = 0', true],
      ['length(userId) > 0', true],
      ['typeof(event) = "string"', true],
      ['typeof(properties.revenue) = "number"', true],
      ['typeof(properties.flag) = "bool"', true],
      ['typeof(properties.features) = "list"', true],
      ['typeof(properties.missing) = "null"', true],
      ['typeof(properties.nested) = "object"', true],
      ['snakecase(event) = "Order_Completed"', true],
      ['kebabcase(traits.name) = "Ann-Lee"', true],
      ['titlecase(properties.lower) = "Hello World"', true],
      ['number(properties.count) = 5', true],
      ['number(properties.email) = null', true],
      ['string(properties.revenue) = "120"', true],
      ['bool(properties.revenue)', true],
      ['bool(properties.empty)', false],
      ['bool("false")', false],
      ['bool("true")', true],
    ]),
  )('functions: %s → %s', (text, expected) => {
    expect(evaluate(text)).toBe(expected)
  })

  it.each(
    table([
      ['type = "track" and event = "Order Completed"', true],
      ['type = "identify" or type = "track"', true],
      // `and` binds tighter than `or`: (F and F) or T, and T or (F and F).
      ['type = "identify" and event = "x" or type = "track"', true],
      ['type = "track" or event = "x" and type = "identify"', true],
      ['(type = "track" or event = "x") and type = "identify"', false],
      ['(type = "track" and (event = "A" or (event = "Order Completed")))', true],
      ['!(type = "identify")', true],
      ['!!(type = "track")', true],
      ['!type = "track"', false],
      ['properties.flag', true],
      ['properties.off', false],
      ['properties.revenue', false],
      ['!properties.flag', false],
      ['!properties.missing', true],
      ["type = 'track' and ( event = 'Click' or match( event, 'Order *' ) )", true],
    ]),
  )('logic, precedence and negation: %s → %s', (text, expected) => {
    expect(evaluate(text)).toBe(expected)
  })

  it.each(
    table([
      ['properties.product\\ 1.price = "19.99"', true],
      ['properties.a\\.b = 1', true],
      ['properties.a.b = 1', false],
      ['properties.features.1 = "dark-mode"', true],
      ['properties.features.2 = null', true],
      ['context.library.name = "analytics.js"', true],
      ['context.traits.plan = "pro"', true],
      ['traits.plan = "pro"', true],
      ['context.path.path = "/login"', false],
      // Never steps into strings or prototypes.
      ['properties.email.length = null', true],
      ['properties.constructor = null', true],
      ['properties.__proto__ = null', true],
    ]),
  )('paths: %s → %s', (text, expected) => {
    expect(evaluate(text)).toBe(expected)
  })

  it('treats `all` as matching every event', () => {
    expect(evaluate('all', {})).toBe(true)
    expect(evaluate('  all ', { type: 'identify' })).toBe(true)
  })

  it('evaluates against an empty event without throwing', () => {
    expect(evaluate('event = "x"', {})).toBe(false)
    expect(evaluate('event != "x"', {})).toBe(true)
  })

  it.each([
    '',
    '   ',
    'event =',
    'event = "x',
    'userId = oops"',
    'unknown(event)',
    'contains(event)',
    'lowercase(event, "x")',
    'event = "a" and',
    '(event = "a"',
    'event = "a")',
    'event in [properties.x]',
    'event # 1',
    'event = "a" or or event = "b"',
    'properties. = 1',
    'properties.x\\',
    'match(event, "[a-")',
    'match(event, "[z-a]")',
    'match(event, "ab\\")',
    'event = = "a"',
  ])('rejects invalid FQL %j with an error', (text) => {
    const compiled = compileFql(text)
    expect(compiled.ok).toBe(false)
    if (!compiled.ok) expect(compiled.error.length).toBeGreaterThan(0)
  })

  it('reports where the syntax breaks', () => {
    const compiled = compileFql('event = "a" and )')
    expect(compiled).toEqual({ ok: false, error: "unexpected ')' at 16" })
  })

  it('returns null, not an exception, when evaluation fails', () => {
    const hostile = {
      get event(): string {
        throw new Error('boom')
      },
    }
    expect(evaluate('event = "x"', hostile)).toBeNull()
    expect(evaluate('type = "x" or event = "x"', hostile)).toBeNull()
  })
})
