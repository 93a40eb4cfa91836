/**
 * The `postgres-warehouse` destination type: Segment's warehouse schema in PostgreSQL,
 * loaded in batches as events arrive (README.md).
 */
import pg from 'pg'
import { z } from 'zod'
import type { DestinationKind, DriverDeps } from '../../../destinations/driver.js'
import type { DestinationConfig } from '../../../destinations/model.js'
import { PostgresWarehouseDriver } from './postgres-warehouse-driver.js'
import { postgresWarehouseSettingsSchema } from './settings.js'

/** Events per `deliver` call the type accepts (one transaction each). */
export const WAREHOUSE_MAX_BATCH_SIZE = 5_000

function settingsProblems(settings: unknown): string[] {
  const parsed = postgresWarehouseSettingsSchema.safeParse(settings)
  if (parsed.success) return []
  return parsed.error.issues.map(
    (issue) => `settings${issue.path.map((part) => `.${String(part)}`).join('')}: ${issue.message}`,
  )
}

/**
 * Builds the kind. `validate` stays offline (settings only): an unreachable database shows
 * as retried deliveries (`WAREHOUSE_UNAVAILABLE`), not as an invalid config. `create` opens a
 * lazy pool (no connection until the first batch), sized to the destination's concurrency,
 * with every session in UTC; it throws when the settings do not parse (validate first).
 */
export function createPostgresWarehouseKind(): DestinationKind {
  return {
    type: 'postgres-warehouse',
    title: 'PostgreSQL warehouse',
    description:
      "Loads events into PostgreSQL with Segment's warehouse schema: tracks, identifies, " +
      'users, pages, screens, groups, accounts, aliases and one table per track event.',
    settings: {
      schema: postgresWarehouseSettingsSchema,
      jsonSchema: z.toJSONSchema(postgresWarehouseSettingsSchema, { io: 'input' }),
      secrets: ['connectionString'],
    },
    maxBatchSize: WAREHOUSE_MAX_BATCH_SIZE,
    usesSubscriptions: false,
    supportsDeletion: true,
    validate: (config: DestinationConfig) => Promise.resolve(settingsProblems(config.settings)),
    create: (config: DestinationConfig, deps: DriverDeps) => {
      const settings = postgresWarehouseSettingsSchema.parse(config.settings)
      const pool = new pg.Pool({
        connectionString: settings.connectionString,
        max: config.delivery.concurrency + 1,
        connectionTimeoutMillis: config.delivery.timeoutMs,
        options: '-c TimeZone=UTC',
        application_name: 'tessera-warehouse',
      })
      const logger = deps.logger.child({ destinationId: config.id })
      pool.on('error', (error) => logger.warn({ err: error }, 'idle warehouse connection failed'))
      return Promise.resolve(
        new PostgresWarehouseDriver({
          pool,
          settings,
          logger,
          lockTimeoutMs: config.delivery.timeoutMs,
        }),
      )
    },
  }
}
