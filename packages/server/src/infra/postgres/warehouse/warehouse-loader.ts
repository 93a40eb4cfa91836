/**
 * Loads grouped rows: evolves each table's columns (warehouse-catalog.ts), places values by
 * the type policy (placement.ts), then writes every table in one transaction. A load is all
 * or nothing and idempotent by id: appends ignore ids already present, upserts converge.
 */
import type { ColumnType, WarehouseType } from './column-types.js'
import { insertSql } from './insert-sql.js'
import { placeRows, type PlacedRow, type Placement } from './placement.js'
import type { TableBatch } from './table-batch.js'
import type { WarehouseCatalog } from './warehouse-catalog.js'
import { withTransaction, type PostgresPool } from '../postgres-pool.js'

/** Rows per statement; the JSON parameter of a chunk stays a few MB. */
const CHUNK_ROWS = 2_000
/** Rounds of create-and-refresh before values still without a column are dropped. */
const MAX_ROUNDS = 4

/** A table's rows, placed, ready to write. */
export interface PreparedTable {
  schema: string
  table: string
  upsert: boolean
  rows: PlacedRow[]
  redirected: number
  dropped: number
  columnsAdded: number
}

/** Options of {@link WarehouseLoader}. */
export interface WarehouseLoaderOptions {
  /** Columns a table may have; fields that would need more are dropped (counted). */
  maxColumns: number
  /** Text values are cut at this many characters. */
  stringLimit: number
}

export class WarehouseLoader {
  constructor(
    private readonly pool: PostgresPool,
    private readonly catalog: WarehouseCatalog,
    private readonly options: WarehouseLoaderOptions,
  ) {}

  /**
   * Makes sure the table and the columns its rows need exist, and places the rows. Reads the
   * catalog from the database only on a miss; DDL runs outside the load transaction.
   */
  async prepare(batch: TableBatch): Promise<PreparedTable> {
    const { schema, table } = batch
    const fields = batch.entries.map((entry) => entry.fields)
    const blocked = new Set<string>()
    let refreshed = false
    let columnsAdded = 0
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const columns = this.catalog.columns(schema, table)
      if (columns === undefined) {
        if (refreshed) await this.catalog.createTable(schema, table)
        else await this.catalog.refresh(schema, [table])
        refreshed = true
        continue
      }
      const placement = placeRows(fields, {
        columns,
        blocked,
        stringLimit: this.options.stringLimit,
      })
      if (placement.wanted.size === 0) return this.prepared(batch, placement, columnsAdded)
      if (!refreshed) {
        await this.catalog.refresh(schema, [table])
        refreshed = true
        continue
      }
      const create = this.withinBudget(columns, placement.wanted, blocked)
      await this.catalog.addColumns(schema, table, create)
      columnsAdded += create.size
    }
    // Still wanting columns after the rounds (a racing loader keeps changing types): the
    // remaining values are dropped rather than looping.
    const columns = this.catalog.columns(schema, table) ?? new Map<string, ColumnType>()
    const wanted = placeRows(fields, { columns, blocked, stringLimit: this.options.stringLimit })
    for (const column of wanted.wanted.keys()) blocked.add(column)
    const last = placeRows(fields, { columns, blocked, stringLimit: this.options.stringLimit })
    return this.prepared(batch, last, columnsAdded)
  }

  /** The wanted columns that fit under maxColumns, first seen first; the rest are blocked. */
  private withinBudget(
    columns: ReadonlyMap<string, ColumnType>,
    wanted: ReadonlyMap<string, WarehouseType>,
    blocked: Set<string>,
  ): Map<string, WarehouseType> {
    let budget = this.options.maxColumns - columns.size
    const create = new Map<string, WarehouseType>()
    for (const [column, type] of wanted) {
      if (budget > 0) {
        create.set(column, type)
        budget--
      } else {
        blocked.add(column)
      }
    }
    return create
  }

  private prepared(batch: TableBatch, placement: Placement, columnsAdded: number): PreparedTable {
    return {
      schema: batch.schema,
      table: batch.table,
      upsert: batch.upsert,
      rows: placement.rows,
      redirected: placement.redirected,
      dropped: placement.dropped,
      columnsAdded,
    }
  }

  /**
   * Writes the tables in one transaction, in the given order, in chunks of {@link CHUNK_ROWS}
   * rows. Throws the database's error (the caller classifies it); nothing is written then.
   */
  async write(tables: readonly PreparedTable[], timeoutMs: number): Promise<void> {
    await withTransaction(this.pool, async (client) => {
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`)
      for (const table of tables) {
        for (let start = 0; start < table.rows.length; start += CHUNK_ROWS) {
          const chunk = table.rows.slice(start, start + CHUNK_ROWS)
          const columns = new Set<string>()
          for (const row of chunk) for (const column in row) columns.add(column)
          const sql = insertSql({ ...table, columns: [...columns] })
          await client.query(sql, [JSON.stringify(chunk)])
        }
      }
    })
  }
}
