/** Shapes of the data-quality tables (`quality-schema.ts`), for Kysely's `withTables`. */
export type QualityTables = {
  quality_position: { consumer: string; position: number }
  quality_volume: {
    source_id: string
    minute: number
    event_type: string
    event_name: string
    count: number
  }
  quality_completeness: {
    source_id: string
    minute: number
    event_name: string
    property: string
    checked: number
    present: number
  }
  quality_event_names: { source_id: string; event_type: string; event_name: string }
  quality_rules: { id: string; rule: string; created_at: number; updated_at: number }
  quality_incidents: {
    id: string
    rule_id: string
    status: string
    opened_at: number
    data: string
  }
}
