/**
 * FQL's functions (segment-compat.md §6.1), on JSON values. A missing field is `null`.
 * Null handling follows Segment: `contains(null, …)` and `match(null, …)` are false,
 * `length(null)` is 0, `lowercase(null)` is null, `typeof(null)` is "null".
 */
import type { JsonValue } from '../../protocol/index.js'
import { globMatches } from './glob.js'

export const FUNCTION_ARITY = {
  contains: 2,
  match: 2,
  length: 1,
  lowercase: 1,
  uppercase: 1,
  snakecase: 1,
  kebabcase: 1,
  titlecase: 1,
  typeof: 1,
  bool: 1,
  string: 1,
  number: 1,
} as const

export type FqlFunctionName = keyof typeof FUNCTION_ARITY

export function isFqlFunctionName(name: string): name is FqlFunctionName {
  return Object.hasOwn(FUNCTION_ARITY, name)
}

type Unary = (value: JsonValue) => JsonValue

/** The one-argument functions. Text functions return null for anything but a string. */
export const UNARY_FUNCTIONS: Record<Exclude<FqlFunctionName, 'contains' | 'match'>, Unary> = {
  /** Bytes of a string (UTF-8), elements of a list, 0 for anything else. */
  length: (v) => (typeof v === 'string' ? Buffer.byteLength(v) : Array.isArray(v) ? v.length : 0),
  lowercase: (v) => (typeof v === 'string' ? v.toLowerCase() : null),
  uppercase: (v) => (typeof v === 'string' ? v.toUpperCase() : null),
  /** Spaces become `_`; nothing else changes (Segment's documented behaviour). */
  snakecase: (v) => (typeof v === 'string' ? v.replaceAll(' ', '_') : null),
  /** Spaces become `-`. */
  kebabcase: (v) => (typeof v === 'string' ? v.replaceAll(' ', '-') : null),
  /** The first letter of each space-separated word upper-cased: `test string` → `Test String`. */
  titlecase: (v) =>
    typeof v === 'string'
      ? v.replace(/(^| )(\p{Ll})/gu, (_, s: string, c: string) => s + c.toUpperCase())
      : null,
  typeof: fqlTypeOf,
  bool: toBool,
  string: toFqlString,
  number: toNumber,
}

/** `contains(s, sub)`: true only when both are strings and `s` contains `sub`. */
export function fqlContains(value: JsonValue, sub: JsonValue): boolean {
  return typeof value === 'string' && typeof sub === 'string' && value.includes(sub)
}

/** `match(s, pattern)`: true only when both are strings and the glob matches all of `s`. */
export function fqlMatch(value: JsonValue, pattern: JsonValue): boolean {
  return typeof value === 'string' && typeof pattern === 'string' && globMatches(value, pattern)
}

/** "string", "number", "bool", "list", "null"; a JSON object is "object" (Segment lists no name). */
export function fqlTypeOf(value: JsonValue): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'list'
  if (typeof value === 'string') return 'string'
  if (typeof value === 'number') return 'number'
  if (typeof value === 'boolean') return 'bool'
  return 'object'
}

/**
 * `bool(v)`: booleans as they are; numbers: not 0; strings: `1 t T true TRUE True` are true
 * (Go's `strconv.ParseBool` spelling), anything else false; lists: not empty; null: false.
 */
function toBool(value: JsonValue): boolean {
  if (typeof value === 'boolean') return value
  if (typeof value === 'number') return value !== 0
  if (typeof value === 'string') return TRUE_STRINGS.has(value)
  if (Array.isArray(value)) return value.length > 0
  return false
}
const TRUE_STRINGS = new Set(['1', 't', 'T', 'true', 'TRUE', 'True'])

/** `string(v)`: a string as it is; anything else as its JSON text (`null` → "null"). */
function toFqlString(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** `number(v)`: numbers as they are; a string holding a finite decimal number; else null. */
function toNumber(value: JsonValue): number | null {
  if (typeof value === 'number') return value
  if (typeof value !== 'string' || value.trim() === '') return null
  const n = Number(value)
  return Number.isFinite(n) ? n : null
}

/**
 * FQL `=`: same type and equal; lists element by element, objects key by key. Used where
 * the comparison is not delegated to destination-subscriptions (see fql.ts).
 */
export function strictEquals(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    return a.every((item, i) => strictEquals(item, b[i] ?? null))
  }
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  return keys.every((k) => Object.hasOwn(b, k) && strictEquals(a[k] ?? null, b[k] ?? null))
}
