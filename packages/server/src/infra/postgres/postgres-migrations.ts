import { planEnforcementSql } from '../sql/plan-enforcement-schema.js'
import { QUALITY_SCHEMA_SQL } from '../sql/quality-schema.js'
import type { PostgresPool, PostgresPoolClient } from './postgres-pool.js'
import { regulationSchemaSql, TRAIT_CORRECTION_COLUMNS_SQL } from '../sql/regulation-schema.js'

/**
 * Schema of the PostgreSQL store, as ordered migrations: the same tables, columns and indexes
 * as the SQLite schema (`../sqlite/sqlite-migrations.ts`) in Postgres terms, so the shared
 * Kysely queries in `../sql/` serve both, plus the event log (`event_log`, `event_log_head`),
 * which the embedded mode keeps in segment files instead. Times are epoch milliseconds in
 * `bigint` columns; JSON documents are `text`, stored and returned byte for byte. Never edit a
 * released migration; add a new one.
 */
export const POSTGRES_MIGRATIONS: ReadonlyArray<{ id: string; sql: string }> = [
  {
    id: '0001_event_log',
    sql: `
      -- The log (docs/adr/0003-event-log.md): accepted events and rejections in offset order.
      -- Event rows fill message_id..timestamp, rejection rows code and reason.
      CREATE TABLE event_log (
        "offset" bigint PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('event', 'rejection')),
        source_id text NOT NULL,
        received_at bigint NOT NULL,
        message_id text,
        type text,
        name text,
        user_id text,
        anonymous_id text,
        "timestamp" bigint,
        code text,
        reason text,
        payload text NOT NULL
      );
      -- The highest offset ever given: never goes back, also when release empties event_log.
      -- Its row lock orders appends (see postgres-event-log.ts).
      CREATE TABLE event_log_head (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        head bigint NOT NULL
      );
      INSERT INTO event_log_head (head) VALUES (0);

      CREATE TABLE events (
        seq bigint PRIMARY KEY, -- the event's offset in the log
        message_id text NOT NULL,
        source_id text NOT NULL,
        type text NOT NULL,
        name text,
        user_id text,
        anonymous_id text,
        received_at bigint NOT NULL,
        "timestamp" bigint NOT NULL,
        payload text NOT NULL
      );
      CREATE UNIQUE INDEX events_message_id ON events (message_id);
      CREATE INDEX events_source_seq ON events (source_id, seq);
      CREATE INDEX events_user_id ON events (user_id) WHERE user_id IS NOT NULL;
      CREATE INDEX events_anonymous_id ON events (anonymous_id) WHERE anonymous_id IS NOT NULL;
      CREATE INDEX events_received_at ON events (received_at);

      CREATE TABLE rejected_events (
        id bigserial PRIMARY KEY,
        source_id text NOT NULL,
        received_at bigint NOT NULL,
        code text NOT NULL,
        reason text NOT NULL,
        message_id text,
        payload text NOT NULL
      );
      CREATE INDEX rejected_events_source ON rejected_events (source_id, id);

      CREATE TABLE ingest_stats (
        source_id text NOT NULL,
        minute bigint NOT NULL,
        accepted bigint NOT NULL DEFAULT 0,
        duplicates bigint NOT NULL DEFAULT 0,
        rejected bigint NOT NULL DEFAULT 0,
        bytes bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (source_id, minute)
      );

      CREATE TABLE consumer_offsets (
        consumer text PRIMARY KEY,
        "offset" bigint NOT NULL
      );

      CREATE TABLE sources (
        id text PRIMARY KEY,
        name text NOT NULL,
        write_keys text NOT NULL,
        allowed_origins text,
        rate_limit text,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL
      );
      CREATE TABLE source_write_keys (
        write_key text PRIMARY KEY,
        source_id text NOT NULL REFERENCES sources (id) ON DELETE CASCADE
      );
    `,
  },
  {
    id: '0002_identity',
    sql: `
      -- Identity graph (src/identity/README.md). Times are epoch ms; JSON documents are text.
      -- Every identifier ever seen (blocked values never are), in either collection.
      CREATE TABLE identity_identifiers (
        collection text NOT NULL, -- 'users' | 'accounts'
        type text NOT NULL,
        value text NOT NULL,
        component_id text NOT NULL, -- co-occurrence component: identifiers ever seen together
        profile_id text, -- null when a rule dropped it and it belongs to no profile
        added_at bigint, -- event timestamp when attached to profile_id
        first_seen bigint NOT NULL,
        first_message_id text NOT NULL,
        first_source_id text NOT NULL,
        PRIMARY KEY (collection, type, value)
      );
      CREATE INDEX identity_identifiers_profile ON identity_identifiers (profile_id) WHERE profile_id IS NOT NULL;
      -- Only identifiers without a profile are indexed by component: an identifier's component
      -- is always its profile's, so the others are found through profiles.
      CREATE INDEX identity_identifiers_unowned ON identity_identifiers (component_id)
        WHERE profile_id IS NULL;
      CREATE INDEX identity_identifiers_value ON identity_identifiers (value);

      CREATE TABLE identity_components (
        id text PRIMARY KEY,
        max_key text NOT NULL, -- order key of the latest event applied
        events bigint NOT NULL
      );

      CREATE TABLE profiles (
        id text PRIMARY KEY,
        collection text NOT NULL,
        component_id text NOT NULL,
        traits text NOT NULL, -- JSON: {name: {value, sourceId, messageId, timestamp}}
        counts text NOT NULL, -- JSON: {eventType: n}
        merges bigint NOT NULL,
        first_seen bigint NOT NULL,
        last_seen bigint NOT NULL,
        first_message_id text NOT NULL,
        first_source_id text NOT NULL,
        last_message_id text NOT NULL,
        last_source_id text NOT NULL,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL
      );
      CREATE INDEX profiles_component ON profiles (component_id);
      CREATE INDEX profiles_collection_seen ON profiles (collection, last_seen);

      -- Which profile each event resolved to (events without identifiers are not here).
      CREATE TABLE profile_events (
        seq bigint NOT NULL,
        collection text NOT NULL,
        component_id text NOT NULL,
        profile_id text NOT NULL,
        order_key text NOT NULL,
        "timestamp" bigint NOT NULL,
        message_id text NOT NULL,
        identifiers text NOT NULL, -- JSON: [{type, value}] as extracted, before rules
        PRIMARY KEY (seq, collection)
      );
      CREATE INDEX profile_events_profile ON profile_events (profile_id, "timestamp");
      -- No index on component_id: an event's component is always its profile's, so the
      -- events of a component are found through profiles (one random index page less per event).

      -- Merge history: every create, attach, merge and drop, with the event that caused it.
      CREATE TABLE identity_edges (
        id bigserial PRIMARY KEY,
        collection text NOT NULL,
        component_id text NOT NULL,
        profile_id text NOT NULL,
        kind text NOT NULL, -- create | attach | merge | drop
        from_type text,
        from_value text,
        to_type text NOT NULL,
        to_value text NOT NULL,
        rule text NOT NULL,
        merged_profile_id text,
        seq bigint NOT NULL,
        message_id text NOT NULL,
        source_id text NOT NULL,
        "timestamp" bigint NOT NULL
      );
      CREATE INDEX identity_edges_profile ON identity_edges (profile_id, id);
      -- No index on component_id: an edge's component is always its profile's.

      -- Operators' corrections (splits): block an identifier, or keep two apart.
      CREATE TABLE identity_overrides (
        id bigserial PRIMARY KEY,
        collection text NOT NULL,
        kind text NOT NULL, -- block | separate
        a_type text NOT NULL,
        a_value text NOT NULL,
        b_type text,
        b_value text,
        reason text NOT NULL,
        actor text NOT NULL,
        created_at bigint NOT NULL
      );
      CREATE INDEX identity_overrides_a ON identity_overrides (collection, a_type, a_value);
      CREATE INDEX identity_overrides_b ON identity_overrides (collection, b_type, b_value);

      -- Audit of re-resolutions (late events, splits, changed rules).
      CREATE TABLE identity_rebuilds (
        id bigserial PRIMARY KEY,
        collection text NOT NULL,
        component_ids text NOT NULL, -- JSON array
        reason text NOT NULL,
        events bigint NOT NULL,
        profiles_before text NOT NULL, -- JSON array
        profiles_after text NOT NULL, -- JSON array
        actor text,
        at bigint NOT NULL
      );
      CREATE INDEX identity_rebuilds_at ON identity_rebuilds (at);

      -- Settings edited through the API (identity rules when not managed by the config file).
      CREATE TABLE settings (
        key text PRIMARY KEY,
        value text NOT NULL, -- JSON
        updated_at bigint NOT NULL,
        updated_by text NOT NULL
      );
    `,
  },
  {
    id: '0003_delivery',
    sql: `
      -- Destinations defined through the API; config is JSON with secret settings sealed.
      CREATE TABLE destinations (
        id text PRIMARY KEY,
        config text NOT NULL,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL
      );
      -- One lane per destination: cursor into events, backoff while the destination fails.
      CREATE TABLE delivery_lanes (
        destination_id text PRIMARY KEY,
        cursor bigint NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        first_failure_at bigint,
        next_at bigint,
        last_error text
      );
      CREATE TABLE delivery_retries (
        destination_id text NOT NULL,
        seq bigint NOT NULL,
        message_id text NOT NULL,
        source_id text NOT NULL,
        received_at bigint NOT NULL,
        user_key text,
        attempts text NOT NULL, -- JSON list of attempts
        first_attempt_at bigint NOT NULL,
        next_at bigint NOT NULL,
        payload text, -- null: read from events by seq
        PRIMARY KEY (destination_id, seq)
      );
      CREATE INDEX delivery_retries_due ON delivery_retries (destination_id, next_at);
      CREATE TABLE delivery_dead_letters (
        id bigserial PRIMARY KEY,
        destination_id text NOT NULL,
        seq bigint NOT NULL,
        message_id text NOT NULL,
        source_id text NOT NULL,
        event_type text NOT NULL,
        event_name text,
        received_at bigint NOT NULL,
        payload text NOT NULL,
        error_code text NOT NULL,
        error_message text NOT NULL,
        http_status integer,
        sample text,
        attempts text NOT NULL,
        first_attempt_at bigint NOT NULL,
        failed_at bigint NOT NULL,
        replayed_at bigint
      );
      CREATE INDEX delivery_dead_letters_failed ON delivery_dead_letters (destination_id, failed_at);
      CREATE INDEX delivery_dead_letters_message ON delivery_dead_letters (message_id);
      CREATE TABLE delivery_stats (
        destination_id text NOT NULL,
        minute bigint NOT NULL,
        delivered bigint NOT NULL DEFAULT 0,
        retried bigint NOT NULL DEFAULT 0,
        failed bigint NOT NULL DEFAULT 0,
        filtered bigint NOT NULL DEFAULT 0,
        dead_lettered bigint NOT NULL DEFAULT 0,
        latency text NOT NULL, -- JSON bucket counts (LATENCY_BUCKETS_MS)
        PRIMARY KEY (destination_id, minute)
      );
      CREATE TABLE delivery_errors (
        id bigserial PRIMARY KEY,
        destination_id text NOT NULL,
        at bigint NOT NULL,
        message_id text,
        code text NOT NULL,
        message text NOT NULL,
        http_status integer,
        sample text
      );
      CREATE INDEX delivery_errors_destination ON delivery_errors (destination_id, id);
      CREATE TABLE delivery_backfills (
        id text PRIMARY KEY,
        destination_id text NOT NULL,
        from_at bigint NOT NULL,
        to_at bigint NOT NULL,
        start_seq bigint NOT NULL,
        end_seq bigint NOT NULL,
        position bigint NOT NULL,
        status text NOT NULL,
        events bigint NOT NULL DEFAULT 0,
        created_at bigint NOT NULL,
        finished_at bigint
      );
      CREATE INDEX delivery_backfills_destination ON delivery_backfills (destination_id, status);
    `,
  },
  {
    id: '0004_lane_start',
    sql: `
      -- Where a lane started: events at or below it were stored before the destination existed.
      ALTER TABLE delivery_lanes ADD COLUMN start_seq bigint NOT NULL DEFAULT 0;
      UPDATE delivery_lanes SET start_seq = cursor;
    `,
  },
  {
    id: '0005_tracking_plans',
    sql: `
      -- Tracking plans: the current rules of each plan (JSON), every revision with its author
      -- and diff, the source connections with their enforcement (JSON), and one counter row
      -- bumped by every change (the ActivePlans stamp; also serialises plan writes).
      CREATE TABLE tracking_plans (
        id text PRIMARY KEY,
        name text NOT NULL,
        description text,
        rules text NOT NULL,
        revision bigint NOT NULL,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL
      );
      CREATE TABLE tracking_plan_revisions (
        plan_id text NOT NULL,
        revision bigint NOT NULL,
        author text NOT NULL,
        at bigint NOT NULL,
        rules text NOT NULL,
        diff text NOT NULL,
        PRIMARY KEY (plan_id, revision)
      );
      CREATE TABLE tracking_plan_sources (
        source_id text PRIMARY KEY,
        plan_id text NOT NULL,
        enforcement text NOT NULL,
        updated_at bigint NOT NULL
      );
      CREATE INDEX tracking_plan_sources_plan ON tracking_plan_sources (plan_id);
      CREATE TABLE tracking_plan_stamp (
        id bigint PRIMARY KEY,
        value bigint NOT NULL
      );
      INSERT INTO tracking_plan_stamp (id, value) VALUES (1, 0);
    `,
  },
  {
    id: '0006_plan_enforcement',
    sql: planEnforcementSql({ id: 'bigserial PRIMARY KEY', int: 'bigint' }),
  },
  {
    id: '0007_field_inventory',
    sql: `
      -- The field inventory and observed schema (privacy/fields): per source, event and field
      -- path, counts, JSON types, first and last seen, and the most harmful PII class detected.
      -- Never values. Written by the 'fields' consumer only (its position: consumer_offsets).
      CREATE TABLE field_inventory_events (
        source_id text NOT NULL,
        event_type text NOT NULL,
        event_name text NOT NULL, -- track event, page or screen name; '' for other types
        count bigint NOT NULL,
        first_seen bigint NOT NULL,
        last_seen bigint NOT NULL,
        dropped_fields bigint NOT NULL, -- new paths past the per-event cap
        PRIMARY KEY (source_id, event_type, event_name)
      );
      CREATE TABLE field_inventory (
        source_id text NOT NULL,
        event_type text NOT NULL,
        event_name text NOT NULL,
        path text NOT NULL, -- properties.products.$.sku
        count bigint NOT NULL,
        events bigint NOT NULL, -- events holding the field
        n_string bigint NOT NULL,
        n_integer bigint NOT NULL,
        n_number bigint NOT NULL,
        n_boolean bigint NOT NULL,
        n_null bigint NOT NULL,
        n_object bigint NOT NULL,
        n_array bigint NOT NULL,
        first_seen bigint NOT NULL,
        last_seen bigint NOT NULL,
        pii_rank integer NOT NULL, -- 0 restricted, 1 sensitive, 2 personal, 3 none
        pii_kind text,
        PRIMARY KEY (source_id, event_type, event_name, path)
      );
      CREATE INDEX field_inventory_pii ON field_inventory (pii_rank, source_id);
    `,
  },
  { id: '0008_regulations', sql: regulationSchemaSql('bigint') },
  {
    id: '0009_consent',
    sql: `
      -- Of the filtered events, those discarded by a privacy rule (each also counts in filtered).
      ALTER TABLE delivery_stats ADD COLUMN filtered_consent bigint NOT NULL DEFAULT 0;
      ALTER TABLE delivery_stats ADD COLUMN filtered_preference bigint NOT NULL DEFAULT 0;
      ALTER TABLE delivery_stats ADD COLUMN filtered_restriction bigint NOT NULL DEFAULT 0;
      -- Preference centre: append-only changes keyed by identifier (a profile's preferences
      -- are the fold of its identifiers' changes, so merges and splits keep them).
      CREATE TABLE preference_changes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        identifier_type text NOT NULL,
        identifier_value text NOT NULL,
        at bigint NOT NULL,
        actor text NOT NULL,
        changes text NOT NULL
      );
      CREATE INDEX preference_changes_identifier
        ON preference_changes (identifier_type, identifier_value, at);
      -- The preference events (track "Preferences Updated") the routing index reads.
      CREATE INDEX events_preferences ON events (seq) WHERE name = 'Preferences Updated';
    `,
  },
  {
    id: '0010_audit_retention',
    sql: `
      -- The audit log (src/audit/README.md): append-only, each row chained to the one before
      -- by hash = sha256(prev_hash || canonical entry). The triggers refuse any change.
      CREATE TABLE audit_log (
        id bigint PRIMARY KEY, -- 1, 2, 3 … in append order, no gaps
        at bigint NOT NULL,
        actor text NOT NULL,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text,
        outcome text NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
        request_id text,
        ip text,
        details text NOT NULL, -- JSON object
        prev_hash text NOT NULL,
        hash text NOT NULL
      );
      CREATE INDEX audit_log_at ON audit_log (at);
      CREATE INDEX audit_log_actor ON audit_log (actor, id);
      CREATE INDEX audit_log_target ON audit_log (target_type, target_id, id);
      CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
      END
      $$;
      CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

      -- Retention policies set through the API (src/retention/README.md), one row.
      CREATE TABLE retention_settings (
        singleton integer PRIMARY KEY CHECK (singleton = 1),
        config text NOT NULL, -- JSON: the retention section
        updated_at bigint NOT NULL
      );
      -- Rejected events are deleted by age.
      CREATE INDEX rejected_events_received_at ON rejected_events (received_at);
    `,
  },
  { id: '0011_data_quality', sql: QUALITY_SCHEMA_SQL },
  { id: '0012_trait_corrections', sql: TRAIT_CORRECTION_COLUMNS_SQL },
  {
    id: '0013_quarantine_retention',
    sql: `
      -- Quarantined events are deleted by age (retention.quarantinedDays), oldest first.
      CREATE INDEX quarantined_events_received_at ON quarantined_events (received_at);
    `,
  },
]

