import { planEnforcementSql } from '../sql/plan-enforcement-schema.js'
import { regulationSchemaSql, TRAIT_CORRECTION_COLUMNS_SQL } from '../sql/regulation-schema.js'
import { QUALITY_SCHEMA_SQL } from '../sql/quality-schema.js'

/**
 * The identity graph's tables (src/identity/README.md). Created in the store file by migration
 * `0002_identity` (as released), then kept in `<dataDir>/identity.db` (see
 * SQLITE_IDENTITY_MIGRATIONS and `open-sqlite-storage.ts`).
 */
const IDENTITY_SCHEMA_SQL = `
      -- Identity graph (src/identity/README.md). Times are epoch ms; JSON documents are text.
      -- Every identifier ever seen (blocked values never are), in either collection.
      CREATE TABLE identity_identifiers (
        collection TEXT NOT NULL, -- 'users' | 'accounts'
        type TEXT NOT NULL,
        value TEXT NOT NULL,
        component_id TEXT NOT NULL, -- co-occurrence component: identifiers ever seen together
        profile_id TEXT, -- null when a rule dropped it and it belongs to no profile
        added_at INTEGER, -- event timestamp when attached to profile_id
        first_seen INTEGER NOT NULL,
        first_message_id TEXT NOT NULL,
        first_source_id TEXT NOT NULL,
        PRIMARY KEY (collection, type, value)
      ) WITHOUT ROWID; -- small rows looked up by key: one B-tree instead of table + index
      -- Covering (with the primary key every entry carries): all identifiers of a batch's
      -- profiles are read from this index alone. PostgreSQL indexes profile_id only.
      CREATE INDEX identity_identifiers_profile ON identity_identifiers (profile_id, component_id,
        added_at, first_seen, first_message_id, first_source_id) WHERE profile_id IS NOT NULL;
      -- Only identifiers without a profile are indexed by component: an identifier's component
      -- is always its profile's, so the others are found through profiles (one random index
      -- page less per new identifier).
      CREATE INDEX identity_identifiers_unowned ON identity_identifiers (component_id)
        WHERE profile_id IS NULL;
      CREATE INDEX identity_identifiers_value ON identity_identifiers (value);

      CREATE TABLE identity_components (
        id TEXT PRIMARY KEY,
        max_key TEXT NOT NULL, -- order key of the latest event applied
        events INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE profiles (
        id TEXT PRIMARY KEY,
        collection TEXT NOT NULL,
        component_id TEXT NOT NULL,
        traits TEXT NOT NULL, -- JSON: {name: {value, sourceId, messageId, timestamp}}
        counts TEXT NOT NULL, -- JSON: {eventType: n}
        merges INTEGER NOT NULL,
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        first_message_id TEXT NOT NULL,
        first_source_id TEXT NOT NULL,
        last_message_id TEXT NOT NULL,
        last_source_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX profiles_component ON profiles (component_id);
      CREATE INDEX profiles_collection_seen ON profiles (collection, last_seen);

      -- Which profile each event resolved to (events without identifiers are not here).
      CREATE TABLE profile_events (
        seq INTEGER NOT NULL,
        collection TEXT NOT NULL,
        component_id TEXT NOT NULL,
        profile_id TEXT NOT NULL,
        order_key TEXT NOT NULL,
        "timestamp" INTEGER NOT NULL,
        message_id TEXT NOT NULL,
        identifiers TEXT NOT NULL, -- JSON: [{type, value}] as extracted, before rules
        PRIMARY KEY (seq, collection)
      );
      CREATE INDEX profile_events_profile ON profile_events (profile_id, "timestamp");
      -- No index on component_id: an event's component is always its profile's, so the
      -- events of a component are found through profiles (one random index page less per event).

      -- Merge history: every create, attach, merge and drop, with the event that caused it.
      CREATE TABLE identity_edges (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        collection TEXT NOT NULL,
        component_id TEXT NOT NULL,
        profile_id TEXT NOT NULL,
        kind TEXT NOT NULL, -- create | attach | merge | drop
        from_type TEXT,
        from_value TEXT,
        to_type TEXT NOT NULL,
        to_value TEXT NOT NULL,
        rule TEXT NOT NULL,
        merged_profile_id TEXT,
        seq INTEGER NOT NULL,
        message_id TEXT NOT NULL,
        source_id TEXT NOT NULL,
        "timestamp" INTEGER NOT NULL
      );
      CREATE INDEX identity_edges_profile ON identity_edges (profile_id, id);
      -- No index on component_id: an edge's component is always its profile's.

      -- Operators' corrections (splits): block an identifier, or keep two apart.
      CREATE TABLE identity_overrides (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        collection TEXT NOT NULL,
        kind TEXT NOT NULL, -- block | separate
        a_type TEXT NOT NULL,
        a_value TEXT NOT NULL,
        b_type TEXT,
        b_value TEXT,
        reason TEXT NOT NULL,
        actor TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX identity_overrides_a ON identity_overrides (collection, a_type, a_value);
      CREATE INDEX identity_overrides_b ON identity_overrides (collection, b_type, b_value);

      -- Audit of re-resolutions (late events, splits, changed rules).
      CREATE TABLE identity_rebuilds (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        collection TEXT NOT NULL,
        component_ids TEXT NOT NULL, -- JSON array
        reason TEXT NOT NULL,
        events INTEGER NOT NULL,
        profiles_before TEXT NOT NULL, -- JSON array
        profiles_after TEXT NOT NULL, -- JSON array
        actor TEXT,
        at INTEGER NOT NULL
      );
      CREATE INDEX identity_rebuilds_at ON identity_rebuilds (at);

      -- Settings edited through the API (identity rules when not managed by the config file).
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL, -- JSON
        updated_at INTEGER NOT NULL,
        updated_by TEXT NOT NULL
      );
    `

