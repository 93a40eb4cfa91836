/**
 * Data-quality tables (src/quality/README.md), the same DDL on SQLite (migration
 * `0009_data_quality` of `<dataDir>/quality.db`, attached to the store's connection as
 * `quality`) and PostgreSQL (`0011_data_quality`): integer columns are `bigint` (SQLite gives
 * them integer affinity), times are epoch ms, documents JSON text.
 */
export const QUALITY_SCHEMA_SQL = `
      -- The counters consumer's position (last event seq folded in), kept beside the
      -- counters so both commit in one transaction on the file's own write lock.
      CREATE TABLE quality_position (
        consumer text PRIMARY KEY,
        position bigint NOT NULL
      );
      -- Events per source, minute (of receivedAt), type and name ('' for none, '(other)' past
      -- the per-source cap), maintained by the counters consumer.
      CREATE TABLE quality_volume (
        source_id text NOT NULL,
        minute bigint NOT NULL,
        event_type text NOT NULL,
        event_name text NOT NULL,
        count bigint NOT NULL,
        PRIMARY KEY (source_id, minute, event_type, event_name)
      );
      CREATE INDEX quality_volume_minute ON quality_volume (minute);
      -- Required-property presence per source, minute, event name and property.
      CREATE TABLE quality_completeness (
        source_id text NOT NULL,
        minute bigint NOT NULL,
        event_name text NOT NULL,
        property text NOT NULL,
        checked bigint NOT NULL,
        present bigint NOT NULL,
        PRIMARY KEY (source_id, minute, event_name, property)
      );
      CREATE INDEX quality_completeness_minute ON quality_completeness (minute);
      -- Names counted apart per source (the cardinality cap counts these rows).
      CREATE TABLE quality_event_names (
        source_id text NOT NULL,
        event_type text NOT NULL,
        event_name text NOT NULL,
        PRIMARY KEY (source_id, event_type, event_name)
      );
      -- Alert rules created through the API (file rules live in the config).
      CREATE TABLE quality_rules (
        id text PRIMARY KEY,
        rule text NOT NULL,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL
      );
      -- Alert incidents: one row per firing, the whole incident as JSON in data.
      CREATE TABLE quality_incidents (
        id text PRIMARY KEY,
        rule_id text NOT NULL,
        status text NOT NULL,
        opened_at bigint NOT NULL,
        data text NOT NULL
      );
      CREATE INDEX quality_incidents_opened ON quality_incidents (opened_at);
      CREATE INDEX quality_incidents_rule ON quality_incidents (rule_id, status);
`
