import type { Kysely, Selectable } from 'kysely'
import { SourcesErrors, type Source, type SourceStore } from '../../sources/index.js'
import type { SourcesTable, TesseraDatabase } from './database.js'

function toSource(row: Selectable<SourcesTable>): Source {
  return {
    id: row.id,
    name: row.name,
    writeKeys: JSON.parse(row.write_keys) as Source['writeKeys'],
    allowedOrigins:
      row.allowed_origins === null ? null : (JSON.parse(row.allowed_origins) as string[]),
    rateLimit: row.rate_limit === null ? null : (JSON.parse(row.rate_limit) as Source['rateLimit']),
    managed: false,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  }
}

/** {@link SourceStore} over the shared schema. Write-key uniqueness is a primary key. */
export class KyselySourceStore implements SourceStore {
  constructor(
    private readonly db: Kysely<TesseraDatabase>,
    private readonly isUniqueViolation: (error: unknown) => boolean,
  ) {}

  async list(): Promise<Source[]> {
    const rows = await this.db
      .selectFrom('sources')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    return rows.map(toSource)
  }

  async get(id: string): Promise<Source | null> {
    const row = await this.db
      .selectFrom('sources')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? toSource(row) : null
  }

  async put(source: Source): Promise<void> {
    const row = {
      id: source.id,
      name: source.name,
      write_keys: JSON.stringify(source.writeKeys),
      allowed_origins:
        source.allowedOrigins === null ? null : JSON.stringify(source.allowedOrigins),
      rate_limit: source.rateLimit === null ? null : JSON.stringify(source.rateLimit),
      created_at: source.createdAt,
      updated_at: source.updatedAt,
    }
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('sources')
          .values(row)
          .onConflict((oc) => oc.column('id').doUpdateSet({ ...row, id: undefined }))
          .execute()
        await trx.deleteFrom('source_write_keys').where('source_id', '=', source.id).execute()
        if (source.writeKeys.length > 0) {
          await trx
            .insertInto('source_write_keys')
            .values(source.writeKeys.map((wk) => ({ write_key: wk.key, source_id: source.id })))
            .execute()
        }
      })
    } catch (error) {
      if (this.isUniqueViolation(error)) {
        throw SourcesErrors.writeKeyTaken(undefined, { cause: error })
      }
      throw error
    }
  }

  async delete(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('source_write_keys').where('source_id', '=', id).execute()
      const result = await trx.deleteFrom('sources').where('id', '=', id).executeTakeFirst()
      return Number(result.numDeletedRows) > 0
    })
  }
}
