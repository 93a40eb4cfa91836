import type { LogEntry } from '../../events/index.js'
import type { EventType } from '../../protocol/index.js'

/** An `events` row as drivers return it (PostgreSQL may return bigints as strings). */
export interface EventRow {
  seq: number | string
  message_id: string
  source_id: string
  type: string
  name: string | null
  user_id: string | null
  anonymous_id: string | null
  received_at: number | string
  timestamp: number | string
  payload: string
}

export function toLogEntry(row: EventRow): LogEntry {
  return {
    offset: Number(row.seq),
    messageId: row.message_id,
    sourceId: row.source_id,
    type: row.type as EventType,
    name: row.name,
    userId: row.user_id,
    anonymousId: row.anonymous_id,
    receivedAt: Number(row.received_at),
    timestamp: Number(row.timestamp),
    payload: row.payload,
  }
}
