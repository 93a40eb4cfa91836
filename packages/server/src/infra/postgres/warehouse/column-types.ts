/**
 * Column types and the type policy (README "Types"). A column's type comes from the first
 * non-null value seen; later values are written to it only when they fit, otherwise to a
 * companion column (see placement.ts). Pure functions.
 */

/** The warehouse's column types, after Segment's (timestamp, integer, float, boolean, varchar). */
export const WAREHOUSE_TYPES = ['timestamp', 'bigint', 'double', 'boolean', 'text'] as const
export type WarehouseType = (typeof WAREHOUSE_TYPES)[number]

/** A column found in the database whose type is none of ours (e.g. changed by hand to jsonb). */
export type ColumnType = WarehouseType | 'other'

/** A flattened field value: arrays are already JSON text, objects already flattened. */
export type FieldValue = string | number | boolean

/** What one value becomes in a column of the chosen type (sent to PostgreSQL as JSON). */
export type ColumnValue = string | number | boolean

/** The SQL type of each warehouse type. Timestamps carry a zone (sessions run in UTC). */
export const SQL_TYPES: Readonly<Record<WarehouseType, string>> = {
  timestamp: 'timestamptz',
  bigint: 'bigint',
  double: 'double precision',
  boolean: 'boolean',
  text: 'text',
}

/** Companion-column suffixes: a value that does not fit `price` (bigint) goes to `price_float`. */
export const COMPANION_SUFFIXES: Readonly<Record<WarehouseType, string>> = {
  timestamp: 'ts',
  bigint: 'int',
  double: 'float',
  boolean: 'bool',
  text: 'text',
}

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0)
}

/**
 * True for an ISO-8601 date or date-time that names a real instant between years 1 and 9999
 * (`2024-02-30` and `0000-01-01` are not dates; PostgreSQL would reject them).
 */
export function isIsoTimestamp(value: string): boolean {
  const match = ISO_8601.exec(value)
  if (match === null) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return false
  }
  if (match[4] === undefined) return true
  return Number(match[4]) <= 23 && Number(match[5]) <= 59 && Number(match[6] ?? 0) <= 59
}

/** The type a column created for this value gets. */
export function inferType(value: FieldValue): WarehouseType {
  if (typeof value === 'boolean') return 'boolean'
  if (typeof value === 'number') return Number.isSafeInteger(value) ? 'bigint' : 'double'
  return isIsoTimestamp(value) ? 'timestamp' : 'text'
}

/**
 * The type for a new column that several values of one batch want: integers and floats give
 * `double`; otherwise the first value's type stands.
 */
export function unifyTypes(first: WarehouseType, next: WarehouseType): WarehouseType {
  if ((first === 'bigint' && next === 'double') || (first === 'double' && next === 'bigint')) {
    return 'double'
  }
  return first
}

/** Options of {@link fitValue}. */
export interface FitOptions {
  /** Text longer than this (UTF-16 units) is cut. */
  stringLimit: number
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * Text as PostgreSQL takes it: NUL removed (text cannot hold it), lone surrogates replaced
 * with U+FFFD, cut at `limit` without splitting a surrogate pair.
 */
export function cleanText(value: string, limit: number): string {
  let text = value.includes('\u0000') ? value.replaceAll('\u0000', '') : value
  if (/[\uD800-\uDFFF]/.test(text)) text = text.replace(LONE_SURROGATE, '\uFFFD')
  if (text.length <= limit) return text
  const cut = text.slice(0, limit)
  const last = cut.charCodeAt(cut.length - 1)
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut
}

/**
 * The value as written to a column of type `type`, or undefined when it does not fit:
 * - text takes everything (numbers and booleans as their JSON text), cut at the limit;
 * - double takes any number; bigint takes safe integers only;
 * - boolean takes booleans; timestamp takes ISO-8601 strings that are real dates;
 * - `other` (a column we did not create) takes nothing.
 */
export function fitValue(
  value: FieldValue,
  type: ColumnType,
  options: FitOptions,
): ColumnValue | undefined {
  switch (type) {
    case 'text':
      return cleanText(typeof value === 'string' ? value : String(value), options.stringLimit)
    case 'double':
      return typeof value === 'number' ? value : undefined
    case 'bigint':
      return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined
    case 'timestamp':
      return typeof value === 'string' && isIsoTimestamp(value) ? value : undefined
    case 'other':
      return undefined
  }
}

/**
 * Maps `information_schema.columns.data_type` to a column type. Narrower types someone chose
 * by hand (integer, real, numeric, jsonb, …) are `other`: values go to companion columns
 * rather than risk a range error.
 */
export function columnTypeOf(dataType: string): ColumnType {
  switch (dataType) {
    case 'timestamp with time zone':
    case 'timestamp without time zone':
      return 'timestamp'
    case 'bigint':
      return 'bigint'
    case 'double precision':
      return 'double'
    case 'boolean':
      return 'boolean'
    case 'text':
    case 'character varying':
      return 'text'
    default:
      return 'other'
  }
}