/**
 * The field inventory and observed schema (privacy/fields): per source, event and field path,
 * counts, JSON types, first and last seen, and the most harmful PII class detected. Never
 * values. Written by the `fields` consumer only.
 */
const FIELD_INVENTORY_SCHEMA_SQL = `
      CREATE TABLE field_inventory_events (
        source_id TEXT NOT NULL,
        event_type TEXT NOT NULL,
        event_name TEXT NOT NULL, -- track event, page or screen name; '' for other types
        count INTEGER NOT NULL,
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        dropped_fields INTEGER NOT NULL, -- new paths past the per-event cap
        PRIMARY KEY (source_id, event_type, event_name)
      ) WITHOUT ROWID;
      CREATE TABLE field_inventory (
        source_id TEXT NOT NULL,
        event_type TEXT NOT NULL,
        event_name TEXT NOT NULL,
        path TEXT NOT NULL, -- properties.products.$.sku
        count INTEGER NOT NULL,
        events INTEGER NOT NULL, -- events holding the field
        n_string INTEGER NOT NULL,
        n_integer INTEGER NOT NULL,
        n_number INTEGER NOT NULL,
        n_boolean INTEGER NOT NULL,
        n_null INTEGER NOT NULL,
        n_object INTEGER NOT NULL,
        n_array INTEGER NOT NULL,
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        pii_rank INTEGER NOT NULL, -- 0 restricted, 1 sensitive, 2 personal, 3 none
        pii_kind TEXT,
        PRIMARY KEY (source_id, event_type, event_name, path)
      ) WITHOUT ROWID;
      CREATE INDEX field_inventory_pii ON field_inventory (pii_rank, source_id);
    `

/**
 * Schema of the embedded store, as ordered migrations. Applied at start inside one
 * transaction each; never edit a released migration, add a new one.
 */
