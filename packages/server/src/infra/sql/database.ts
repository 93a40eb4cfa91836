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

export interface TesseraDatabase {
  events: EventsTable
  rejected_events: RejectedEventsTable
  ingest_stats: IngestStatsTable
  consumer_offsets: ConsumerOffsetsTable
  sources: SourcesTable
  source_write_keys: SourceWriteKeysTable
}
