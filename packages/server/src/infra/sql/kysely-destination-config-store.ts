import type { Kysely } from 'kysely'
import type { DestinationConfigStore, StoredDestination } from '../../destinations/index.js'
import type { TesseraDatabase } from './database.js'
import { num } from './delivery-rows.js'

const DELIVERY_TABLES = [
  'delivery_lanes',
  'delivery_retries',
  'delivery_dead_letters',
  'delivery_errors',
  'delivery_backfills',
  'delivery_stats',
] as const

/** {@link DestinationConfigStore} over the shared schema. */
export class KyselyDestinationConfigStore implements DestinationConfigStore {
  constructor(private readonly db: Kysely<TesseraDatabase>) {}

  async list(): Promise<StoredDestination[]> {
    const rows = await this.db.selectFrom('destinations').selectAll().orderBy('id').execute()
    return rows.map(toStored)
  }

  async get(id: string): Promise<StoredDestination | null> {
    const row = await this.db
      .selectFrom('destinations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? toStored(row) : null
  }

  async put(destination: StoredDestination): Promise<void> {
    await this.db
      .insertInto('destinations')
      .values({
        id: destination.id,
        config: destination.config,
        created_at: destination.createdAt,
        updated_at: destination.updatedAt,
      })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          config: destination.config,
          updated_at: destination.updatedAt,
        }),
      )
      .execute()
  }

  async delete(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx.deleteFrom('destinations').where('id', '=', id).executeTakeFirst()
      for (const table of DELIVERY_TABLES) {
        await trx.deleteFrom(table).where('destination_id', '=', id).execute()
      }
      return Number(result.numDeletedRows) > 0
    })
  }
}

function toStored(row: {
  id: string
  config: string
  created_at: number
  updated_at: number
}): StoredDestination {
  return {
    id: row.id,
    config: row.config,
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  }
}
