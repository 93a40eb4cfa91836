/**
 * Warehouse names (segment-compat.md §6.4): camelCase → snake_case the way Segment's
 * go-snakecase does it, and every table, column and schema name made a safe PostgreSQL
 * identifier. Pure and deterministic, so two loaders (two processes) always pick the same name
 * for the same field.
 */
import { createHash } from 'node:crypto'

/** PostgreSQL's identifier limit (NAMEDATALEN - 1), in bytes; our names are ASCII. */
export const MAX_IDENTIFIER_LENGTH = 63

/** The tables every source schema may hold; a per-event table never takes one of these names. */
export const STANDARD_TABLES = [
  'tracks',
  'identifies',
  'users',
  'pages',
  'screens',
  'groups',
  'accounts',
  'aliases',
] as const

const STANDARD = new Set<string>(STANDARD_TABLES)

const isLower = (c: string): boolean => c >= 'a' && c <= 'z'
const isUpper = (c: string): boolean => c >= 'A' && c <= 'Z'
const isDigit = (c: string): boolean => c >= '0' && c <= '9'
const isLowerOrDigit = (c: string | undefined): boolean =>
  c !== undefined && (isLower(c) || isDigit(c))

/** Length of the prefix that is already snake_case (lower, digits, `_` before lower/digit). */
function cleanPrefixLength(s: string): number {
  let i = 0
  while (i < s.length) {
    const c = s[i] as string
    if (isLowerOrDigit(c) || (c === '_' && isLowerOrDigit(s[i + 1]))) i++
    else break
  }
  return i
}

/**
 * snake_case with go-snakecase's rules: words are runs of upper-case letters or digits followed
 * by lower-case letters or digits; every other character (spaces, punctuation, non-ASCII)
 * separates words and is dropped. The result holds only `[a-z0-9_]` and may be empty.
 *
 * @example snakeCase('inviteYourCustomers') === 'invite_your_customers'
 * @example snakeCase('   $#$sample   2    Text   ') === 'sample_2_text'
 */
export function snakeCase(s: string): string {
  let i = cleanPrefixLength(s)
  if (i === s.length) return s
  // A digit right before an upper-case letter starts the next word (go-snakecase's rule).
  if (i > 0 && isDigit(s[i - 1] as string)) i--
  let out = s.slice(0, i)
  while (i < s.length) {
    const c = s[i] as string
    if (!(isLower(c) || isUpper(c) || isDigit(c))) {
      i++
      continue
    }
    if (out.length > 0) out += '_'
    while (i < s.length && (isUpper(s[i] as string) || isDigit(s[i] as string))) {
      out += (s[i] as string).toLowerCase()
      i++
    }
    while (i < s.length && isLowerOrDigit(s[i])) {
      out += s[i] as string
      i++
    }
  }
  return out
}

/**
 * Makes a snake_case name a safe identifier: a leading digit gets a `_` prefix (as Segment's
 * warehouses do), and a name longer than 63 bytes keeps its first 54 characters plus `_` and 8
 * hex of its SHA-1, so long names stay distinct and stable. Empty stays empty (the caller
 * drops the field).
 */
export function safeIdentifier(name: string): string {
  const cleaned = /^[0-9]/.test(name) ? `_${name}` : name
  if (cleaned.length <= MAX_IDENTIFIER_LENGTH) return cleaned
  const hash = createHash('sha1').update(cleaned).digest('hex').slice(0, 8)
  return `${cleaned.slice(0, MAX_IDENTIFIER_LENGTH - 9)}_${hash}`
}

/** A column name from a flattened path (`['address', 'streetName']` → `address_street_name`). */
export function columnName(path: readonly string[]): string {
  const parts = path.map(snakeCase).filter((part) => part.length > 0)
  return safeIdentifier(parts.join('_'))
}

/**
 * The table of a track event: its snake_cased name (`Order Completed` → `order_completed`).
 * A name that would be a standard table gets `_event` appended (`Users` → `users_event`), and
 * a name with nothing left after snake-casing becomes `unnamed_event`.
 */
export function eventTableName(event: string): string {
  const name = snakeCase(event)
  if (name === '') return 'unnamed_event'
  return safeIdentifier(STANDARD.has(name) ? `${name}_event` : name)
}

/**
 * The schema of a source: `prefix_source` (or just the snake-cased source id) when each
 * source has its own schema. Empty results become `source`.
 */
export function sourceSchemaName(sourceId: string, prefix?: string): string {
  const parts = [prefix === undefined ? '' : snakeCase(prefix), snakeCase(sourceId)]
  const name = parts.filter((part) => part.length > 0).join('_')
  return safeIdentifier(name === '' ? 'source' : name)
}

/** Double-quotes an identifier (quotes inside are doubled), so reserved words stay usable. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** `"schema"."table"`. */
export function qualifiedName(schema: string, table: string): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`
}
