import type { Kysely } from 'kysely'
import type { ConsumerOffsets } from '../../events/index.js'
import type { TesseraDatabase } from './database.js'

/** {@link ConsumerOffsets} over the shared schema; offsets only move forward. */
export class KyselyConsumerOffsets implements ConsumerOffsets {
  constructor(private readonly db: Kysely<TesseraDatabase>) {}

  async get(consumer: string): Promise<number> {
    const row = await this.db
      .selectFrom('consumer_offsets')
      .select('offset')
      .where('consumer', '=', consumer)
      .executeTakeFirst()
    return row ? Number(row.offset) : 0
  }

  async commit(consumer: string, offset: number): Promise<void> {
    await this.db
      .insertInto('consumer_offsets')
      .values({ consumer, offset })
      .onConflict((oc) =>
        oc
          .column('consumer')
          .doUpdateSet((eb) => ({ offset: eb.ref('excluded.offset') }))
          .whereRef('consumer_offsets.offset', '<', 'excluded.offset'),
      )
      .execute()
  }
}
