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
  /** Events of suppressed identifiers answered 200 and not stored (migration 0006/0008). */
  suppressed: Generated<number>
}

/** Tracking-plan enforcement (migration 0004/0006_plan_enforcement). */
export interface QuarantinedEventsTable {
  id: Generated<number>
  source_id: string
  message_id: string
  received_at: number
  type: string
  name: string | null
  payload: string
  violations: string
  step: string
  plan_id: string | null
  plan_revision: number | null
  status: string
  quarantined_at: number
  updated_at: number
}

export interface PlanStatsTable {
  source_id: string
  minute: number
  event_type: string
  event_name: string
  checked: number
  passed: number
  violated: number
  blocked: number
  omitted: number
}

export interface PlanViolationsTable {
  source_id: string
  bucket: number
  event_type: string
  event_name: string
  field: string
  violation_type: string
  count: number
  first_seen: number
  last_seen: number
  last_message_id: string
  last_description: string
}

export interface ViolationOutboxTable {
  id: Generated<number>
  source_id: string
  message_id: string
  payload: string
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

/** Delivery tables (migration 0003_delivery; see src/destinations/README.md). */
export interface DestinationsTable {
  id: string
  config: string
  created_at: number
  updated_at: number
}

export interface DeliveryLanesTable {
  destination_id: string
  cursor: number
  start_seq: Generated<number>
  attempts: number
  first_failure_at: number | null
  next_at: number | null
  last_error: string | null
}

export interface DeliveryRetriesTable {
  destination_id: string
  seq: number
  message_id: string
  source_id: string
  received_at: number
  user_key: string | null
  attempts: string
  first_attempt_at: number
  next_at: number
  payload: string | null
}

export interface DeliveryDeadLettersTable {
  id: Generated<number>
  destination_id: string
  seq: number
  message_id: string
  source_id: string
  event_type: string
  event_name: string | null
  received_at: number
  payload: string
  error_code: string
  error_message: string
  http_status: number | null
  sample: string | null
  attempts: string
  first_attempt_at: number
  failed_at: number
  replayed_at: number | null
}

export interface DeliveryStatsTable {
  destination_id: string
  minute: number
  delivered: number
  retried: number
  failed: number
  filtered: number
  filtered_consent: number
  filtered_preference: number
  filtered_restriction: number
  dead_lettered: number
  latency: string
}

export interface DeliveryErrorsTable {
  id: Generated<number>
  destination_id: string
  at: number
  message_id: string | null
  code: string
  message: string
  http_status: number | null
  sample: string | null
}

export interface DeliveryBackfillsTable {
  id: string
  destination_id: string
  from_at: number
  to_at: number
  start_seq: number
  end_seq: number
  position: number
  status: string
  events: number
  created_at: number
  finished_at: number | null
}

/** Tracking plans (migration 0003_tracking_plans / 0005_tracking_plans; src/plans/README.md). */
export interface TrackingPlansTable {
  id: string
  name: string
  description: string | null
  rules: string
  revision: number
  created_at: number
  updated_at: number
}

export interface TrackingPlanRevisionsTable {
  plan_id: string
  revision: number
  author: string
  at: number
  rules: string
  diff: string
}

export interface TrackingPlanSourcesTable {
  source_id: string
  plan_id: string
  enforcement: string
  updated_at: number
}

export interface TrackingPlanStampTable {
  id: number
  value: number
}

export interface PreferenceChangesTable {
  id: Generated<number>
  identifier_type: string
  identifier_value: string
  at: number
  actor: string
  changes: string
}

export interface TesseraDatabase {
  events: EventsTable
  rejected_events: RejectedEventsTable
  ingest_stats: IngestStatsTable
  quarantined_events: QuarantinedEventsTable
  plan_stats: PlanStatsTable
  plan_violations: PlanViolationsTable
  violation_outbox: ViolationOutboxTable
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
  preference_changes: PreferenceChangesTable
  destinations: DestinationsTable
  delivery_lanes: DeliveryLanesTable
  delivery_retries: DeliveryRetriesTable
  delivery_dead_letters: DeliveryDeadLettersTable
  delivery_stats: DeliveryStatsTable
  delivery_errors: DeliveryErrorsTable
  delivery_backfills: DeliveryBackfillsTable
  tracking_plans: TrackingPlansTable
  tracking_plan_revisions: TrackingPlanRevisionsTable
  tracking_plan_sources: TrackingPlanSourcesTable
  tracking_plan_stamp: TrackingPlanStampTable
}
