/**
 * The type-conflict policy (README "Type conflicts"): puts each field of each row in a column
 * whose type fits it, and says which columns must be created first. Pure; the loader runs it,
 * creates the wanted columns, refreshes the catalog and runs it again until nothing is wanted.
 */
import {
  COMPANION_SUFFIXES,
  fitValue,
  inferType,
  unifyTypes,
  type ColumnType,
  type ColumnValue,
  type FieldValue,
  type WarehouseType,
} from './column-types.js'
import type { FieldMap } from './flatten.js'
import { safeIdentifier } from './naming.js'

/** A row ready to insert: column name → value of that column's type. */
export type PlacedRow = Record<string, ColumnValue>

/** The result of {@link placeRows}. */
export interface Placement {
  rows: PlacedRow[]
  /** Columns to create before the rows can be written, with their types, first seen first. */
  wanted: Map<string, WarehouseType>
  /** Values written to a companion column because the column's type did not fit them. */
  redirected: number
  /** Values that fit no column (every candidate blocked, e.g. by maxColumns). */
  dropped: number
}

/** Options of {@link placeRows}. */
export interface PlacementOptions {
  /** Columns of the table as known (name → type). */
  columns: ReadonlyMap<string, ColumnType>
  /** Columns that may not be created (over maxColumns): values go on to the next candidate. */
  blocked: ReadonlySet<string>
  stringLimit: number
}

/** `price` + double → `price_float`. */
export function companionName(column: string, type: WarehouseType): string {
  return safeIdentifier(`${column}_${COMPANION_SUFFIXES[type]}`)
}

/**
 * Where a value may go, in order: its own column; the companion of its type
 * (`<column>_<type>`); the text companion (`<column>_text`), which takes anything.
 */
function candidates(column: string, type: WarehouseType): Array<[string, WarehouseType]> {
  const list: Array<[string, WarehouseType]> = [[column, type]]
  list.push([companionName(column, type), type])
  if (type !== 'text') list.push([companionName(column, 'text'), 'text'])
  return list
}

/** Types of the columns the rows want that do not exist yet (ints and floats → double). */
function newColumnTypes(
  rows: readonly FieldMap[],
  options: PlacementOptions,
): Map<string, WarehouseType> {
  const wanted = new Map<string, WarehouseType>()
  for (const fields of rows) {
    for (const [column, value] of fields) {
      if (options.columns.has(column) || options.blocked.has(column)) continue
      const type = inferType(value)
      const seen = wanted.get(column)
      wanted.set(column, seen === undefined ? type : unifyTypes(seen, type))
    }
  }
  return wanted
}

interface Counters {
  redirected: number
  dropped: number
}

function placeValue(
  row: PlacedRow,
  field: [string, FieldValue],
  state: { wanted: Map<string, WarehouseType>; counters: Counters; options: PlacementOptions },
): void {
  const [column, value] = field
  const { wanted, counters, options } = state
  // Fast path: the column exists (or is being created) and the value fits it.
  const known = options.columns.get(column) ?? wanted.get(column)
  if (known !== undefined) {
    const fitted = fitValue(value, known, options)
    if (fitted !== undefined) {
      row[column] = fitted
      return
    }
  }
  const list = candidates(column, inferType(value))
  for (let index = 0; index < list.length; index++) {
    const [name, ownType] = list[index] as [string, WarehouseType]
    let type: ColumnType | undefined = options.columns.get(name) ?? wanted.get(name)
    if (type === undefined) {
      if (options.blocked.has(name)) continue
      type = ownType
      wanted.set(name, type)
    }
    const fitted = fitValue(value, type, options)
    if (fitted === undefined) continue
    row[name] = fitted
    if (index > 0) counters.redirected++
    return
  }
  counters.dropped++
}

/**
 * Places every field of every row (see {@link candidates}). A column that exists keeps its
 * type; a column to create takes the type of the batch's values (see `unifyTypes`). The
 * result is deterministic for the same rows and columns, so a retried batch lands the same.
 */
export function placeRows(rows: readonly FieldMap[], options: PlacementOptions): Placement {
  const wanted = newColumnTypes(rows, options)
  const counters: Counters = { redirected: 0, dropped: 0 }
  const state = { wanted, counters, options }
  const placed = rows.map((fields) => {
    // A plain object is safe: a column name is never `__proto__` (naming.ts never yields it).
    const row: PlacedRow = {}
    for (const field of fields) placeValue(row, field, state)
    return row
  })
  // Pre-seeded columns no value ended up in (all redirected) are not created.
  if (wanted.size > 0) {
    const unused = new Set(wanted.keys())
    for (const row of placed) for (const column in row) unused.delete(column)
    for (const column of unused) wanted.delete(column)
  }
  return { rows: placed, wanted, ...counters }
}
