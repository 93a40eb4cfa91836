import type { Kysely, Selectable } from 'kysely'
import type { Page } from '../../events/index.js'
import { IdentityErrors, type Collection, type TraitCorrection } from '../../identity/index.js'
import type {
  ErasureSubject,
  ErasureTarget,
  NewTraitCorrection,
  TraitCorrectionStore,
} from '../../regulations/index.js'
import type { TesseraDatabase } from './database.js'
import type { RegulationDatabase, TraitCorrectionsTable } from './regulation-tables.js'
import { chunks } from './stored-events.js'

type Db = Kysely<RegulationDatabase>

/** The regulation tables (where `trait_corrections` is) on a store connection. */
const withCorrections = (db: Kysely<TesseraDatabase>): Db =>
  db.withTables<Omit<RegulationDatabase, keyof TesseraDatabase>>()

/** Profile ids or identifiers per `IN (…)` list: under both dialects' parameter limits. */
const CHUNK = 500

const parseJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text))

export function toTraitCorrection(row: Selectable<TraitCorrectionsTable>): TraitCorrection {
  return {
    id: Number(row.id),
    profileId: row.profile_id,
    collection: row.collection as Collection,
    identifier: { type: row.identifier_type, value: row.identifier_value },
    trait: row.trait,
    value: parseJson(row.value),
    removed: row.value === null,
    previous: parseJson(row.previous),
    reason: row.reason,
    actor: row.actor,
    createdAt: Number(row.created_at),
  }
}

/**
 * The corrections keyed by an identifier each profile holds now (same collection), per
 * profile id, ascending by id. One statement per chunk of profiles.
 */
export async function correctionsOfProfiles(
  store: Kysely<TesseraDatabase>,
  profileIds: readonly string[],
): Promise<Map<string, TraitCorrection[]>> {
  const db = withCorrections(store)
  const byProfile = new Map<string, TraitCorrection[]>()
  for (const ids of chunks([...new Set(profileIds)], CHUNK)) {
    const rows = await db
      .selectFrom('identity_identifiers as i')
      .innerJoin('trait_corrections as c', (join) =>
        join
          .onRef('c.identifier_type', '=', 'i.type')
          .onRef('c.identifier_value', '=', 'i.value')
          .onRef('c.collection', '=', 'i.collection'),
      )
      .selectAll('c')
      .select('i.profile_id as owner')
      .where('i.profile_id', 'in', ids)
      .orderBy('c.id')
      .execute()
    for (const { owner, ...row } of rows) {
      if (owner === null) continue
      const list = byProfile.get(owner) ?? []
      list.push(toTraitCorrection(row))
      byProfile.set(owner, list)
    }
  }
  return byProfile
}

function decodeCursor(cursor: string): number {
  let parts: unknown
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch (error) {
    throw IdentityErrors.invalidCursor(undefined, { cause: error })
  }
  if (!Array.isArray(parts) || parts.length !== 1 || !Number.isSafeInteger(parts[0])) {
    throw IdentityErrors.invalidCursor()
  }
  return parts[0] as number
}

/**
 * {@link TraitCorrectionStore} on the `trait_corrections` table (SQLite migration 0006 and
 * 0010, PostgreSQL 0008 and 0012), for both dialects. Values are JSON text; a null `value` is
 * a removal.
 */
export class KyselyTraitCorrectionStore implements TraitCorrectionStore {
  private readonly db: Db

  constructor(db: Kysely<TesseraDatabase>) {
    this.db = withCorrections(db)
  }

  append(corrections: readonly NewTraitCorrection[]): Promise<TraitCorrection[]> {
    return this.db.transaction().execute(async (tx) => {
      const stored: TraitCorrection[] = []
      for (const c of corrections) {
        const row = await tx
          .insertInto('trait_corrections')
          .values({
            profile_id: c.profileId,
            collection: c.collection,
            identifier_type: c.identifier.type,
            identifier_value: c.identifier.value,
            trait: c.trait,
            value: c.removed ? null : JSON.stringify(c.value),
            previous: c.previous === null ? null : JSON.stringify(c.previous),
            reason: c.reason,
            actor: c.actor,
            created_at: c.createdAt,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        stored.push({ ...c, id: Number(row.id) })
      }
      return stored
    })
  }

  async list(
    profileId: string,
    options: { limit: number; cursor?: string },
  ): Promise<Page<TraitCorrection>> {
    let query = this.db
      .selectFrom('identity_identifiers as i')
      .innerJoin('trait_corrections as c', (join) =>
        join
          .onRef('c.identifier_type', '=', 'i.type')
          .onRef('c.identifier_value', '=', 'i.value')
          .onRef('c.collection', '=', 'i.collection'),
      )
      .selectAll('c')
      .where('i.profile_id', '=', profileId)
      .orderBy('c.id', 'desc')
      .limit(options.limit + 1)
    if (options.cursor !== undefined) query = query.where('c.id', '<', decodeCursor(options.cursor))
    const rows = await query.execute()
    const kept = rows.slice(0, options.limit).map(toTraitCorrection)
    const last = kept.at(-1)
    const next =
      rows.length > options.limit && last !== undefined
        ? Buffer.from(JSON.stringify([last.id])).toString('base64url')
        : null
    return { data: kept, next }
  }

  async ofSubject(subject: ErasureSubject): Promise<TraitCorrection[]> {
    const byId = new Map<number, TraitCorrection>()
    for (const ids of chunks(subject.profileIds, CHUNK)) {
      const rows = await this.db
        .selectFrom('trait_corrections')
        .selectAll()
        .where('profile_id', 'in', ids)
        .execute()
      for (const r of rows) byId.set(Number(r.id), toTraitCorrection(r))
    }
    for (const id of subject.identifiers) {
      const rows = await this.db
        .selectFrom('trait_corrections')
        .selectAll()
        .where('identifier_type', '=', id.type)
        .where('identifier_value', '=', id.value)
        .execute()
      for (const r of rows) byId.set(Number(r.id), toTraitCorrection(r))
    }
    return [...byId.values()].sort((a, b) => a.id - b.id)
  }
}

/**
 * Erasure of the subject's trait corrections: rows made on one of its profiles or keyed by one
 * of its identifiers. Idempotent (a second run deletes nothing).
 */
export function traitCorrectionsErasure(store: Kysely<TesseraDatabase>): ErasureTarget {
  const db = withCorrections(store)
  return {
    name: 'trait_corrections',
    async erase(subject) {
      let removed = 0
      for (const ids of chunks(subject.profileIds, CHUNK)) {
        const r = await db
          .deleteFrom('trait_corrections')
          .where('profile_id', 'in', ids)
          .executeTakeFirst()
        removed += Number(r.numDeletedRows)
      }
      for (const id of subject.identifiers) {
        const r = await db
          .deleteFrom('trait_corrections')
          .where('identifier_type', '=', id.type)
          .where('identifier_value', '=', id.value)
          .executeTakeFirst()
        removed += Number(r.numDeletedRows)
      }
      return { trait_corrections: removed }
    },
  }
}