export const SQLITE_MIGRATIONS: ReadonlyArray<{ id: string; sql: string }> = [
  {
    id: '0001_event_log',
    sql: `
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY, -- the event's offset in the log
        message_id TEXT NOT NULL,
        source_id TEXT NOT NULL,
        type TEXT NOT NULL,
        name TEXT,
        user_id TEXT,
        anonymous_id TEXT,
        received_at INTEGER NOT NULL,
        timestamp INTEGER NOT NULL,
        payload TEXT NOT NULL
      );
      CREATE UNIQUE INDEX events_message_id ON events (message_id);
      CREATE INDEX events_source_seq ON events (source_id, seq);
      CREATE INDEX events_user_id ON events (user_id) WHERE user_id IS NOT NULL;
      CREATE INDEX events_anonymous_id ON events (anonymous_id) WHERE anonymous_id IS NOT NULL;
      CREATE INDEX events_received_at ON events (received_at);

      CREATE TABLE rejected_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        source_id TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        code TEXT NOT NULL,
        reason TEXT NOT NULL,
        message_id TEXT,
        payload TEXT NOT NULL
      );
      CREATE INDEX rejected_events_source ON rejected_events (source_id, id);

      CREATE TABLE ingest_stats (
        source_id TEXT NOT NULL,
        minute INTEGER NOT NULL,
        accepted INTEGER NOT NULL DEFAULT 0,
        duplicates INTEGER NOT NULL DEFAULT 0,
        rejected INTEGER NOT NULL DEFAULT 0,
        bytes INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (source_id, minute)
      );

      CREATE TABLE consumer_offsets (
        consumer TEXT PRIMARY KEY,
        "offset" INTEGER NOT NULL
      );

      CREATE TABLE sources (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        write_keys TEXT NOT NULL,
        allowed_origins TEXT,
        rate_limit TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE source_write_keys (
        write_key TEXT PRIMARY KEY,
        source_id TEXT NOT NULL REFERENCES sources (id) ON DELETE CASCADE
      );
    `,
  },
  { id: '0002_identity', sql: IDENTITY_SCHEMA_SQL },
  {
    id: '0003_tracking_plans',
    sql: `
      -- Tracking plans: the current rules of each plan (JSON), every revision with its author
      -- and diff, the source connections with their enforcement (JSON), and one counter row
      -- bumped by every change (the ActivePlans stamp; also serialises plan writes).
      CREATE TABLE tracking_plans (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT,
        rules TEXT NOT NULL,
        revision INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE tracking_plan_revisions (
        plan_id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        author TEXT NOT NULL,
        at INTEGER NOT NULL,
        rules TEXT NOT NULL,
        diff TEXT NOT NULL,
        PRIMARY KEY (plan_id, revision)
      );
      CREATE TABLE tracking_plan_sources (
        source_id TEXT PRIMARY KEY,
        plan_id TEXT NOT NULL,
        enforcement TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX tracking_plan_sources_plan ON tracking_plan_sources (plan_id);
      CREATE TABLE tracking_plan_stamp (
        id INTEGER PRIMARY KEY,
        value INTEGER NOT NULL
      );
      INSERT INTO tracking_plan_stamp (id, value) VALUES (1, 0);
    `,
  },
  {
    id: '0004_plan_enforcement',
    sql: planEnforcementSql({ id: 'INTEGER PRIMARY KEY AUTOINCREMENT', int: 'INTEGER' }),
  },
  // Moved to fields.db at open (see SQLITE_FIELDS_MIGRATIONS); kept so the ids stay in order.
  { id: '0005_field_inventory', sql: FIELD_INVENTORY_SCHEMA_SQL },
  { id: '0006_regulations', sql: regulationSchemaSql('INTEGER') },
  {
    id: '0007_consent',
    sql: `
      -- Preference centre: append-only changes keyed by identifier (a profile's preferences
      -- are the fold of its identifiers' changes, so merges and splits keep them).
      CREATE TABLE preference_changes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        identifier_type TEXT NOT NULL,
        identifier_value TEXT NOT NULL,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL, -- JSON: {kind:'api', actor} or {kind:'event', sourceId, messageId, seq}
        changes TEXT NOT NULL -- JSON: key -> value (null removes)
      );
      CREATE INDEX preference_changes_identifier
        ON preference_changes (identifier_type, identifier_value, at);
      -- The preference events (track "Preferences Updated") the routing index reads.
      CREATE INDEX events_preferences ON events (seq) WHERE name = 'Preferences Updated';
    `,
  },
  {
    id: '0008_audit_retention',
    sql: `
      -- The audit log (src/audit/README.md): append-only, each row chained to the one before
      -- by hash = sha256(prev_hash || canonical entry). The triggers refuse any change.
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY, -- 1, 2, 3 … in append order, no gaps
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target_type TEXT NOT NULL,
        target_id TEXT,
        outcome TEXT NOT NULL, -- ok | denied | failed
        request_id TEXT,
        ip TEXT,
        details TEXT NOT NULL, -- JSON object
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_log_at ON audit_log (at);
      CREATE INDEX audit_log_actor ON audit_log (actor, id);
      CREATE INDEX audit_log_target ON audit_log (target_type, target_id, id);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      -- Written first by every append, so the append takes tessera.db's write lock before it
      -- reads the chain head (BEGIN IMMEDIATE would also lock the attached identity.db).
      CREATE TABLE audit_append_lock (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        appends INTEGER NOT NULL
      );
      INSERT INTO audit_append_lock (singleton, appends) VALUES (1, 0);

      -- Retention policies set through the API (src/retention/README.md), one row.
      CREATE TABLE retention_settings (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        config TEXT NOT NULL, -- JSON: the retention section
        updated_at INTEGER NOT NULL
      );
      -- Rejected events are deleted by age.
      CREATE INDEX rejected_events_received_at ON rejected_events (received_at);
    `,
  },
  {
    id: '0009_quarantine_retention',
    sql: `
      -- Quarantined events are deleted by age (retention.quarantinedDays), oldest first.
      CREATE INDEX quarantined_events_received_at ON quarantined_events (received_at);
    `,
  },
  { id: '0010_trait_corrections', sql: TRAIT_CORRECTION_COLUMNS_SQL },
]

