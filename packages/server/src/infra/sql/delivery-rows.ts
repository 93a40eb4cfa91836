/**
 * Row ↔ model conversions of the delivery tables, shared by the queue and admin adapters.
 * PostgreSQL returns bigint columns as strings, hence the `Number` calls.
 */
import type {
  AttemptRecord,
  Backfill,
  DeadLetter,
  DeliveryError,
  RetryEntry,
} from '../../destinations/index.js'
import type {
  DeliveryBackfillsTable,
  DeliveryDeadLettersTable,
  DeliveryRetriesTable,
} from './database.js'

export const num = (value: unknown): number => Number(value)
export const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value)

export function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback
  try {
    return JSON.parse(text) as T
  } catch {
    return fallback
  }
}

export function toRetryEntry(
  row: Omit<DeliveryRetriesTable, 'destination_id' | 'payload'> & { payload: string },
  ownPayload: boolean,
): RetryEntry {
  return {
    seq: num(row.seq),
    messageId: row.message_id,
    sourceId: row.source_id,
    receivedAt: num(row.received_at),
    userKey: row.user_key,
    attempts: parseJson<AttemptRecord[]>(row.attempts, []),
    firstAttemptAt: num(row.first_attempt_at),
    nextAt: num(row.next_at),
    payload: row.payload,
    ownPayload,
  }
}

export function toDeadLetter(row: {
  [K in keyof DeliveryDeadLettersTable]: unknown
}): DeadLetter {
  const error: DeliveryError = {
    code: String(row.error_code),
    message: String(row.error_message),
  }
  if (row.http_status !== null) error.httpStatus = num(row.http_status)
  const sample = parseJson<DeliveryError['sample'] | null>(row.sample as string | null, null)
  if (sample) error.sample = sample
  return {
    id: num(row.id),
    destinationId: String(row.destination_id),
    seq: num(row.seq),
    messageId: String(row.message_id),
    sourceId: String(row.source_id),
    eventType: String(row.event_type),
    eventName: (row.event_name as string | null) ?? null,
    receivedAt: num(row.received_at),
    payload: String(row.payload),
    error,
    attempts: parseJson<AttemptRecord[]>(row.attempts as string, []),
    firstAttemptAt: num(row.first_attempt_at),
    failedAt: num(row.failed_at),
    replayedAt: numOrNull(row.replayed_at),
  }
}

export function toBackfill(row: { [K in keyof DeliveryBackfillsTable]: unknown }): Backfill {
  return {
    id: String(row.id),
    destinationId: String(row.destination_id),
    from: num(row.from_at),
    to: num(row.to_at),
    startSeq: num(row.start_seq),
    endSeq: num(row.end_seq),
    position: num(row.position),
    status: row.status as Backfill['status'],
    events: num(row.events),
    createdAt: num(row.created_at),
    finishedAt: numOrNull(row.finished_at),
  }
}

/** Type and name of a Segment event payload, for the dead-letter columns. */
export function eventTypeAndName(payload: string): { type: string; name: string | null } {
  const event = parseJson<Record<string, unknown>>(payload, {})
  const type = typeof event.type === 'string' ? event.type : 'unknown'
  const name =
    typeof event.event === 'string'
      ? event.event
      : typeof event.name === 'string'
        ? event.name
        : null
  return { type, name }
}
