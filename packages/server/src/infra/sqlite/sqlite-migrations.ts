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
]
