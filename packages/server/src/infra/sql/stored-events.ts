import type { Kysely } from 'kysely'
import type { TesseraDatabase } from './database.js'

/** A stored event as the followers of the event store read it (in `seq` order). */
export interface StoredEventRow {
  seq: number
  sourceId: string
  type: string
  /** `event` of track, `name` of page and screen; null otherwise. */
  name: string | null
  receivedAt: number
  /** The event as stored (JSON text). */
  payload: string
}

/**
 * Up to `limit` stored events after `afterSeq`, ascending: what a consumer that follows the
 * event store by `seq` (field inventory, data quality) reads per batch. A snapshot read; events
 * stored later appear in a later call.
 */
export async function storedEventsAfter(
  db: Kysely<TesseraDatabase>,
  afterSeq: number,
  limit: number,
): Promise<StoredEventRow[]> {
  const rows = await db
    .selectFrom('events')
    .select(['seq', 'source_id', 'type', 'name', 'received_at', 'payload'])
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    seq: Number(r.seq),
    sourceId: r.source_id,
    type: r.type,
    name: r.name,
    receivedAt: Number(r.received_at),
    payload: r.payload,
  }))
}

/** `values` cut into consecutive slices of at most `size` (multi-row inserts, `IN` lists). */
export function chunks<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size))
  return out
}