/**
 * Schema of `<dataDir>/delivery.db`, the delivery engine's own file (destinations, lanes,
 * retries, dead letters, stats): delivery commits take this file's write lock, never the
 * store's, so identity and store batches never hold up delivery (and the reverse).
 */
export const SQLITE_DELIVERY_MIGRATIONS: ReadonlyArray<{ id: string; sql: string }> = [
  {
    id: '0001_delivery',
    sql: `
      -- Destinations defined through the API; config is JSON with secret settings sealed.
      CREATE TABLE destinations (
        id TEXT PRIMARY KEY,
        config TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      -- One lane per destination: cursor into events, backoff while the destination fails.
      CREATE TABLE delivery_lanes (
        destination_id TEXT PRIMARY KEY,
        cursor INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        first_failure_at INTEGER,
        next_at INTEGER,
        last_error TEXT
      );
      CREATE TABLE delivery_retries (
        destination_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        message_id TEXT NOT NULL,
        source_id TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        user_key TEXT,
        attempts TEXT NOT NULL, -- JSON list of attempts
        first_attempt_at INTEGER NOT NULL,
        next_at INTEGER NOT NULL,
        payload TEXT, -- null: read from events by seq
        PRIMARY KEY (destination_id, seq)
      );
      CREATE INDEX delivery_retries_due ON delivery_retries (destination_id, next_at);
      CREATE TABLE delivery_dead_letters (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        destination_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        message_id TEXT NOT NULL,
        source_id TEXT NOT NULL,
        event_type TEXT NOT NULL,
        event_name TEXT,
        received_at INTEGER NOT NULL,
        payload TEXT NOT NULL,
        error_code TEXT NOT NULL,
        error_message TEXT NOT NULL,
        http_status INTEGER,
        sample TEXT,
        attempts TEXT NOT NULL,
        first_attempt_at INTEGER NOT NULL,
        failed_at INTEGER NOT NULL,
        replayed_at INTEGER
      );
      CREATE INDEX delivery_dead_letters_failed ON delivery_dead_letters (destination_id, failed_at);
      CREATE INDEX delivery_dead_letters_message ON delivery_dead_letters (message_id);
      CREATE TABLE delivery_stats (
        destination_id TEXT NOT NULL,
        minute INTEGER NOT NULL,
        delivered INTEGER NOT NULL DEFAULT 0,
        retried INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        filtered INTEGER NOT NULL DEFAULT 0,
        dead_lettered INTEGER NOT NULL DEFAULT 0,
        latency TEXT NOT NULL, -- JSON bucket counts (LATENCY_BUCKETS_MS)
        PRIMARY KEY (destination_id, minute)
      );
      CREATE TABLE delivery_errors (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        destination_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        message_id TEXT,
        code TEXT NOT NULL,
        message TEXT NOT NULL,
        http_status INTEGER,
        sample TEXT
      );
      CREATE INDEX delivery_errors_destination ON delivery_errors (destination_id, id);
      CREATE TABLE delivery_backfills (
        id TEXT PRIMARY KEY,
        destination_id TEXT NOT NULL,
        from_at INTEGER NOT NULL,
        to_at INTEGER NOT NULL,
        start_seq INTEGER NOT NULL,
        end_seq INTEGER NOT NULL,
        position INTEGER NOT NULL,
        status TEXT NOT NULL,
        events INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        finished_at INTEGER
      );
      CREATE INDEX delivery_backfills_destination ON delivery_backfills (destination_id, status);
    `,
  },
  {
    id: '0002_lane_start',
    sql: `
      -- Where a lane started: events at or below it were stored before the destination existed.
      ALTER TABLE delivery_lanes ADD COLUMN start_seq INTEGER NOT NULL DEFAULT 0;
      UPDATE delivery_lanes SET start_seq = cursor;
    `,
  },
  {
    id: '0004_consent',
    sql: `
      -- Of the filtered events, those discarded by a privacy rule (each also counts in filtered).
      ALTER TABLE delivery_stats ADD COLUMN filtered_consent INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE delivery_stats ADD COLUMN filtered_preference INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE delivery_stats ADD COLUMN filtered_restriction INTEGER NOT NULL DEFAULT 0;
    `,
  },
]

