/**
 * The PII transform: classifies every field of an event's `properties`, `traits` and `context`
 * (Segment's Privacy Portal scans the same three) and applies the action of its class for the
 * scope: `block` removes the field (an array element is removed from its array), `hash`
 * replaces it by its salted hash, `mask` by its masked form, `allow` keeps it. Top-level ids
 * (`userId`, `anonymousId`) are never touched: identity resolution needs them.
 *
 * Pure and synchronous; the input is never modified: changed objects are copied on the way
 * (copy on write), unchanged subtrees are shared. Idempotent for block and mask; hashing a
 * hashed value hashes again, so a transform must run once per scope (ingest, or one lane).
 */
import type { PiiClassifier } from '../pii/classifier.js'
import type { PiiClass } from '../pii/model.js'
import { hashValue } from './hash.js'
import { maskValue } from './mask.js'
import { actionsForScope, type PiiAction, type PiiRule, type PiiScope } from './rules.js'

export const SCANNED_SECTIONS = ['properties', 'traits', 'context'] as const

export interface PiiFieldAction {
  /** Generic path (`properties.products.$.email`). */
  field: string
  class: PiiClass
  action: Exclude<PiiAction, 'allow'>
}

export interface PiiTransformResult {
  payload: Record<string, unknown>
  changed: boolean
  actions: PiiFieldAction[]
}

export type PiiTransform = (payload: Record<string, unknown>, scope: PiiScope) => PiiTransformResult

export interface PiiTransformOptions {
  /** Salt of `hash` (the key of the HMAC). */
  salt: string | Buffer
  /** Deepest nesting scanned (deeper fields are kept as they are). Default 16. */
  maxDepth?: number
}

const BLOCKED = Symbol('blocked')
type Actions = Partial<Record<PiiClass, PiiAction>>

/**
 * Builds the transform for a rule set. Per scope (global, or one destination) the actions per
 * class are computed once and cached; a scope whose classes are all allowed returns the payload
 * untouched without walking it.
 */
export function createPiiTransform(
  rules: readonly PiiRule[],
  classifier: PiiClassifier,
  options: PiiTransformOptions,
): PiiTransform {
  const maxDepth = options.maxDepth ?? 16
  const perScope = new Map<string, Actions | null>()

  function leaf(value: unknown, path: string[], actions: Actions, out: PiiFieldAction[]): unknown {
    const found = classifier.classify(path, value)
    if (!found) return value
    const action = actions[found.class]
    if (action === undefined || action === 'allow') return value
    const field = path.join('.')
    if (!out.some((a) => a.field === field)) out.push({ field, class: found.class, action })
    if (action === 'block') return BLOCKED
    return action === 'hash'
      ? hashValue(value, found.kind, options.salt)
      : maskValue(value, found.kind)
  }

  function node(value: unknown, path: string[], actions: Actions, out: PiiFieldAction[]): unknown {
    if (value === null || typeof value !== 'object') return leaf(value, path, actions, out)
    if (path.length > maxDepth) return value
    if (Array.isArray(value)) {
      let copy: unknown[] | null = null
      value.forEach((item, i) => {
        const next = node(item, [...path, '$'], actions, out)
        if (next !== item && copy === null) copy = value.slice(0, i)
        if (copy !== null && next !== BLOCKED) copy.push(next)
      })
      return copy ?? value
    }
    const record = value as Record<string, unknown>
    let copy: Record<string, unknown> | null = null
    for (const key of Object.keys(record)) {
      const item = record[key]
      const next = node(item, [...path, key], actions, out)
      if (next === item) continue
      copy ??= { ...record }
      if (next === BLOCKED) delete copy[key]
      else copy[key] = next
    }
    return copy ?? value
  }

  return (payload, scope) => {
    const key = scope.destinationId ?? ''
    if (!perScope.has(key)) perScope.set(key, actionsForScope(rules, scope.destinationId))
    const actions = perScope.get(key)!
    if (actions === null) return { payload, changed: false, actions: [] }
    const out: PiiFieldAction[] = []
    let result: Record<string, unknown> | null = null
    for (const section of SCANNED_SECTIONS) {
      const value = payload[section]
      if (value === undefined || value === null || typeof value !== 'object') continue
      const next = node(value, [section], actions, out)
      if (next === value) continue
      result ??= { ...payload }
      result[section] = next
    }
    return { payload: result ?? payload, changed: result !== null, actions: out }
  }
}
