/**
 * Statements of the PostgreSQL identity adapter. Lists travel as array parameters (`unnest`,
 * `= ANY`), so a batch is one statement per table and step whatever its size; upserts take
 * one array per column, in the order of the `*Values` helpers of `../sql/identity-rows.ts`.
 */

/**
 * Transaction advisory lock serializing identity batches across processes: ASCII "tessidg1"
 * read as a big-endian 64-bit integer. Advisory locks are per database, so installations in
 * several schemas of one database share it (their batches take turns; none is lost).
 * Distinct from the migration lock ("tessmig1").
 */
export const IDENTITY_LOCK_KEY = '8387236820574037809'

export const LOCK_GRAPH = 'SELECT pg_advisory_xact_lock($1::bigint)'

export const IDENTIFIERS_BY_KEYS = `
  SELECT i.* FROM unnest($2::text[], $3::text[]) AS k (type, value)
  JOIN identity_identifiers AS i ON i.collection = $1 AND i.type = k.type AND i.value = k.value`

export const IDENTIFIERS_BY_PROFILES = `
  SELECT * FROM identity_identifiers WHERE profile_id = ANY ($1::text[])`

// Identifiers of profiles through `profiles`, then those without a profile (their own partial
// index): see DELETE_BY_COMPONENTS.
export const IDENTIFIERS_BY_COMPONENTS = `
  SELECT i.* FROM profiles AS p JOIN identity_identifiers AS i ON i.profile_id = p.id
  WHERE p.component_id = ANY ($1::text[])
  UNION ALL
  SELECT * FROM identity_identifiers WHERE profile_id IS NULL AND component_id = ANY ($1::text[])`

export const PROFILES_BY_IDS = 'SELECT * FROM profiles WHERE id = ANY ($1::text[])'

export const PROFILES_BY_COMPONENTS = 'SELECT * FROM profiles WHERE component_id = ANY ($1::text[])'

export const COMPONENTS_BY_IDS = 'SELECT * FROM identity_components WHERE id = ANY ($1::text[])'

export const OVERRIDES_BY_KEYS = `
  SELECT o.* FROM unnest($2::text[], $3::text[]) AS k (type, value)
  JOIN identity_overrides AS o ON o.collection = $1 AND o.a_type = k.type AND o.a_value = k.value
  UNION
  SELECT o.* FROM unnest($2::text[], $3::text[]) AS k (type, value)
  JOIN identity_overrides AS o ON o.collection = $1 AND o.b_type = k.type AND o.b_value = k.value
  ORDER BY id`

// profile_events has no index on component_id (migration 0002): an event's component is
// always its profile's, so a component's events are found through its profiles.
export const EVENTS_OF_COMPONENTS = `
  SELECT e.seq, e.message_id, e.source_id, e.type, e."timestamp", e.payload, pe.order_key
  FROM profiles AS p
  JOIN profile_events AS pe ON pe.profile_id = p.id
  JOIN events AS e ON e.seq = pe.seq
  WHERE p.component_id = ANY ($1::text[])`

/** Tables whose rows carry `profile_id`. */
const PROFILE_TABLES = ['identity_identifiers', 'profile_events', 'identity_edges']

/**
 * Deletes the rows of the components `$1` from every table with `component_id` (all but
 * `identity_components`). A row with a profile is in its profile's component, and only
 * `profiles` and identifiers without a profile are indexed by component (migration 0002): the
 * other rows are found through `profiles`, so `profiles` goes last.
 */
export const DELETE_BY_COMPONENTS = [
  ...PROFILE_TABLES.map(
    (t) => `DELETE FROM ${t} AS t USING profiles AS p
   WHERE t.profile_id = p.id AND p.component_id = ANY ($1::text[])`,
  ),
  `DELETE FROM identity_identifiers WHERE profile_id IS NULL AND component_id = ANY ($1::text[])`,
  'DELETE FROM profiles WHERE component_id = ANY ($1::text[])',
]

export const DELETE_COMPONENTS = 'DELETE FROM identity_components WHERE id = ANY ($1::text[])'

/**
 * Moves the rows of components `$1[i]` to `$2[i]`: rows with a profile found through
 * `profiles` (see {@link DELETE_BY_COMPONENTS}), so `profiles` moves last.
 */
export const RELABEL = [
  ...PROFILE_TABLES.map(
    (t) => `
  UPDATE ${t} AS t SET component_id = m.to_id
  FROM unnest($1::text[], $2::text[]) AS m (from_id, to_id)
  JOIN profiles AS p ON p.component_id = m.from_id
  WHERE t.profile_id = p.id`,
  ),
  `
  UPDATE identity_identifiers AS t SET component_id = m.to_id
  FROM unnest($1::text[], $2::text[]) AS m (from_id, to_id)
  WHERE t.profile_id IS NULL AND t.component_id = m.from_id`,
  `
  UPDATE profiles AS t SET component_id = m.to_id
  FROM unnest($1::text[], $2::text[]) AS m (from_id, to_id) WHERE t.component_id = m.from_id`,
]