/**
 * Schema of `<dataDir>/identity.db`, identity resolution's own file: the graph, profiles,
 * merge history, `settings` (identity rules) and the identity consumer's offset. Identity
 * batches hold this file's write lock, never the store's, so storing events never waits for
 * identity resolution.
 */
export const SQLITE_IDENTITY_MIGRATIONS: ReadonlyArray<{ id: string; sql: string }> = [
  {
    id: '0001_identity',
    sql:
      IDENTITY_SCHEMA_SQL +
      `
      CREATE TABLE consumer_offsets (
        consumer TEXT PRIMARY KEY,
        "offset" INTEGER NOT NULL
      );
    `,
  },
]

/** Tables of the identity schema, moved from the store file into identity.db. */
export const IDENTITY_TABLES = [
  'identity_identifiers',
  'identity_components',
  'profiles',
  'profile_events',
  'identity_edges',
  'identity_overrides',
  'identity_rebuilds',
  'settings',
] as const

/**
 * Schema of `<dataDir>/quality.db`, the data-quality counters, rules and incidents: written by
 * the counters consumer and the alert evaluator on the main thread, so they take this file's
 * write lock and never wait (blocking the event loop) behind the store worker's.
 */
export const SQLITE_QUALITY_MIGRATIONS: ReadonlyArray<{ id: string; sql: string }> = [
  { id: '0009_data_quality', sql: QUALITY_SCHEMA_SQL },
]

/**
 * Schema of `<dataDir>/fields.db`, the field inventory and its consumer's position: written
 * only by the `fields` consumer (the followers thread), so its transactions take this file's
 * write lock and never the store's, whose writer is the store step.
 */
export const SQLITE_FIELDS_MIGRATIONS: ReadonlyArray<{ id: string; sql: string }> = [
  {
    id: '0001_field_inventory',
    sql:
      FIELD_INVENTORY_SCHEMA_SQL +
      `
      CREATE TABLE consumer_offsets (
        consumer TEXT PRIMARY KEY,
        "offset" INTEGER NOT NULL
      );
    `,
  },
]

/** Tables of the field inventory, moved from the store file into fields.db. */
export const FIELD_INVENTORY_TABLES = ['field_inventory_events', 'field_inventory'] as const
