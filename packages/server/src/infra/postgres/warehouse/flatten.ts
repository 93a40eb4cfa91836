/**
 * Flattening (segment-compat.md §6.4): nested objects become `_`-joined snake_case columns,
 * arrays become one JSON text column, nulls create nothing. Pure.
 */
import type { JsonValue } from '../../../protocol/index.js'
import type { FieldValue } from './column-types.js'
import { safeIdentifier, snakeCase } from './naming.js'

/** Column name → value of one row, in first-seen order. */
export type FieldMap = Map<string, FieldValue>

/** Options of {@link flattenInto}. */
export interface FlattenOptions {
  /**
   * Called with each column name before it is set; returns the name to use (e.g. to move a
   * property named `id` away from the `id` column).
   */
  rename?: (column: string) => string
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Snake-cased keys, memoized: events repeat the same few hundred keys. Bounded. */
const snakeCache = new Map<string, string>()
const SNAKE_CACHE_SIZE = 10_000

function snakeKey(key: string): string {
  let name = snakeCache.get(key)
  if (name === undefined) {
    name = snakeCase(key)
    if (snakeCache.size >= SNAKE_CACHE_SIZE) snakeCache.clear()
    snakeCache.set(key, name)
  }
  return name
}

function flattenUnder(
  target: FieldMap,
  prefix: string,
  value: JsonValue,
  rename: ((column: string) => string) | undefined,
): void {
  if (value === null) return
  if (isObject(value)) {
    for (const key in value) {
      const child = value[key] as JsonValue
      const part = snakeKey(key)
      flattenUnder(
        target,
        part === '' ? prefix : prefix === '' ? part : `${prefix}_${part}`,
        child,
        rename,
      )
    }
    return
  }
  if (prefix === '') return
  const name = safeIdentifier(prefix)
  target.set(
    rename === undefined ? name : rename(name),
    Array.isArray(value) ? JSON.stringify(value) : value,
  )
}

/**
 * Flattens `value` under `path` into `target`: `{ address: { streetName: 'x' } }` with path
 * `[]` sets `address_street_name`. Keys whose name snake-cases to nothing are skipped. When two
 * keys map to one column (`firstName`, `first_name`), the later key wins.
 */
export function flattenInto(
  target: FieldMap,
  path: readonly string[],
  value: JsonValue | undefined,
  options: FlattenOptions = {},
): void {
  if (value === undefined) return
  const prefix = path
    .map(snakeKey)
    .filter((part) => part.length > 0)
    .join('_')
  flattenUnder(target, prefix, value, options.rename)
}
