/**
 * Settings of the `postgres-warehouse` destination type, with their defaults.
 */
import { z } from 'zod'

/** A schema name we accept as is: lower-case letters, digits and `_`, at most 63 bytes. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

export const postgresWarehouseSettingsSchema = z
  .object({
    connectionString: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .describe('PostgreSQL connection URL, e.g. `postgres://loader@db:5432/analytics`. Secret.'),
    schema: z
      .string()
      .regex(SCHEMA_NAME, 'lower-case letters, digits and _, starting with a letter or _')
      .optional()
      .describe(
        'With schemaPerSource: a prefix of every source schema (`<schema>_<source>`). ' +
          'Without: the one schema every source writes to (default `tessera`).',
      ),
    schemaPerSource: z
      .boolean()
      .default(true)
      .describe('One schema per source, named after the snake-cased source id (as Segment).'),
    maxColumns: z
      .number()
      .int()
      .min(20)
      .max(1600)
      .default(1000)
      .describe('Columns a table may have; new fields beyond it are dropped and counted.'),
    stringLimit: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .default(512)
      .describe('Text values are cut at this many characters (Segment: 512).'),
  })
  .strict()

/** Parsed settings (defaults applied). */
export type PostgresWarehouseSettings = z.output<typeof postgresWarehouseSettingsSchema>
