/**
 * DDL of data-subject requests, for both dialects (`INTEGER` on SQLite, `bigint` on
 * PostgreSQL). Used by SQLite migration `0006_regulations` and PostgreSQL `0008_regulations`.
 */
export function regulationSchemaSql(int: 'INTEGER' | 'bigint'): string {
  const serial =
    int === 'INTEGER'
      ? 'INTEGER PRIMARY KEY AUTOINCREMENT'
      : 'bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY'
  return `
      -- Data-subject requests (src/regulations/README.md). subject: JSON {profileIds, identifiers}
      -- fixed when the request was accepted; log_position: the log head then.
      CREATE TABLE regulations (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        subject_type TEXT NOT NULL,
        subject_ids TEXT NOT NULL,
        subject TEXT NOT NULL,
        status TEXT NOT NULL,
        log_position ${int} NOT NULL,
        actor TEXT NOT NULL,
        created_at ${int} NOT NULL,
        finished_at ${int}
      );
      CREATE INDEX regulations_created ON regulations (created_at, id);
      CREATE INDEX regulations_status ON regulations (status, created_at);
      -- One row per store, destination or suppression change of a request, run in position order.
      CREATE TABLE regulation_tasks (
        regulation_id TEXT NOT NULL,
        position ${int} NOT NULL,
        kind TEXT NOT NULL, -- store | destination | suppression
        target TEXT NOT NULL,
        name TEXT NOT NULL,
        status TEXT NOT NULL,
        err_string TEXT,
        attempts ${int} NOT NULL DEFAULT 0,
        removed TEXT NOT NULL, -- JSON {table: rows}
        started_at ${int},
        finished_at ${int},
        PRIMARY KEY (regulation_id, position)
      );
      -- Identifiers whose new events ingest answers 200 and does not store.
      CREATE TABLE suppressed_identifiers (
        type TEXT NOT NULL,
        value TEXT NOT NULL,
        regulation_id TEXT NOT NULL,
        created_at ${int} NOT NULL,
        PRIMARY KEY (type, value)
      );
      CREATE INDEX suppressed_identifiers_regulation ON suppressed_identifiers (regulation_id);
      -- Restricted processing, by identifier so merges and rebuilds keep it.
      CREATE TABLE restricted_identifiers (
        type TEXT NOT NULL,
        value TEXT NOT NULL,
        profile_id TEXT NOT NULL, -- the profile the flag was set on (informative)
        actor TEXT NOT NULL,
        created_at ${int} NOT NULL,
        PRIMARY KEY (type, value)
      );
      -- Trait corrections, keyed by an identifier of the profile so they survive rebuilds.
      CREATE TABLE trait_corrections (
        id ${serial},
        profile_id TEXT NOT NULL,
        identifier_type TEXT NOT NULL,
        identifier_value TEXT NOT NULL,
        trait TEXT NOT NULL,
        value TEXT, -- JSON; null: the trait is removed
        actor TEXT NOT NULL,
        created_at ${int} NOT NULL
      );
      CREATE INDEX trait_corrections_identifier ON trait_corrections (identifier_type, identifier_value);
      ALTER TABLE ingest_stats ADD COLUMN suppressed ${int} NOT NULL DEFAULT 0;
    `
}

/**
 * What a trait correction keeps besides its value (SQLite migration `0010_trait_corrections`,
 * PostgreSQL `0012_trait_corrections`): the collection of the corrected profile, the value it
 * replaced (JSON; null: the trait was absent) and the operator's reason.
 */
export const TRAIT_CORRECTION_COLUMNS_SQL = `
      ALTER TABLE trait_corrections ADD COLUMN collection TEXT NOT NULL DEFAULT 'users';
      ALTER TABLE trait_corrections ADD COLUMN previous TEXT;
      ALTER TABLE trait_corrections ADD COLUMN reason TEXT;
      CREATE INDEX trait_corrections_profile ON trait_corrections (profile_id, id);
    `
