/**
 * What the loader knows of the warehouse's schemas, tables and columns, cached in memory and
 * refreshed from `information_schema` on a miss. DDL is idempotent and race-safe: two loaders
 * (two processes) creating the same schema, table or column both succeed, and a column another
 * loader created with a different type is seen on refresh and respected (placement.ts).
 */
import { SQL_TYPES, columnTypeOf, type ColumnType, type WarehouseType } from './column-types.js'
import { COMMON_COLUMNS, STATE_COLUMNS } from './event-rows.js'
import { STANDARD_TABLES, qualifiedName, quoteIdentifier } from './naming.js'
import { withTransaction, type PostgresPool } from '../postgres-pool.js'

/** SQLSTATEs a concurrent `CREATE … IF NOT EXISTS` / `ADD COLUMN IF NOT EXISTS` may raise. */
const RACE_CODES = new Set(['23505', '42P06', '42P07', '42701', '42710'])

function isCreationRace(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && RACE_CODES.has(code)
}

const TIMESTAMP_COMMON = new Set(['received_at', 'sent_at', 'timestamp', 'original_timestamp'])

/** The columns a table is created with (all other columns come with the data). */
export function fixedColumns(table: string): Array<[string, WarehouseType]> {
  if (table === 'users' || table === 'accounts') {
    return STATE_COLUMNS.map((c) => [c, c === 'id' ? 'text' : 'timestamp'])
  }
  const columns: Array<[string, WarehouseType]> = COMMON_COLUMNS.map((c) => [
    c,
    TIMESTAMP_COMMON.has(c) || c === 'uuid_ts' ? 'timestamp' : 'text',
  ])
  const isEventTable = !(STANDARD_TABLES as readonly string[]).includes(table)
  if (table === 'tracks' || isEventTable) columns.push(['event', 'text'], ['event_text', 'text'])
  if (table === 'pages' || table === 'screens') columns.push(['name', 'text'])
  if (table === 'groups') columns.push(['group_id', 'text'])
  if (table === 'aliases') columns.push(['previous_id', 'text'])
  return columns
}

/** Options of {@link WarehouseCatalog}. */
export interface WarehouseCatalogOptions {
  /** How long DDL waits for a table lock (held by running loads) before failing, in ms. */
  lockTimeoutMs: number
}

export class WarehouseCatalog {
  /** `schema.table` → columns; a table known not to exist is absent after a refresh. */
  private readonly tables = new Map<string, Map<string, ColumnType>>()
  private readonly schemas = new Set<string>()

  constructor(
    private readonly pool: PostgresPool,
    private readonly options: WarehouseCatalogOptions,
  ) {}

  /** The cached columns of a table; undefined when unknown (not yet read, or missing). */
  columns(schema: string, table: string): ReadonlyMap<string, ColumnType> | undefined {
    return this.tables.get(`${schema}.${table}`)
  }

  /** Forgets a table (after an "undefined column/table" error: someone changed it by hand). */
  invalidate(schema: string, table: string): void {
    this.tables.delete(`${schema}.${table}`)
    this.schemas.delete(schema)
  }

  /** Reads the tables' columns from `information_schema`; missing tables stay unknown. */
  async refresh(schema: string, tables: readonly string[]): Promise<void> {
    const result = await this.pool.query<{ t: string; c: string; d: string }>(
      `SELECT table_name AS t, column_name AS c, data_type AS d FROM information_schema.columns
       WHERE table_schema = $1 AND table_name = ANY($2::text[])`,
      [schema, tables],
    )
    for (const table of tables) this.tables.delete(`${schema}.${table}`)
    for (const { t, c, d } of result.rows) {
      const key = `${schema}.${t}`
      const columns = this.tables.get(key) ?? new Map<string, ColumnType>()
      columns.set(c, columnTypeOf(d))
      this.tables.set(key, columns)
    }
  }

  /** Creates the schema and the table (with its fixed columns) when missing; then refreshes. */
  async createTable(schema: string, table: string): Promise<void> {
    if (!this.schemas.has(schema)) {
      await this.ddl(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`)
      this.schemas.add(schema)
    }
    const columns = fixedColumns(table).map(([name, type]) => {
      const extra = name === 'id' ? ' PRIMARY KEY' : name === 'uuid_ts' ? ' DEFAULT now()' : ''
      return `${quoteIdentifier(name)} ${SQL_TYPES[type]}${extra}`
    })
    await this.ddl(
      `CREATE TABLE IF NOT EXISTS ${qualifiedName(schema, table)} (${columns.join(', ')})`,
    )
    await this.refresh(schema, [table])
  }

  /** Adds the columns (`ADD COLUMN IF NOT EXISTS`, one statement); then refreshes. */
  async addColumns(
    schema: string,
    table: string,
    columns: ReadonlyMap<string, WarehouseType>,
  ): Promise<void> {
    if (columns.size === 0) return
    const clauses = [...columns].map(
      ([name, type]) => `ADD COLUMN IF NOT EXISTS ${quoteIdentifier(name)} ${SQL_TYPES[type]}`,
    )
    await this.ddl(`ALTER TABLE ${qualifiedName(schema, table)} ${clauses.join(', ')}`)
    await this.refresh(schema, [table])
  }

  /** Runs one DDL statement in its own short transaction; a lost creation race is success. */
  private async ddl(sql: string): Promise<void> {
    try {
      await withTransaction(this.pool, async (client) => {
        await client.query(
          `SET LOCAL lock_timeout = ${Math.max(1, Math.floor(this.options.lockTimeoutMs))}`,
        )
        await client.query(sql)
      })
    } catch (error) {
      if (!isCreationRace(error)) throw error
    }
  }
}
