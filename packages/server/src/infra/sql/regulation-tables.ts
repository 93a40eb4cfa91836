import type { Generated } from 'kysely'
import type { TesseraDatabase } from './database.js'

/**
 * Tables of data-subject requests (SQLite migration `0006_regulations` in the store file,
 * PostgreSQL `0008_regulations`). JSON documents are text; times epoch ms.
 */
export interface RegulationsTable {
  id: string
  type: string
  subject_type: string
  subject_ids: string
  subject: string
  status: string
  log_position: number
  actor: string
  created_at: number
  finished_at: number | null
}

export interface RegulationTasksTable {
  regulation_id: string
  position: number
  kind: string
  target: string
  name: string
  status: string
  err_string: string | null
  attempts: number
  removed: string
  started_at: number | null
  finished_at: number | null
}

export interface SuppressedIdentifiersTable {
  type: string
  value: string
  regulation_id: string
  created_at: number
}

export interface RestrictedIdentifiersTable {
  type: string
  value: string
  profile_id: string
  actor: string
  created_at: number
}

export interface TraitCorrectionsTable {
  id: Generated<number>
  profile_id: string
  identifier_type: string
  identifier_value: string
  trait: string
  value: string | null
  actor: string
  created_at: number
  /** Migration 0010/0012: `users` or `accounts`. */
  collection: Generated<string>
  /** JSON of the value replaced; null: the trait was absent. */
  previous: string | null
  reason: string | null
}

export interface RegulationTables {
  regulations: RegulationsTable
  regulation_tasks: RegulationTasksTable
  suppressed_identifiers: SuppressedIdentifiersTable
  restricted_identifiers: RestrictedIdentifiersTable
  trait_corrections: TraitCorrectionsTable
}

export type RegulationDatabase = TesseraDatabase & RegulationTables
