/**
 * {@link PreferenceStore} on the `preference_changes` table (tessera.db / PostgreSQL), one
 * Kysely implementation for both.
 */
import type { Kysely } from 'kysely'
import type {
  PreferenceActor,
  PreferenceChange,
  PreferenceStore,
  PreferenceValues,
  StoredPreferenceChange,
} from '../../consent/index.js'
import type { TesseraDatabase } from './database.js'

export class KyselyPreferenceStore implements PreferenceStore {
  constructor(private readonly db: Kysely<TesseraDatabase>) {}

  async append(change: PreferenceChange): Promise<StoredPreferenceChange> {
    const row = await this.db
      .insertInto('preference_changes')
      .values({
        identifier_type: change.identifier.type,
        identifier_value: change.identifier.value,
        at: change.at,
        actor: JSON.stringify(change.actor),
        changes: JSON.stringify(change.values),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return { ...change, id: Number(row.id) }
  }

  async changes(
    identifiers: ReadonlyArray<{ type: string; value: string }>,
    limit: number,
  ): Promise<StoredPreferenceChange[]> {
    if (identifiers.length === 0) return []
    const rows = await this.db
      .selectFrom('preference_changes')
      .selectAll()
      .where((eb) =>
        eb.or(
          identifiers.map((i) =>
            eb.and([eb('identifier_type', '=', i.type), eb('identifier_value', '=', i.value)]),
          ),
        ),
      )
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute()
    return rows.reverse().map((row) => ({
      id: Number(row.id),
      identifier: { type: row.identifier_type, value: row.identifier_value },
      at: Number(row.at),
      actor: JSON.parse(row.actor) as PreferenceActor,
      values: JSON.parse(row.changes) as PreferenceValues,
    }))
  }

  async identifiers(limit: number): Promise<Array<{ type: string; value: string }>> {
    const rows = await this.db
      .selectFrom('preference_changes')
      .select(['identifier_type', 'identifier_value'])
      .distinct()
      .orderBy('identifier_type')
      .orderBy('identifier_value')
      .limit(limit)
      .execute()
    return rows.map((r) => ({ type: r.identifier_type, value: r.identifier_value }))
  }
}
