import { sql, type ExpressionBuilder, type Kysely, type RawBuilder, type SqlBool } from 'kysely'
import type { Page } from '../../events/index.js'
import {
  applyTraitCorrections,
  IdentityErrors,
  type Collection,
  type Identifier,
  type IdentifierRecord,
  type IdentityOverride,
  type ProfileQuery,
  type ProfileRecord,
  type ProfileTimelineEvent,
  type RebuildRecord,
  type StoredIdentityEdge,
} from '../../identity/index.js'
import type { TesseraDatabase } from './database.js'
import {
  splitIdentifierKey,
  toIdentifierRecord,
  toIdentityEdge,
  toOverride,
  toProfileRecord,
} from './identity-rows.js'
import { correctionsOfProfiles } from './kysely-trait-corrections.js'

type Db = Kysely<TesseraDatabase>
type KeyPart = string | number

/** Opaque keyset cursor: the sort key of the last row of a page, as base64url JSON. */
function encodeKey(parts: readonly KeyPart[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url')
}

/** Decodes {@link encodeKey} for a key of these kinds (`n` number, `s` string). */
function decodeKey(cursor: string, kinds: string): KeyPart[] {
  let parts: unknown
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch (error) {
    throw IdentityErrors.invalidCursor(undefined, { cause: error })
  }
  const valid =
    Array.isArray(parts) &&
    parts.length === kinds.length &&
    parts.every((p, i) => (kinds[i] === 'n' ? Number.isSafeInteger(p) : typeof p === 'string'))
  if (!valid) throw IdentityErrors.invalidCursor()
  return parts as KeyPart[]
}

/** `text` with LIKE wildcards escaped (escape character `\`). */
const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`)

/** Case-insensitive LIKE, the same on SQLite and PostgreSQL. */
const likeCi = (column: string, pattern: string) =>
  sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`

/** True when a string, number or boolean leaf of `value` contains `needle` (lower case). */
function valueContains(value: unknown, needle: string): boolean {
  if (value !== null && typeof value === 'object') {
    return Object.values(value).some((v) => valueContains(v, needle))
  }
  const scalar =
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
  return scalar && String(value).toLowerCase().includes(needle)
}

/** Whether a trait value (never a trait name or provenance field) contains `needle`. */
function traitsContain(profile: ProfileRecord, needle: string): boolean {
  return Object.values(profile.traits).some((trait) => valueContains(trait.value, needle))
}

/** Rows whose `(a, b)` come after `key` in ascending (`>`) or descending (`<`) keyset order. */
function after(
  columns: readonly [string, string],
  key: readonly [KeyPart, KeyPart],
  op: '>' | '<',
): RawBuilder<SqlBool> {
  const [a, b] = [sql.ref(columns[0]), sql.ref(columns[1])]
  return sql<SqlBool>`(${a} ${sql.raw(op)} ${key[0]} or (${a} = ${key[0]} and ${b} ${sql.raw(op)} ${key[1]}))`
}

/** Splits `rows` (fetched `limit + 1`) into a page with a cursor made from its last row. */
function toPage<R, T>(rows: R[], limit: number, map: (r: R) => T, key: (r: R) => KeyPart[]) {
  const kept = rows.slice(0, limit)
  const last = kept.at(-1)
  return {
    data: kept.map(map),
    next: rows.length > limit && last !== undefined ? encodeKey(key(last)) : null,
  }
}

/** Searches by at most this many rows per statement when trait matches are checked in code. */
const SEARCH_BATCH = 200
/** `overrides` looks identifiers up in chunks of this many (bound-parameter limits). */
const OVERRIDE_CHUNK = 200

/**
 * {@link ProfileQuery} over the shared schema (migration 0002_identity), for SQLite and
 * PostgreSQL alike. Every method is a read of committed rows; none writes. Cursors are keysets
 * of the method's sort order (opaque base64url JSON), so pages stay stable while rows are
 * added; a malformed cursor is `IDENTITY_INVALID_CURSOR`.
 */
export class KyselyProfileQuery implements ProfileQuery {
  constructor(private readonly db: Db) {}

  async findByIdentifier(collection: Collection, id: Identifier): Promise<ProfileRecord | null> {
    const row = await this.db
      .selectFrom('identity_identifiers as i')
      .innerJoin('profiles as p', 'p.id', 'i.profile_id')
      .selectAll('p')
      .where('i.collection', '=', collection)
      .where('i.type', '=', id.type)
      .where('i.value', '=', id.value)
      .executeTakeFirst()
    return row ? ((await this.corrected([toProfileRecord(row)]))[0] ?? null) : null
  }

  async get(profileId: string): Promise<ProfileRecord | null> {
    const row = await this.db
      .selectFrom('profiles')
      .selectAll()
      .where('id', '=', profileId)
      .executeTakeFirst()
    return row ? ((await this.corrected([toProfileRecord(row)]))[0] ?? null) : null
  }

  /**
   * The profiles with their trait corrections applied (`applyTraitCorrections`): those keyed
   * by any identifier each profile holds now, so merges and rebuilds keep them.
   */
  private async corrected(profiles: ProfileRecord[]): Promise<ProfileRecord[]> {
    if (profiles.length === 0) return profiles
    const byProfile = await correctionsOfProfiles(
      this.db,
      profiles.map((p) => p.id),
    )
    if (byProfile.size === 0) return profiles
    return profiles.map((p) => {
      const corrections = byProfile.get(p.id)
      return corrections ? { ...p, traits: applyTraitCorrections(p.traits, corrections) } : p
    })
  }

  async identifiers(
    profileId: string,
    options: { limit: number; cursor?: string; types?: string[] },
  ): Promise<Page<IdentifierRecord>> {
    let query = this.db
      .selectFrom('identity_identifiers')
      .selectAll()
      .where('profile_id', '=', profileId)
      .orderBy('first_seen')
      .orderBy('type')
      .orderBy('value')
      .limit(options.limit + 1)
    if (options.types !== undefined) {
      if (options.types.length === 0) return { data: [], next: null }
      query = query.where('type', 'in', options.types)
    }
    if (options.cursor !== undefined) {
      const [seen, type, value] = decodeKey(options.cursor, 'nss') as [number, string, string]
      query = query.where((eb) =>
        eb.or([
          eb('first_seen', '>', seen),
          eb.and([eb('first_seen', '=', seen), after(['type', 'value'], [type, value], '>')]),
        ]),
      )
    }
    const rows = await query.execute()
    return toPage(rows, options.limit, toIdentifierRecord, (r) => [
      Number(r.first_seen),
      r.type,
      r.value,
    ])
  }

  async events(
    profileId: string,
    options: {
      limit: number
      cursor?: string
      start?: number
      end?: number
      include?: string[]
      exclude?: string[]
      sort?: 'asc' | 'desc'
    },
  ): Promise<Page<ProfileTimelineEvent>> {
    const direction = options.sort ?? 'desc'
    let query = this.db
      .selectFrom('profile_events as pe')
      .innerJoin('events as e', 'e.seq', 'pe.seq')
      .select(['pe.seq', 'pe.timestamp', 'e.source_id', 'e.type', 'e.message_id', 'e.payload'])
      .where('pe.profile_id', '=', profileId)
      .orderBy('pe.timestamp', direction)
      .orderBy('pe.seq', direction)
      .limit(options.limit + 1)
    if (options.start !== undefined) query = query.where('pe.timestamp', '>=', options.start)
    if (options.end !== undefined) query = query.where('pe.timestamp', '<', options.end)
    const { include, exclude } = options
    if (include !== undefined) {
      if (include.length === 0) return { data: [], next: null }
      query = query.where('e.name', 'in', include)
    }
    if (exclude !== undefined && exclude.length > 0) {
      query = query.where((eb) =>
        eb.or([eb('e.name', 'is', null), eb('e.name', 'not in', exclude)]),
      )
    }
    if (options.cursor !== undefined) {
      const key = decodeKey(options.cursor, 'nn') as [number, number]
      const op = direction === 'desc' ? '<' : '>'
      query = query.where(after(['pe.timestamp', 'pe.seq'], key, op))
    }
    const rows = await query.execute()
    const toEvent = (r: (typeof rows)[number]): ProfileTimelineEvent => ({
      seq: Number(r.seq),
      sourceId: r.source_id,
      type: r.type,
      messageId: r.message_id,
      timestamp: Number(r.timestamp),
      event: JSON.parse(r.payload) as Record<string, unknown>,
    })
    return toPage(rows, options.limit, toEvent, (r) => [Number(r.timestamp), Number(r.seq)])
  }

  async links(profileId: string, limit: number): Promise<ProfileRecord[]> {
    // A group call is recorded under both collections with one seq: the user side and the
    // account side. Joining them on seq links the profiles each side resolved to now.
    const rows = await this.db
      .selectFrom('profile_events as mine')
      .innerJoin('profile_events as theirs', (join) =>
        join
          .onRef('theirs.seq', '=', 'mine.seq')
          .onRef('theirs.collection', '<>', 'mine.collection'),
      )
      .innerJoin('profiles as p', 'p.id', 'theirs.profile_id')
      .selectAll('p')
      .distinct()
      .where('mine.profile_id', '=', profileId)
      .orderBy('p.last_seen', 'desc')
      .orderBy('p.id')
      .limit(limit)
      .execute()
    return this.corrected(rows.map(toProfileRecord))
  }

  /**
   * Exact identifier matches when there are any (phase `e`), otherwise identifier-prefix and
   * trait-value matches (phase `f`): the cursor keeps the phase, so a search does not switch
   * sets between pages. Trait matches are found with a coarse LIKE over the traits JSON, then
   * checked in code to be in a value. Empty `q`: every profile of the collection.
   */
  async search(
    query: { q: string; collection: Collection },
    options: { limit: number; cursor?: string },
  ): Promise<Page<ProfileRecord>> {
    const q = query.q.trim()
    let phase: KeyPart = q === '' ? 'f' : 'e'
    let key: [number, string] | null = null
    if (options.cursor !== undefined) {
      const [p, seen, id] = decodeKey(options.cursor, 'sns') as [string, number, string]
      if (p !== 'e' && p !== 'f') throw IdentityErrors.invalidCursor()
      phase = p
      key = [seen, id]
    }
    let rows = phase === 'e' ? await this.exactMatches(query.collection, q, key, options.limit) : []
    if (phase === 'e' && rows.length === 0 && key === null) phase = 'f'
    if (phase === 'f') rows = await this.fuzzyMatches(query.collection, q, key, options.limit)
    return toPage(
      rows,
      options.limit,
      (p) => p,
      (p) => [phase, p.lastSeen, p.id],
    )
  }

  /** Profiles holding an identifier whose value is `q`, or which is `type:value` = `q`. */
  private async exactMatches(
    collection: Collection,
    q: string,
    key: [number, string] | null,
    limit: number,
  ): Promise<ProfileRecord[]> {
    const typed = splitIdentifierKey(q)
    let query = this.db
      .selectFrom('profiles as p')
      .selectAll('p')
      .where('p.collection', '=', collection)
      .where('p.id', 'in', (eb) =>
        eb
          .selectFrom('identity_identifiers as i')
          .select('i.profile_id')
          .where('i.collection', '=', collection)
          .where((w) =>
            w.or([
              w('i.value', '=', q),
              w.and([w('i.type', '=', typed.type), w('i.value', '=', typed.value)]),
            ]),
          ),
      )
      .orderBy('p.last_seen', 'desc')
      .orderBy('p.id', 'desc')
      .limit(limit + 1)
    if (key !== null) query = query.where(after(['p.last_seen', 'p.id'], key, '<'))
    return this.corrected((await query.execute()).map(toProfileRecord))
  }

  /** Identifier-prefix or trait-value matches, `limit + 1` at most, newest `lastSeen` first. */
  private async fuzzyMatches(
    collection: Collection,
    q: string,
    start: [number, string] | null,
    limit: number,
  ): Promise<ProfileRecord[]> {
    const needle = q.toLowerCase()
    const matches: ProfileRecord[] = []
    let key = start
    for (;;) {
      const batch = await this.fuzzyBatch(collection, needle, key)
      for (const { profile, idMatch } of batch) {
        if (needle === '' || idMatch || traitsContain(profile, needle)) matches.push(profile)
        if (matches.length > limit) return matches
      }
      const last = batch.at(-1)
      if (batch.length < SEARCH_BATCH || last === undefined) return matches
      key = [last.profile.lastSeen, last.profile.id]
    }
  }

  private async fuzzyBatch(collection: Collection, needle: string, key: [number, string] | null) {
    const idPattern = `${escapeLike(needle)}%`
    // JSON text escapes quotes and backslashes: look for the needle as it is written there.
    const traitPattern = `%${escapeLike(JSON.stringify(needle).slice(1, -1))}%`
    const idMatch = (eb: ExpressionBuilder<TesseraDatabase, 'profiles'>) =>
      eb.exists(
        eb
          .selectFrom('identity_identifiers as i')
          .select('i.type')
          .whereRef('i.profile_id', '=', 'profiles.id')
          .where(likeCi('i.value', idPattern)),
      )
    let query = this.db
      .selectFrom('profiles')
      .selectAll()
      .select((eb) => idMatch(eb).as('id_match'))
      .where('collection', '=', collection)
      .orderBy('last_seen', 'desc')
      .orderBy('id', 'desc')
      .limit(SEARCH_BATCH)
    if (needle !== '') {
      query = query.where((eb) => eb.or([idMatch(eb), likeCi('profiles.traits', traitPattern)]))
    }
    if (key !== null) query = query.where(after(['last_seen', 'id'], key, '<'))
    const rows = await query.execute()
    // Trait matches are checked on the corrected traits: a removed value does not match.
    const profiles = await this.corrected(
      rows.map(({ id_match: _, ...row }) => toProfileRecord(row)),
    )
    return rows.map((row, i) => ({
      profile: profiles[i] ?? toProfileRecord(row),
      idMatch: row.id_match === true || Number(row.id_match) === 1,
    }))
  }

  async history(
    profileId: string,
    options: { limit: number; cursor?: string },
  ): Promise<Page<StoredIdentityEdge>> {
    let query = this.db
      .selectFrom('identity_edges')
      .selectAll()
      .where('profile_id', '=', profileId)
      .orderBy('id')
      .limit(options.limit + 1)
    if (options.cursor !== undefined) {
      const [id] = decodeKey(options.cursor, 'n') as [number]
      query = query.where('id', '>', id)
    }
    const rows = await query.execute()
    return toPage(rows, options.limit, toIdentityEdge, (r) => [Number(r.id)])
  }

  async edges(profileId: string, limit: number): Promise<StoredIdentityEdge[]> {
    return (await this.history(profileId, { limit })).data
  }

  async rebuilds(componentId: string, limit: number): Promise<RebuildRecord[]> {
    // component_ids is a JSON array of strings: a quoted element is an exact match.
    const pattern = `%${escapeLike(JSON.stringify(componentId))}%`
    const rows = await this.db
      .selectFrom('identity_rebuilds')
      .selectAll()
      .where(sql<SqlBool>`component_ids like ${pattern} escape '\\'`)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute()
    return rows.map((r) => ({
      collection: r.collection as Collection,
      componentIds: JSON.parse(r.component_ids) as string[],
      reason: r.reason as RebuildRecord['reason'],
      events: Number(r.events),
      profilesBefore: JSON.parse(r.profiles_before) as string[],
      profilesAfter: JSON.parse(r.profiles_after) as string[],
      actor: r.actor,
      at: Number(r.at),
    }))
  }

  /**
   * Overrides of `collection` naming any of `ids` (as `a` or `b`), oldest first. An empty
   * `ids` lists every override of the collection.
   */
  async overrides(collection: Collection, ids: Identifier[]): Promise<IdentityOverride[]> {
    const base = this.db
      .selectFrom('identity_overrides')
      .selectAll()
      .where('collection', '=', collection)
      .orderBy('id')
    if (ids.length === 0) return (await base.execute()).map(toOverride)
    const byId = new Map<number, IdentityOverride>()
    for (let i = 0; i < ids.length; i += OVERRIDE_CHUNK) {
      const chunk = ids.slice(i, i + OVERRIDE_CHUNK)
      const rows = await base
        .where((eb) =>
          eb.or(
            chunk.flatMap((id) => [
              eb.and([eb('a_type', '=', id.type), eb('a_value', '=', id.value)]),
              eb.and([eb('b_type', '=', id.type), eb('b_value', '=', id.value)]),
            ]),
          ),
        )
        .execute()
      for (const row of rows) byId.set(Number(row.id), toOverride(row))
    }
    return [...byId.values()].sort((x, y) => x.id - y.id)
  }

  async totals(): Promise<{ users: number; accounts: number; identifiers: number }> {
    const profiles = await this.db
      .selectFrom('profiles')
      .select((eb) => ['collection', eb.fn.countAll().as('n')])
      .groupBy('collection')
      .execute()
    const identifiers = await this.db
      .selectFrom('identity_identifiers')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
    const count = (c: Collection) => Number(profiles.find((r) => r.collection === c)?.n ?? 0)
    return {
      users: count('users'),
      accounts: count('accounts'),
      identifiers: Number(identifiers.n),
    }
  }
}