/** `$1` the profiles to move from, `$2` where each goes. */
export const MOVE_PROFILES = PROFILE_TABLES.map(
  (t) => `
  UPDATE ${t} AS t SET profile_id = m.to_id
  FROM unnest($1::text[], $2::text[]) AS m (from_id, to_id) WHERE t.profile_id = m.from_id`,
)

export const DELETE_PROFILES = 'DELETE FROM profiles WHERE id = ANY ($1::text[])'

export const UPSERT_COMPONENTS = `
  INSERT INTO identity_components (id, max_key, events)
  SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
  ON CONFLICT (id) DO UPDATE SET max_key = excluded.max_key, events = excluded.events`

export const UPSERT_IDENTIFIERS = `
  INSERT INTO identity_identifiers (collection, type, value, component_id, profile_id, added_at,
    first_seen, first_message_id, first_source_id)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[],
    $7::bigint[], $8::text[], $9::text[])
  ON CONFLICT (collection, type, value) DO UPDATE SET component_id = excluded.component_id,
    profile_id = excluded.profile_id, added_at = excluded.added_at,
    first_seen = excluded.first_seen, first_message_id = excluded.first_message_id,
    first_source_id = excluded.first_source_id`

export const UPSERT_PROFILES = `
  INSERT INTO profiles (id, collection, component_id, traits, counts, merges, first_seen,
    last_seen, first_message_id, first_source_id, last_message_id, last_source_id, created_at,
    updated_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[],
    $7::bigint[], $8::bigint[], $9::text[], $10::text[], $11::text[], $12::text[], $13::bigint[],
    $14::bigint[])
  ON CONFLICT (id) DO UPDATE SET collection = excluded.collection,
    component_id = excluded.component_id, traits = excluded.traits, counts = excluded.counts,
    merges = excluded.merges, first_seen = excluded.first_seen, last_seen = excluded.last_seen,
    first_message_id = excluded.first_message_id, first_source_id = excluded.first_source_id,
    last_message_id = excluded.last_message_id, last_source_id = excluded.last_source_id,
    created_at = excluded.created_at, updated_at = excluded.updated_at`

export const UPSERT_PROFILE_EVENTS = `
  INSERT INTO profile_events (seq, collection, component_id, profile_id, order_key, "timestamp",
    message_id, identifiers)
  SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[],
    $6::bigint[], $7::text[], $8::text[])
  ON CONFLICT (seq, collection) DO UPDATE SET component_id = excluded.component_id,
    profile_id = excluded.profile_id, order_key = excluded.order_key,
    "timestamp" = excluded."timestamp", message_id = excluded.message_id,
    identifiers = excluded.identifiers`

/** Ids follow the array order (the insert reads the rows in `position` order). */
export const INSERT_EDGES = `
  INSERT INTO identity_edges (collection, component_id, profile_id, kind, from_type, from_value,
    to_type, to_value, rule, merged_profile_id, seq, message_id, source_id, "timestamp")
  SELECT collection, component_id, profile_id, kind, from_type, from_value, to_type, to_value,
    rule, merged_profile_id, seq, message_id, source_id, "timestamp"
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
    $8::text[], $9::text[], $10::text[], $11::bigint[], $12::text[], $13::text[], $14::bigint[])
    WITH ORDINALITY AS b (collection, component_id, profile_id, kind, from_type, from_value,
      to_type, to_value, rule, merged_profile_id, seq, message_id, source_id, "timestamp",
      position)
  ORDER BY position`

export const INSERT_OVERRIDE = `
  INSERT INTO identity_overrides (collection, kind, a_type, a_value, b_type, b_value, reason,
    actor, created_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
  RETURNING id`

export const INSERT_REBUILD = `
  INSERT INTO identity_rebuilds (collection, component_ids, reason, events, profiles_before,
    profiles_after, actor, at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`

export const READ_EVENTS = `
  SELECT seq, message_id, source_id, type, "timestamp", payload FROM events
  WHERE seq > $1 ORDER BY seq LIMIT $2`

export const EVENTS_HEAD = 'SELECT coalesce(max(seq), 0) AS head FROM events'

export const GET_OFFSET = 'SELECT "offset" FROM consumer_offsets WHERE consumer = $1'

export const COMMIT_OFFSET = `
  INSERT INTO consumer_offsets AS c (consumer, "offset") VALUES ($1, $2)
  ON CONFLICT (consumer) DO UPDATE SET "offset" = excluded."offset"
  WHERE c."offset" < excluded."offset"`

export const GET_SETTING = 'SELECT value FROM settings WHERE key = $1'

export const PUT_SETTING = `
  INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4)
  ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,
    updated_by = excluded.updated_by`
