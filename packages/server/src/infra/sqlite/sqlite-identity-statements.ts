import type { Database, Statement } from 'better-sqlite3'
import type { Collection, IdentifierRecord } from '../../identity/model.js'
import { IDENTIFIER_COLUMNS, PROFILE_COLUMNS, splitIdentifierKey } from '../sql/identity-rows.js'

// Lists of ids or keys travel as one JSON array parameter, expanded by json_each, so a batch of
// thousands of keys is one statement whatever its size (no bind-parameter limit).
const IN_JSON = 'IN (SELECT value FROM json_each(?))'

// `type:value` keys split at the first colon (as splitIdentifierKey in ../sql/identity-rows.ts);
// `n` is the key's position in the array.
const KEYS = `
  SELECT key AS n, substr(value, 1, instr(value, ':') - 1) AS type,
    substr(value, instr(value, ':') + 1) AS value
  FROM json_each(?)`

/** Identifier columns in `identifierFromValues` order; those statements return arrays. */
const I = IDENTIFIER_COLUMNS.map((c) => `i.${c}`).join(', ')

// CROSS JOIN keeps the keys as the outer loop: one primary-key probe per key. Rows carry the
// key's position instead of collection, type and value, which the caller already holds:
// turning column values into JavaScript strings is most of this statement's cost.
const IDENTIFIERS_BY_KEYS = `
  WITH k AS (${KEYS})
  SELECT k.n, i.component_id, i.profile_id, i.added_at, i.first_seen, i.first_message_id,
    i.first_source_id
  FROM k CROSS JOIN identity_identifiers AS i
  WHERE i.collection = ? AND i.type = k.type AND i.value = k.value`

/**
 * The identifier of a row of `identifiersByKeys`, run with `keys` as its JSON parameter.
 */
export function keyedIdentifier(
  collection: Collection,
  keys: readonly string[],
  row: unknown[],
): IdentifierRecord {
  const [n, componentId, profileId, addedAt, firstSeen, firstMessageId, firstSourceId] = row as [
    number,
    string,
    string | null,
    number | null,
    number,
    string,
    string,
  ]
  const { type, value } = splitIdentifierKey(keys[n] ?? '')
  return {
    collection,
    type,
    value,
    componentId,
    profileId,
    addedAt,
    firstSeen,
    firstMessageId,
    firstSourceId,
  }
}

// Identifiers of profiles through `profiles` (the covering profile index), then those without
// a profile (their own partial index); see COMPONENT_ROWS. Both parameters are the JSON list
// of components.
const IDENTIFIERS_BY_COMPONENTS = `
  SELECT ${I} FROM profiles AS p CROSS JOIN identity_identifiers AS i ON i.profile_id = p.id
  WHERE p.component_id ${IN_JSON}
  UNION ALL
  SELECT ${I} FROM identity_identifiers AS i
  WHERE i.profile_id IS NULL AND i.component_id ${IN_JSON}`

// Overrides are rare: a batch looks them up only when its collection has any.
const HAS_OVERRIDES = 'SELECT EXISTS (SELECT 1 FROM identity_overrides WHERE collection = ?)'

const OVERRIDES_BY_KEYS = `
  WITH k AS (${KEYS})
  SELECT o.* FROM k CROSS JOIN identity_overrides AS o
  WHERE o.collection = ? AND o.a_type = k.type AND o.a_value = k.value
  UNION
  SELECT o.* FROM k CROSS JOIN identity_overrides AS o
  WHERE o.collection = ? AND o.b_type = k.type AND o.b_value = k.value
  ORDER BY id`

// profile_events has no index on component_id (migration 0002): an event's component is
// always its profile's, so a component's events are found through its profiles.
const EVENTS_OF_COMPONENTS = `
  SELECT e.seq, e.message_id, e.source_id, e.type, e.timestamp, e.payload, pe.order_key
  FROM profiles AS p
  JOIN profile_events AS pe ON pe.profile_id = p.id
  JOIN events AS e ON e.seq = pe.seq
  WHERE p.component_id ${IN_JSON}`

