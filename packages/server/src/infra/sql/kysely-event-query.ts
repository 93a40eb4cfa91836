import type { Kysely } from 'kysely'
import {
  decodeCursor,
  encodeCursor,
  type EventFilter,
  type EventQuery,
  type IngestStatsRow,
  type Page,
  type StoredEvent,
  type StoredRejection,
} from '../../events/index.js'
import type { TesseraDatabase } from './database.js'

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** {@link EventQuery} over the shared schema; works on every Kysely dialect we ship. */
export class KyselyEventQuery implements EventQuery {
  constructor(private readonly db: Kysely<TesseraDatabase>) {}

  async events(
    filter: EventFilter,
    options: { limit: number; cursor?: string },
  ): Promise<Page<StoredEvent>> {
    let query = this.db
      .selectFrom('events')
      .select(['seq', 'source_id', 'received_at', 'payload'])
      .orderBy('seq', 'desc')
      .limit(options.limit + 1)
    if (options.cursor !== undefined) query = query.where('seq', '<', decodeCursor(options.cursor))
    if (filter.sourceId !== undefined) query = query.where('source_id', '=', filter.sourceId)
    if (filter.type !== undefined) query = query.where('type', '=', filter.type)
    if (filter.event !== undefined) query = query.where('name', '=', filter.event)
    if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId)
    if (filter.anonymousId !== undefined) {
      query = query.where('anonymous_id', '=', filter.anonymousId)
    }
    if (filter.messageId !== undefined) query = query.where('message_id', '=', filter.messageId)
    if (filter.since !== undefined) query = query.where('received_at', '>=', filter.since)
    if (filter.until !== undefined) query = query.where('received_at', '<', filter.until)
    const rows = await query.execute()
    const page = rows.slice(0, options.limit)
    const last = page.at(-1)
    return {
      data: page.map((row) => ({
        offset: Number(row.seq),
        sourceId: row.source_id,
        receivedAt: Number(row.received_at),
        event: JSON.parse(row.payload) as Record<string, unknown>,
      })),
      next: rows.length > options.limit && last ? encodeCursor(Number(last.seq)) : null,
    }
  }

  async rejected(
    filter: { sourceId?: string; since?: number; until?: number },
    options: { limit: number; cursor?: string },
  ): Promise<Page<StoredRejection>> {
    let query = this.db
      .selectFrom('rejected_events')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(options.limit + 1)
    if (options.cursor !== undefined) query = query.where('id', '<', decodeCursor(options.cursor))
    if (filter.sourceId !== undefined) query = query.where('source_id', '=', filter.sourceId)
    if (filter.since !== undefined) query = query.where('received_at', '>=', filter.since)
    if (filter.until !== undefined) query = query.where('received_at', '<', filter.until)
    const rows = await query.execute()
    const page = rows.slice(0, options.limit)
    const last = page.at(-1)
    return {
      data: page.map((row) => ({
        id: Number(row.id),
        sourceId: row.source_id,
        receivedAt: Number(row.received_at),
        code: row.code,
        reason: row.reason,
        messageId: row.message_id,
        payload: parseJson(row.payload),
      })),
      next: rows.length > options.limit && last ? encodeCursor(Number(last.id)) : null,
    }
  }

  async stats(filter: {
    sourceId?: string
    since: number
    until: number
  }): Promise<IngestStatsRow[]> {
    let query = this.db
      .selectFrom('ingest_stats')
      .selectAll()
      .where('minute', '>=', filter.since)
      .where('minute', '<', filter.until)
      .orderBy('minute')
      .orderBy('source_id')
    if (filter.sourceId !== undefined) query = query.where('source_id', '=', filter.sourceId)
    const rows = await query.execute()
    return rows.map((row) => ({
      sourceId: row.source_id,
      minute: Number(row.minute),
      accepted: Number(row.accepted),
      duplicates: Number(row.duplicates),
      rejected: Number(row.rejected),
      bytes: Number(row.bytes),
      suppressed: Number(row.suppressed),
    }))
  }
}
