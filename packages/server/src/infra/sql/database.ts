import type { Generated } from 'kysely'

/**
 * Table shapes shared by the SQLite and PostgreSQL adapters, for Kysely. Both schemas store
 * times as epoch milliseconds in integer columns and JSON documents as text, so one set of
 * queries serves both dialects.
 */
export interface EventsTable {
  seq: number
  message_id: string
  source_id: string
  type: string
  name: string | null
  user_id: string | null
  anonymous_id: string | null
  received_at: number
  timestamp: number
  payload: string
}

export interface RejectedEventsTable {
  id: number
  source_id: string
  received_at: number
  code: string
  reason: string
  message_id: string | null
  payload: string
}

export interface IngestStatsTable {
  source_id: string
  minute: number
  accepted: number
  duplicates: number
  rejected: number
  bytes: number
}

export interface ConsumerOffsetsTable {
  consumer: string
  offset: number
}

export interface SourcesTable {
  id: string
  name: string
  write_keys: string
  allowed_origins: string | null
  rate_limit: string | null
  created_at: number
  updated_at: number
}

export interface SourceWriteKeysTable {
  write_key: string
  source_id: string
}

/** Identity graph tables (migration 0002_identity; see src/identity/README.md). */
export interface IdentityIdentifiersTable {
  collection: string
  type: string
  value: string
  component_id: string
  profile_id: string | null
  added_at: number | null
  first_seen: number
  first_message_id: string
  first_source_id: string
}

export interface IdentityComponentsTable {
  id: string
  max_key: string
  events: number
}

export interface ProfilesTable {
  id: string
  collection: string
  component_id: string
  traits: string
  counts: string
  merges: number
  first_seen: number
  last_seen: number
  first_message_id: string
  first_source_id: string
  last_message_id: string
  last_source_id: string
  created_at: number
  updated_at: number
}

export interface ProfileEventsTable {
  seq: number
  collection: string
  component_id: string
  profile_id: string
  order_key: string
  timestamp: number
  message_id: string
  identifiers: string
}

export interface IdentityEdgesTable {
  id: Generated<number>
  collection: string
  component_id: string
  profile_id: string
  kind: string
  from_type: string | null
  from_value: string | null
  to_type: string
  to_value: string
  rule: string
  merged_profile_id: string | null
  seq: number
  message_id: string
  source_id: string
  timestamp: number
}

export interface IdentityOverridesTable {
  id: Generated<number>
  collection: string
  kind: string
  a_type: string
  a_value: string
  b_type: string | null
  b_value: string | null
  reason: string
  actor: string
  created_at: number
}

export interface IdentityRebuildsTable {
  id: Generated<number>
  collection: string
  component_ids: string
  reason: string
  events: number
  profiles_before: string
  profiles_after: string
  actor: string | null
  at: number
}

export interface SettingsTable {
  key: string
  value: string
  updated_at: number
  updated_by: string
}

export interface TesseraDatabase {
  events: EventsTable
  rejected_events: RejectedEventsTable
  ingest_stats: IngestStatsTable
  consumer_offsets: ConsumerOffsetsTable
  sources: SourcesTable
  source_write_keys: SourceWriteKeysTable
  identity_identifiers: IdentityIdentifiersTable
  identity_components: IdentityComponentsTable
  profiles: ProfilesTable
  profile_events: ProfileEventsTable
  identity_edges: IdentityEdgesTable
  identity_overrides: IdentityOverridesTable
  identity_rebuilds: IdentityRebuildsTable
  settings: SettingsTable
}
