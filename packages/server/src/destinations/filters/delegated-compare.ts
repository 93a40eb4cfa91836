/**
 * The comparisons FQL delegates to Segment's `@segment/destination-subscriptions` (the
 * evaluator `actions-core` runs for subscription triggers), so that filters and triggers
 * agree on them: `= 'text'`, `= 12`, `= true`, `= false`, `= null`, `< <= > >= 12` and
 * `contains(x, 'text')`, always with a literal on the right. `!=` is the negation of `=`.
 *
 * Only the comparison is delegated, not the path: the value is resolved by fql.ts (escaped
 * paths, any top-level field, function results) and handed to `validate()` as the single
 * property `v` of a one-condition subscription. The conditions are the ones `parseFql()`
 * itself builds for `properties.v <op> <literal>` (delegated-compare.test.ts checks that).
 */
// The package is CommonJS: Node's ESM loader cannot see its named exports (they are getters
// behind `__exportStar`), but the default import is `module.exports`, typed by its .d.ts.
import destinationSubscriptions from '@segment/destination-subscriptions'
import type { Condition, GroupCondition } from '@segment/destination-subscriptions'
import type { JsonValue } from '../../protocol/index.js'

/** A comparison of one value against the literal it was built with. */
export type DelegatedCompare = (value: JsonValue) => boolean

export type DelegatedOp = '=' | '<' | '<=' | '>' | '>=' | 'contains'

/**
 * The destination-subscriptions condition for `properties.v <op> <literal>`, or null when
 * that library does not evaluate this combination the FQL way (then fql.ts does it itself).
 */
export function delegatedCondition(op: DelegatedOp, literal: JsonValue): Condition | null {
  const base = { type: 'event-property', name: 'v' } as const
  if (op === 'contains') {
    return typeof literal === 'string' ? { ...base, operator: 'contains', value: literal } : null
  }
  if (op !== '=') {
    return typeof literal === 'number' ? { ...base, operator: op, value: literal } : null
  }
  if (typeof literal === 'string') return { ...base, operator: '=', value: literal }
  if (typeof literal === 'number') return { ...base, operator: 'number_equals', value: literal }
  if (literal === true) return { ...base, operator: 'is_true' }
  if (literal === false) return { ...base, operator: 'is_false' }
  if (literal === null) return { ...base, operator: 'not_exists' }
  return null
}

/** A compiled delegated comparison, or null when it cannot be delegated. */
export function compileDelegated(op: DelegatedOp, literal: JsonValue): DelegatedCompare | null {
  const condition = delegatedCondition(op, literal)
  if (condition === null) return null
  const subscription: GroupCondition = { type: 'group', operator: 'and', children: [condition] }
  // One holder per comparison, reused: validate() is synchronous, so it cannot be re-entered.
  const holder: { properties: { v: JsonValue } } = { properties: { v: null } }
  return (value) => {
    holder.properties.v = value
    const result = destinationSubscriptions.validate(subscription, holder)
    holder.properties.v = null
    return result
  }
}
