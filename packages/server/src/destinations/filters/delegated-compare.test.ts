import destinationSubscriptions from '@segment/destination-subscriptions'
import { describe, expect, it } from 'vitest'
import type { JsonValue } from '../../protocol/index.js'
import { compileDelegated, delegatedCondition, type DelegatedOp } from './delegated-compare.js'

/** The one condition destination-subscriptions' own parser builds for `text`. */
function parsedCondition(text: string): unknown {
  const parsed = destinationSubscriptions.parseFql(text)
  if ('error' in parsed) throw parsed.error
  expect(parsed.children).toHaveLength(1)
  return parsed.children[0]
}

describe('delegatedCondition', () => {
  it.each<[DelegatedOp, JsonValue, string]>([
    ['=', 'a b', 'properties.v = "a b"'],
    ['=', 12.5, 'properties.v = 12.5'],
    ['=', true, 'properties.v = true'],
    ['=', false, 'properties.v = false'],
    ['=', null, 'properties.v = null'],
    ['<', 3, 'properties.v < 3'],
    ['<=', 3, 'properties.v <= 3'],
    ['>', 3, 'properties.v > 3'],
    ['>=', 3, 'properties.v >= 3'],
    ['contains', 'js', 'contains(properties.v, "js")'],
  ])('builds what parseFql builds for %s %j', (op, literal, text) => {
    expect(delegatedCondition(op, literal)).toEqual(parsedCondition(text))
  })

  it.each<[DelegatedOp, JsonValue]>([
    ['<', '3'],
    ['>', null],
    ['=', ['a']],
    ['=', { a: 1 }],
    ['contains', 5],
    ['contains', null],
  ])('leaves %s %j to fql.ts', (op, literal) => {
    expect(delegatedCondition(op, literal)).toBeNull()
    expect(compileDelegated(op, literal)).toBeNull()
  })
})

describe('compileDelegated', () => {
  it.each<[DelegatedOp, JsonValue, JsonValue, boolean]>([
    ['=', 'x', 'x', true],
    ['=', 'x', 'X', false],
    ['=', '5', 5, false],
    ['=', 5, 5, true],
    ['=', 5, '5', false],
    ['=', true, true, true],
    ['=', true, 'true', false],
    ['=', null, null, true],
    ['=', null, 0, false],
    ['>', 1, 2, true],
    ['>', 1, '2', false],
    ['contains', 'b', 'abc', true],
    ['contains', 'b', null, false],
  ])('%s %j against %j is %s', (op, literal, value, expected) => {
    const compare = compileDelegated(op, literal)
    expect(compare?.(value)).toBe(expected)
  })
})
