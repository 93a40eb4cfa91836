/**
 * The load statements. Rows travel as one JSON array parameter and are turned into the
 * table's row type by `json_populate_recordset`, so a statement has one parameter whatever
 * its size (no 65,535-parameter limit) and PostgreSQL parses the values with the column types.
 * Pure.
 */
import { qualifiedName, quoteIdentifier } from './naming.js'

/** Options of {@link insertSql}. */
export interface InsertSqlOptions {
  schema: string
  table: string
  /** The columns the rows set (others keep their default: null, or now() for `uuid_ts`). */
  columns: readonly string[]
  /**
   * Append (false): `ON CONFLICT (id) DO NOTHING`, the first copy of a messageId wins.
   * Upsert (true): merge into the row with the same id (see {@link mergeAssignments}).
   */
  upsert: boolean
}

/**
 * Latest-state merge (users, accounts): the row's `received_at` becomes the later of the two;
 * each column takes the newer event's value when it has one and keeps the other otherwise, so
 * an older event that arrives late only fills columns the row does not have yet.
 */
function mergeAssignments(columns: readonly string[]): string[] {
  const newer = 'excluded.received_at >= t.received_at'
  const assignments = columns
    .filter((column) => column !== 'id' && column !== 'received_at')
    .map((column) => {
      const c = quoteIdentifier(column)
      return `${c} = CASE WHEN ${newer} THEN COALESCE(excluded.${c}, t.${c}) ELSE COALESCE(t.${c}, excluded.${c}) END`
    })
  assignments.push('received_at = GREATEST(t.received_at, excluded.received_at)')
  assignments.push('uuid_ts = now()')
  return assignments
}

/** One statement inserting the rows given as JSON in `$1`. */
export function insertSql(options: InsertSqlOptions): string {
  const target = qualifiedName(options.schema, options.table)
  const list = options.columns.map(quoteIdentifier).join(', ')
  const head =
    `INSERT INTO ${target} AS t (${list}) SELECT ${list} ` +
    `FROM json_populate_recordset(NULL::${target}, $1::json)`
  if (!options.upsert) return `${head} ON CONFLICT (id) DO NOTHING`
  return `${head} ON CONFLICT (id) DO UPDATE SET ${mergeAssignments(options.columns).join(', ')}`
}