/**
 * Session advisory lock key held while migrating: ASCII "tessmig1" read as a big-endian 64-bit
 * integer. Distinct from the event log's append lock.
 */
export const MIGRATION_LOCK_KEY = '8387236820641474353'

/** Unquoted identifiers only: a schema name goes into `search_path` and DDL verbatim. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/** Throws unless `schema` is a plain lower-case identifier (safe unquoted everywhere). */
export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(
      `invalid PostgreSQL schema name ${JSON.stringify(schema)}: use [a-z_][a-z0-9_]*`,
    )
  }
}

/**
 * Applies pending migrations, each in its own transaction, and returns the ids applied (empty
 * when the schema is current). Runs under a session `pg_advisory_lock`, so several processes
 * starting at once migrate one after the other and the later ones find nothing to do. With
 * `schema`, creates that schema first; the pool's connections must have it as `search_path`.
 */
export async function migratePostgres(
  pool: PostgresPool,
  options: { schema?: string } = {},
): Promise<string[]> {
  if (options.schema !== undefined) assertSchemaName(options.schema)
  const client = await pool.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
    const applied = await applyPending(client, options.schema)
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
    client.release()
    return applied
  } catch (error) {
    // Destroying the connection ends the session, which rolls back an open transaction and
    // releases the advisory lock; no cleanup query can mask the original error.
    client.release(error instanceof Error ? error : new Error(String(error)))
    throw error
  }
}

async function applyPending(
  client: PostgresPoolClient,
  schema: string | undefined,
): Promise<string[]> {
  if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
  await client.query(
    'CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at bigint NOT NULL)',
  )
  const done = await client.query<{ id: string }>('SELECT id FROM schema_migrations')
  const applied = new Set(done.rows.map((row) => row.id))
  const pending = POSTGRES_MIGRATIONS.filter((m) => !applied.has(m.id))
  for (const migration of pending) {
    await client.query('BEGIN')
    await client.query(migration.sql)
    await client.query('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)', [
      migration.id,
      Date.now(),
    ])
    await client.query('COMMIT')
  }
  return pending.map((m) => m.id)
}
