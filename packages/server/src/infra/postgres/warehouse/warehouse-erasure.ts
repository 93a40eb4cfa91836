/**
 * Deletes a person's rows from a PostgreSQL warehouse (data-subject deletion): every table of
 * the destination's schema(s) with a `user_id` or `anonymous_id` column, and `users` rows by
 * `id`. One transaction, so a failure leaves the warehouse as it was and the request retries.
 */
import type { DeletionRequest } from '../../../destinations/driver.js'
import { withTransaction, type PostgresPool } from '../postgres-pool.js'
import { qualifiedName } from './naming.js'
import type { PostgresWarehouseSettings } from './settings.js'

/** The schemas the destination writes to (see settings): one, or every `<prefix>_*` schema. */
function schemaFilter(settings: PostgresWarehouseSettings): { sql: string; params: string[] } {
  if (!settings.schemaPerSource) {
    return { sql: 'table_schema = $1', params: [settings.schema ?? 'tessera'] }
  }
  if (settings.schema !== undefined) {
    return {
      sql: "table_schema LIKE $1 ESCAPE '\\'",
      params: [`${settings.schema.replaceAll('_', '\\_')}\\_%`],
    }
  }
  // Schema per source without a prefix: every user schema holding Segment's tables.
  return {
    sql: `table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg\\_%'
      AND table_schema IN (SELECT table_schema FROM information_schema.tables WHERE table_name = 'tracks')`,
    params: [],
  }
}

/** Rows removed per `schema.table`. */
export async function eraseFromWarehouse(
  pool: PostgresPool,
  settings: PostgresWarehouseSettings,
  request: DeletionRequest,
): Promise<Record<string, number>> {
  const filter = schemaFilter(settings)
  const columns = await pool.query<{
    table_schema: string
    table_name: string
    column_name: string
  }>(
    `SELECT table_schema, table_name, column_name FROM information_schema.columns
     WHERE ${filter.sql} AND column_name IN ('user_id', 'anonymous_id', 'id')
     ORDER BY table_schema, table_name, column_name`,
    filter.params,
  )
  const removed: Record<string, number> = {}
  await withTransaction(pool, async (client) => {
    for (const c of columns.rows) {
      const isUsersId = c.column_name === 'id' && c.table_name === 'users'
      if (c.column_name === 'id' && !isUsersId) continue
      const values = c.column_name === 'anonymous_id' ? request.anonymousIds : request.userIds
      if (values.length === 0) continue
      const result = await client.query(
        `DELETE FROM ${qualifiedName(c.table_schema, c.table_name)} WHERE "${c.column_name}" = ANY($1::text[])`,
        [values],
      )
      const key = `${c.table_schema}.${c.table_name}`
      removed[key] = (removed[key] ?? 0) + (result.rowCount ?? 0)
    }
  })
  return removed
}
