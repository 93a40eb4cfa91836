/**
 * The `postgres-warehouse` driver: writes each batch into Segment's warehouse schema
 * (README.md). Ordering: a batch is one transaction; tables are written in name order.
 * Idempotency: rows are keyed by messageId (`id`), so a redelivered event is ignored by the
 * append tables and converges in `users` / `accounts`. Failures: connection, timeout and
 * contention errors retry the whole batch; a row the database refuses is isolated by loading
 * the batch event by event, and only the refused events fail (`WAREHOUSE_DATA_ERROR`).
 */
import type { Logger } from '../../../platform/logger/index.js'
import type {
  DeletionOutcome,
  DeletionRequest,
  DeliveryContext,
  DeliveryOutcome,
  DestinationDriver,
} from '../../../destinations/driver.js'
import type { DeliveryEvent } from '../../../destinations/model.js'
import type { PostgresPool } from '../postgres-pool.js'
import { eventRows } from './event-rows.js'
import { sourceSchemaName } from './naming.js'
import type { PostgresWarehouseSettings } from './settings.js'
import { groupByTable, type LoadItem } from './table-batch.js'
import { WarehouseCatalog } from './warehouse-catalog.js'
import { classifyWarehouseError, isDataError, type WarehouseError } from './warehouse-errors.js'
import { eraseFromWarehouse } from './warehouse-erasure.js'
import { WarehouseLoader, type PreparedTable } from './warehouse-loader.js'

/** The pool the driver owns: the shared subset plus `end()`. A `pg.Pool` satisfies it. */
export interface WarehousePool extends PostgresPool {
  end(): Promise<void>
}

/** Counters since the driver was created. */
export interface WarehouseLoadStats {
  eventsDelivered: number
  eventsFailed: number
  /** Rows sent in committed loads (duplicates the database ignored included). */
  rowsWritten: number
  /** Values written to a companion column (`<column>_<type>`) because of a type conflict. */
  valuesRedirected: number
  /** Values dropped because no column could take them (maxColumns reached). */
  fieldsDropped: number
  columnsAdded: number
}

/** Options of {@link PostgresWarehouseDriver}. */
export interface PostgresWarehouseDriverOptions {
  pool: WarehousePool
  settings: PostgresWarehouseSettings
  logger: Logger
  /** How long DDL waits for a table lock, in ms. Default 10 000. */
  lockTimeoutMs?: number
}

const DELIVERED: DeliveryOutcome = { status: 'delivered' }

function retryOutcome(error: WarehouseError): DeliveryOutcome {
  return { status: 'retry', error: { code: error.code, message: error.message } }
}

export class PostgresWarehouseDriver implements DestinationDriver {
  private readonly catalog: WarehouseCatalog
  private readonly loader: WarehouseLoader
  private readonly schemas = new Map<string, string>()
  private readonly warnedDrops = new Set<string>()
  private readonly counters: WarehouseLoadStats = {
    eventsDelivered: 0,
    eventsFailed: 0,
    rowsWritten: 0,
    valuesRedirected: 0,
    fieldsDropped: 0,
    columnsAdded: 0,
  }
  private closed: Promise<void> | undefined

  constructor(private readonly options: PostgresWarehouseDriverOptions) {
    const { pool, settings } = options
    this.catalog = new WarehouseCatalog(pool, { lockTimeoutMs: options.lockTimeoutMs ?? 10_000 })
    this.loader = new WarehouseLoader(pool, this.catalog, settings)
  }

  /** See the file comment. Never throws; one outcome per event, in order. */
  async deliver(
    events: readonly DeliveryEvent[],
    ctx: DeliveryContext,
  ): Promise<DeliveryOutcome[]> {
    if (events.length === 0) return []
    const items = events.flatMap((event, eventIndex) => this.itemsOf(event, eventIndex))
    try {
      await this.load(items, ctx.timeoutMs)
      this.counters.eventsDelivered += events.length
      return events.map(() => DELIVERED)
    } catch (error) {
      const failure = classifyWarehouseError(error)
      if (!isDataError(failure)) return events.map(() => retryOutcome(failure))
      return this.isolate(events.length, items, ctx)
    }
  }

