import { join } from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type {
  IdentifierRecord,
  IdentityEdge,
  IdentityOverride,
  IdentitySourceEvent,
  ProfileEventRecord,
  ProfileRecord,
  RebuildRecord,
} from '../../identity/model.js'
import type { TraitCorrection } from '../../identity/trait-corrections.js'
import type { ProfileQuery } from '../../identity/index.js'
import { migrateSqlite } from '../sqlite/open-sqlite-storage.js'
import type { TesseraDatabase } from './database.js'
import type { RegulationDatabase } from './regulation-tables.js'
import { KyselyProfileQuery } from './kysely-profile-query.js'

/** Rows of the identity graph and of the event store, in domain terms. */
export interface IdentityRowsFixture {
  /** Stored events (`events` table); `name`, `userId` and `anonymousId` come from the payload. */
  events?: IdentitySourceEvent[]
  profiles?: ProfileRecord[]
  identifiers?: IdentifierRecord[]
  profileEvents?: ProfileEventRecord[]
  /** Inserted in order: their ids ascend in this order. */
  edges?: IdentityEdge[]
  overrides?: Array<Omit<IdentityOverride, 'id'>>
  rebuilds?: RebuildRecord[]
  /** Trait corrections (`trait_corrections`), ids ascending in this order. */
  corrections?: Array<Omit<TraitCorrection, 'id'>>
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null)

function eventRow(e: IdentitySourceEvent) {
  const payload = JSON.parse(e.payload) as Record<string, unknown>
  return {
    seq: e.seq,
    message_id: e.messageId,
    source_id: e.sourceId,
    type: e.type,
    name: text(e.type === 'track' ? payload.event : payload.name),
    user_id: text(payload.userId),
    anonymous_id: text(payload.anonymousId),
    received_at: e.timestamp,
    timestamp: e.timestamp,
    payload: e.payload,
  }
}

function profileRow(p: ProfileRecord) {
  return {
    id: p.id,
    collection: p.collection,
    component_id: p.componentId,
    traits: JSON.stringify(p.traits),
    counts: JSON.stringify(p.counts),
    merges: p.merges,
    first_seen: p.firstSeen,
    last_seen: p.lastSeen,
    first_message_id: p.firstMessageId,
    first_source_id: p.firstSourceId,
    last_message_id: p.lastMessageId,
    last_source_id: p.lastSourceId,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  }
}

function identifierRow(i: IdentifierRecord) {
  return {
    collection: i.collection,
    type: i.type,
    value: i.value,
    component_id: i.componentId,
    profile_id: i.profileId,
    added_at: i.addedAt,
    first_seen: i.firstSeen,
    first_message_id: i.firstMessageId,
    first_source_id: i.firstSourceId,
  }
}

function profileEventRow(e: ProfileEventRecord) {
  return {
    seq: e.seq,
    collection: e.collection,
    component_id: e.componentId,
    profile_id: e.profileId,
    order_key: e.orderKey,
    timestamp: e.timestamp,
    message_id: e.messageId,
    identifiers: JSON.stringify(e.identifiers),
  }
}

function edgeRow(e: IdentityEdge) {
  return {
    collection: e.collection,
    component_id: e.componentId,
    profile_id: e.profileId,
    kind: e.kind,
    from_type: e.from?.type ?? null,
    from_value: e.from?.value ?? null,
    to_type: e.to.type,
    to_value: e.to.value,
    rule: e.rule,
    merged_profile_id: e.mergedProfileId,
    seq: e.seq,
    message_id: e.messageId,
    source_id: e.sourceId,
    timestamp: e.timestamp,
  }
}

function overrideRow(o: Omit<IdentityOverride, 'id'>) {
  return {
    collection: o.collection,
    kind: o.kind,
    a_type: o.a.type,
    a_value: o.a.value,
    b_type: o.b?.type ?? null,
    b_value: o.b?.value ?? null,
    reason: o.reason,
    actor: o.actor,
    created_at: o.createdAt,
  }
}

function rebuildRow(r: RebuildRecord) {
  return {
    collection: r.collection,
    component_ids: JSON.stringify(r.componentIds),
    reason: r.reason,
    events: r.events,
    profiles_before: JSON.stringify(r.profilesBefore),
    profiles_after: JSON.stringify(r.profilesAfter),
    actor: r.actor,
    at: r.at,
  }
}

/**
 * Test support: writes identity rows straight into the tables, bypassing resolution, so the
 * read side can be tested on a graph of known shape. Not used by the platform. Rows are
 * inserted one statement per row, table by table in the fixture's order, in one transaction.
 */
export async function seedIdentityRows(
  db: Kysely<TesseraDatabase>,
  fixture: IdentityRowsFixture,
): Promise<void> {
  const tables = [
    ['events', (fixture.events ?? []).map(eventRow)],
    ['profiles', (fixture.profiles ?? []).map(profileRow)],
    ['identity_identifiers', (fixture.identifiers ?? []).map(identifierRow)],
    ['profile_events', (fixture.profileEvents ?? []).map(profileEventRow)],
    ['identity_edges', (fixture.edges ?? []).map(edgeRow)],
    ['identity_overrides', (fixture.overrides ?? []).map(overrideRow)],
    ['identity_rebuilds', (fixture.rebuilds ?? []).map(rebuildRow)],
  ] as const
  await db.transaction().execute(async (tx) => {
    for (const [table, rows] of tables) {
      for (const row of rows) await tx.insertInto(table).values(row).execute()
    }
    const corrections = tx.withTables<Omit<RegulationDatabase, keyof TesseraDatabase>>()
    for (const c of fixture.corrections ?? []) {
      await corrections
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
        .execute()
    }
  })
}

/**
 * Test support: a migrated SQLite database at `<dir>/tessera.db` holding `fixture`, with a
 * {@link KyselyProfileQuery} over it. `close()` closes the database (not the folder).
 */
export async function openSeededSqliteProfiles(
  dir: string,
  fixture: IdentityRowsFixture,
): Promise<{ profiles: ProfileQuery; close: () => Promise<void> }> {
  const sqlite = new Database(join(dir, 'tessera.db'))
  migrateSqlite(sqlite)
  const db = new Kysely<TesseraDatabase>({ dialect: new SqliteDialect({ database: sqlite }) })
  await seedIdentityRows(db, fixture)
  return { profiles: new KyselyProfileQuery(db), close: () => db.destroy() }
}
