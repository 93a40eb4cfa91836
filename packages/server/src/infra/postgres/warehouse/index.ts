/**
 * The PostgreSQL warehouse destination (`postgres-warehouse`). See README.md for the schema,
 * naming, type and conflict policies.
 */
export { createPostgresWarehouseKind, WAREHOUSE_MAX_BATCH_SIZE } from './postgres-warehouse-kind.js'
export {
  PostgresWarehouseDriver,
  type PostgresWarehouseDriverOptions,
  type WarehouseLoadStats,
  type WarehousePool,
} from './postgres-warehouse-driver.js'
export { postgresWarehouseSettingsSchema, type PostgresWarehouseSettings } from './settings.js'
export { WAREHOUSE_ERROR_CODES, type WarehouseErrorCode } from './warehouse-errors.js'