  /** Deletes the person's rows from every warehouse table (`warehouse-erasure.ts`). */
  async deleteSubject(request: DeletionRequest): Promise<DeletionOutcome> {
    try {
      const removed = await eraseFromWarehouse(this.options.pool, this.options.settings, request)
      return { status: 'deleted', removed }
    } catch (error) {
      const failure = classifyWarehouseError(error)
      return { status: 'failed', error: { code: failure.code, message: failure.message } }
    }
  }

  /** Counters since creation (a copy). */
  stats(): WarehouseLoadStats {
    return { ...this.counters }
  }

  /** Ends the pool. Idempotent. */
  close(): Promise<void> {
    this.closed ??= this.options.pool.end()
    return this.closed
  }

  private schemaOf(sourceId: string): string {
    const { settings } = this.options
    if (!settings.schemaPerSource) return settings.schema ?? 'tessera'
    let schema = this.schemas.get(sourceId)
    if (schema === undefined) {
      schema = sourceSchemaName(sourceId, settings.schema)
      this.schemas.set(sourceId, schema)
    }
    return schema
  }

  private itemsOf(event: DeliveryEvent, eventIndex: number): LoadItem[] {
    const schema = this.schemaOf(event.sourceId)
    const fallback = { id: event.messageId, receivedAt: new Date(event.receivedAt).toISOString() }
    return eventRows(event.event, fallback).map((row) => ({ eventIndex, schema, row }))
  }

  /** One all-or-nothing load; reloads the catalog and tries once more if it was stale. */
  private async load(items: readonly LoadItem[], timeoutMs: number): Promise<void> {
    const batches = groupByTable(items)
    const attempt = async (): Promise<void> => {
      const prepared: PreparedTable[] = []
      for (const batch of batches) prepared.push(await this.loader.prepare(batch))
      await this.loader.write(prepared, timeoutMs)
      this.count(prepared)
    }
    try {
      await attempt()
    } catch (error) {
      if (classifyWarehouseError(error).code !== 'WAREHOUSE_STALE_SCHEMA') throw error
      for (const batch of batches) this.catalog.invalidate(batch.schema, batch.table)
      await attempt()
    }
  }

  /**
   * Loads event by event after a data error: good events are delivered, refused ones fail.
   * Once a non-data error (connection lost) or a stop happens, the rest are retried.
   */
  private async isolate(
    count: number,
    items: readonly LoadItem[],
    ctx: DeliveryContext,
  ): Promise<DeliveryOutcome[]> {
    const byEvent: LoadItem[][] = Array.from({ length: count }, () => [])
    for (const item of items) byEvent[item.eventIndex]?.push(item)
    const outcomes: DeliveryOutcome[] = []
    let stop: WarehouseError | undefined
    for (const own of byEvent) {
      if (stop === undefined && ctx.signal.aborted) {
        stop = { code: 'WAREHOUSE_STOPPED', message: 'delivery stopped', cause: undefined }
      }
      if (stop !== undefined) {
        outcomes.push(retryOutcome(stop))
        continue
      }
      try {
        await this.load(own, ctx.timeoutMs)
        this.counters.eventsDelivered++
        outcomes.push(DELIVERED)
      } catch (error) {
        const failure = classifyWarehouseError(error)
        if (!isDataError(failure)) {
          stop = failure
          outcomes.push(retryOutcome(failure))
          continue
        }
        this.counters.eventsFailed++
        const message = `${failure.message} (SQLSTATE ${failure.cause ?? 'unknown'})`
        outcomes.push({ status: 'failed', error: { code: failure.code, message } })
      }
    }
    return outcomes
  }

  private count(prepared: readonly PreparedTable[]): void {
    for (const table of prepared) {
      this.counters.rowsWritten += table.rows.length
      this.counters.valuesRedirected += table.redirected
      this.counters.fieldsDropped += table.dropped
      this.counters.columnsAdded += table.columnsAdded
      const key = `${table.schema}.${table.table}`
      if (table.dropped > 0 && !this.warnedDrops.has(key)) {
        this.warnedDrops.add(key)
        this.options.logger.warn(
          { table: key, dropped: table.dropped, maxColumns: this.options.settings.maxColumns },
          'warehouse table is at maxColumns: new fields are dropped',
        )
      }
    }
  }
}