const UPSERT_IDENTIFIER = `
  INSERT INTO identity_identifiers (collection, type, value, component_id, profile_id, added_at,
    first_seen, first_message_id, first_source_id)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (collection, type, value) DO UPDATE SET component_id = excluded.component_id,
    profile_id = excluded.profile_id, added_at = excluded.added_at,
    first_seen = excluded.first_seen, first_message_id = excluded.first_message_id,
    first_source_id = excluded.first_source_id`

const UPSERT_COMPONENT = `
  INSERT INTO identity_components (id, max_key, events) VALUES (?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET max_key = excluded.max_key, events = excluded.events`

const UPSERT_PROFILE = `
  INSERT INTO profiles (id, collection, component_id, traits, counts, merges, first_seen,
    last_seen, first_message_id, first_source_id, last_message_id, last_source_id, created_at,
    updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET collection = excluded.collection,
    component_id = excluded.component_id, traits = excluded.traits, counts = excluded.counts,
    merges = excluded.merges, first_seen = excluded.first_seen, last_seen = excluded.last_seen,
    first_message_id = excluded.first_message_id, first_source_id = excluded.first_source_id,
    last_message_id = excluded.last_message_id, last_source_id = excluded.last_source_id,
    created_at = excluded.created_at, updated_at = excluded.updated_at`

// SQLite rewrites an index entry whenever its column is in SET, even to the same value (one
// more random page per row). A stored profile whose collection and component stay is written
// by an UPDATE that leaves them (and `profiles_component`) alone, and without `traits` when
// they did not change either. Parameters: `traits` (first statement only), then
// profileStateValues, then id, collection, component_id.
const PROFILE_STATE = `counts = ?, merges = ?, first_seen = ?, last_seen = ?,
    first_message_id = ?, first_source_id = ?, last_message_id = ?, last_source_id = ?,
    created_at = ?, updated_at = ?
  WHERE id = ? AND collection = ? AND component_id = ?`
const UPDATE_PROFILE = `UPDATE profiles SET traits = ?, ${PROFILE_STATE}`
const UPDATE_PROFILE_STATE = `UPDATE profiles SET ${PROFILE_STATE}`

/** Profile columns in `profileFromValues` order; those statements return arrays. */
const P = PROFILE_COLUMNS.join(', ')

const UPSERT_PROFILE_EVENT = `
  INSERT INTO profile_events (seq, collection, component_id, profile_id, order_key, "timestamp",
    message_id, identifiers)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (seq, collection) DO UPDATE SET component_id = excluded.component_id,
    profile_id = excluded.profile_id, order_key = excluded.order_key,
    "timestamp" = excluded."timestamp", message_id = excluded.message_id,
    identifiers = excluded.identifiers`

