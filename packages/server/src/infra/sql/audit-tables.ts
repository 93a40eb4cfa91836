/**
 * Tables of the audit log and retention (migrations `0008_audit_retention` on SQLite,
 * `0010_audit_retention` on PostgreSQL), for Kysely. Kept apart from `database.ts`; adapters
 * add them with `withTables<AuditRetentionTables>()`.
 */
export interface AuditLogTable {
  id: number
  at: number
  actor: string
  action: string
  target_type: string
  target_id: string | null
  outcome: string
  request_id: string | null
  ip: string | null
  details: string // JSON object
  prev_hash: string
  hash: string
}

/** The retention policies set through the API (one row), when the file does not manage them. */
export interface RetentionSettingsTable {
  singleton: number
  config: string // JSON: the `retention` section
  updated_at: number
}

// A type alias (not an interface): Kysely's `withTables` needs an index-signature-compatible type.
export type AuditRetentionTables = {
  audit_log: AuditLogTable
  retention_settings: RetentionSettingsTable
}