const INSERT_EDGE = `
  INSERT INTO identity_edges (collection, component_id, profile_id, kind, from_type, from_value,
    to_type, to_value, rule, merged_profile_id, seq, message_id, source_id, "timestamp")
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

const INSERT_OVERRIDE = `
  INSERT INTO identity_overrides (collection, kind, a_type, a_value, b_type, b_value, reason,
    actor, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`

const INSERT_REBUILD = `
  INSERT INTO identity_rebuilds (collection, component_ids, reason, events, profiles_before,
    profiles_after, actor, at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)`

/**
 * Tables whose rows carry `component_id` (all but `identity_components`, keyed by `id`) with
 * the rows of a component: `?` is the component, or its list as JSON. A row with a profile is
 * in its profile's component, and only `profiles` and identifiers without a profile are
 * indexed by component (migration 0002): the other rows are found through `profiles`, so
 * `profiles` comes last.
 */
const COMPONENT_ROWS = (op: '= ?' | typeof IN_JSON): Array<[table: string, where: string]> => {
  const owned = `profile_id IN (SELECT id FROM profiles WHERE component_id ${op})`
  return [
    ['profile_events', owned],
    ['identity_identifiers', owned],
    ['identity_identifiers', `profile_id IS NULL AND component_id ${op}`],
    ['identity_edges', owned],
    ['profiles', `component_id ${op}`],
  ]
}
/** Tables whose rows carry `profile_id`. */
const PROFILE_TABLES = ['identity_identifiers', 'profile_events', 'identity_edges']

/**
 * Every statement of the SQLite identity adapter, prepared once on its connection (the tables
 * of migration 0002_identity must exist).
 */
export class SqliteIdentityStatements {
  readonly identifiersByKeys: Statement
  readonly identifiersByProfiles: Statement
  readonly identifiersByComponents: Statement
  readonly profilesByIds: Statement
  readonly profilesByComponents: Statement
  readonly componentsByIds: Statement
  readonly overridesByKeys: Statement
  readonly hasOverrides: Statement
  readonly eventsOfComponents: Statement
  readonly deleteByComponents: Statement[]
  readonly deleteComponents: Statement
  readonly relabel: Statement[]
  readonly moveProfile: Statement[]
  readonly deleteProfiles: Statement
  readonly upsertIdentifier: Statement
  readonly upsertComponent: Statement
  readonly upsertProfile: Statement
  readonly updateProfile: Statement
  readonly updateProfileState: Statement
  readonly upsertProfileEvent: Statement
  readonly insertEdge: Statement
  readonly insertOverride: Statement
  readonly insertRebuild: Statement
  readonly readEvents: Statement
  readonly eventsHead: Statement
  readonly getOffset: Statement
  readonly setOffset: Statement
  readonly getSetting: Statement
  readonly putSetting: Statement

  constructor(db: Database) {
    const p = (sql: string): Statement => db.prepare(sql)
    this.identifiersByKeys = p(IDENTIFIERS_BY_KEYS).raw()
    this.identifiersByProfiles = p(
      `SELECT ${I} FROM identity_identifiers AS i WHERE profile_id ${IN_JSON}`,
    ).raw()
    this.identifiersByComponents = p(IDENTIFIERS_BY_COMPONENTS).raw()
    this.profilesByIds = p(`SELECT ${P} FROM profiles WHERE id ${IN_JSON}`).raw()
    this.profilesByComponents = p(`SELECT ${P} FROM profiles WHERE component_id ${IN_JSON}`).raw()
    this.componentsByIds = p(`SELECT * FROM identity_components WHERE id ${IN_JSON}`)
    this.overridesByKeys = p(OVERRIDES_BY_KEYS)
    this.hasOverrides = p(HAS_OVERRIDES).pluck()
    this.eventsOfComponents = p(EVENTS_OF_COMPONENTS)
    this.deleteByComponents = COMPONENT_ROWS(IN_JSON).map(([t, where]) =>
      p(`DELETE FROM ${t} WHERE ${where}`),
    )
    this.deleteComponents = p(`DELETE FROM identity_components WHERE id ${IN_JSON}`)
    this.relabel = COMPONENT_ROWS('= ?').map(([t, where]) =>
      p(`UPDATE ${t} SET component_id = ? WHERE ${where}`),
    )
    this.moveProfile = PROFILE_TABLES.map((t) =>
      p(`UPDATE ${t} SET profile_id = ? WHERE profile_id = ?`),
    )
    this.deleteProfiles = p(`DELETE FROM profiles WHERE id ${IN_JSON}`)
    this.upsertIdentifier = p(UPSERT_IDENTIFIER)
    this.upsertComponent = p(UPSERT_COMPONENT)
    this.upsertProfile = p(UPSERT_PROFILE)
    this.updateProfile = p(UPDATE_PROFILE)
    this.updateProfileState = p(UPDATE_PROFILE_STATE)
    this.upsertProfileEvent = p(UPSERT_PROFILE_EVENT)
    this.insertEdge = p(INSERT_EDGE)
    this.insertOverride = p(INSERT_OVERRIDE)
    this.insertRebuild = p(INSERT_REBUILD)
    this.readEvents = p(
      'SELECT seq, message_id, source_id, type, timestamp, payload FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
    )
    this.eventsHead = p('SELECT coalesce(max(seq), 0) FROM events').pluck()
    this.getOffset = p(`SELECT "offset" FROM consumer_offsets WHERE consumer = ?`).pluck()
    this.setOffset = p(
      `INSERT INTO consumer_offsets (consumer, "offset") VALUES (?, ?)
       ON CONFLICT (consumer) DO UPDATE SET "offset" = excluded."offset" WHERE excluded."offset" > "offset"`,
    )
    this.getSetting = p('SELECT value FROM settings WHERE key = ?').pluck()
    this.putSetting = p(
      `INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,
         updated_by = excluded.updated_by`,
    )
  }
}
