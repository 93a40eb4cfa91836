import { sql, type Kysely } from 'kysely'
import type {
  ErasureSubject,
  SubjectDelivery,
  SubjectEvents,
  SubjectQuarantined,
  SubjectRecords,
  SubjectRejection,
} from '../../regulations/index.js'
import type { TesseraDatabase } from './database.js'
import { contains, inList, type Dialect } from './kysely-erasure-targets.js'
import { chunks } from './stored-events.js'

/** Seqs or messageIds per statement (one array parameter each). */
const BIG_CHUNK = 10_000

/** JSON text parsed, or the text itself when it is not JSON. */
function parseLoose(text: string | null): unknown {
  if (text === null) return null
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

type Db = Kysely<TesseraDatabase>

/**
 * {@link SubjectRecords} on the store (`rejected_events`, `quarantined_events`) and the
 * delivery state (on SQLite `delivery.db`'s connection), matching rows as the erasure targets
 * of `kysely-erasure-targets.ts` do. Reads only.
 */
export class KyselySubjectRecords implements SubjectRecords {
  constructor(private readonly options: { main: Db; delivery: Db; dialect: Dialect }) {}

  /** Ids of `table` rows naming the subject (payload or messageId), ascending, at most `limit`. */
  private async matchingIds(
    table: 'rejected_events' | 'quarantined_events',
    subject: ErasureSubject,
    events: SubjectEvents,
    limit: number,
  ): Promise<number[]> {
    const { main, dialect } = this.options
    const ids = new Set<number>()
    for (const id of subject.identifiers) {
      const needle = JSON.stringify(id.value)
      const column = id.type === 'email' ? sql`lower(payload)` : sql`payload`
      const rows = await main
        .selectFrom(table)
        .select('id')
        .where(contains(dialect, column, id.type === 'email' ? needle.toLowerCase() : needle))
        .orderBy('id')
        .limit(limit)
        .execute()
      for (const r of rows) ids.add(Number(r.id))
    }
    for (const messageIds of chunks(events.messageIds, BIG_CHUNK)) {
      const rows = await main
        .selectFrom(table)
        .select('id')
        .where(inList(dialect, 'message_id', messageIds))
        .orderBy('id')
        .limit(limit)
        .execute()
      for (const r of rows) ids.add(Number(r.id))
    }
    return [...ids].sort((a, b) => a - b).slice(0, limit)
  }

  async rejected(
    subject: ErasureSubject,
    events: SubjectEvents,
    limit: number,
  ): Promise<SubjectRejection[]> {
    const ids = await this.matchingIds('rejected_events', subject, events, limit)
    if (ids.length === 0) return []
    const rows = await this.options.main
      .selectFrom('rejected_events')
      .selectAll()
      .where('id', 'in', ids)
      .orderBy('id')
      .execute()
    return rows.map((r) => ({
      id: Number(r.id),
      sourceId: r.source_id,
      receivedAt: Number(r.received_at),
      code: r.code,
      reason: r.reason,
      messageId: r.message_id,
      payload: parseLoose(r.payload),
    }))
  }

  async quarantined(
    subject: ErasureSubject,
    events: SubjectEvents,
    limit: number,
  ): Promise<SubjectQuarantined[]> {
    const ids = await this.matchingIds('quarantined_events', subject, events, limit)
    if (ids.length === 0) return []
    const rows = await this.options.main
      .selectFrom('quarantined_events')
      .selectAll()
      .where('id', 'in', ids)
      .orderBy('id')
      .execute()
    return rows.map((r) => ({
      id: Number(r.id),
      sourceId: r.source_id,
      messageId: r.message_id,
      receivedAt: Number(r.received_at),
      type: r.type,
      name: r.name,
      status: r.status,
      violations: parseLoose(r.violations),
      payload: parseLoose(r.payload),
      quarantinedAt: Number(r.quarantined_at),
    }))
  }

  async delivery(events: SubjectEvents, limit: number): Promise<SubjectDelivery> {
    const { delivery: db, dialect } = this.options
    const out: SubjectDelivery = { retries: [], deadLetters: [] }
    for (const seqs of chunks(events.seqs, BIG_CHUNK)) {
      if (out.retries.length >= limit) break
      const rows = await db
        .selectFrom('delivery_retries')
        .select([
          'destination_id',
          'seq',
          'message_id',
          'source_id',
          'attempts',
          'first_attempt_at',
          'next_at',
        ])
        .where(inList(dialect, 'seq', seqs))
        .orderBy('seq')
        .limit(limit - out.retries.length)
        .execute()
      out.retries.push(
        ...rows.map((r) => ({
          destinationId: r.destination_id,
          seq: Number(r.seq),
          messageId: r.message_id,
          sourceId: r.source_id,
          attempts: parseLoose(r.attempts),
          firstAttemptAt: Number(r.first_attempt_at),
          nextAt: Number(r.next_at),
        })),
      )
    }
    for (const messageIds of chunks(events.messageIds, BIG_CHUNK)) {
      if (out.deadLetters.length >= limit) break
      const rows = await db
        .selectFrom('delivery_dead_letters')
        .selectAll()
        .where(inList(dialect, 'message_id', messageIds))
        .orderBy('id')
        .limit(limit - out.deadLetters.length)
        .execute()
      out.deadLetters.push(
        ...rows.map((r) => ({
          id: Number(r.id),
          destinationId: r.destination_id,
          seq: Number(r.seq),
          messageId: r.message_id,
          sourceId: r.source_id,
          eventType: r.event_type,
          eventName: r.event_name,
          errorCode: r.error_code,
          errorMessage: r.error_message,
          httpStatus: r.http_status === null ? null : Number(r.http_status),
          attempts: parseLoose(r.attempts),
          failedAt: Number(r.failed_at),
          replayedAt: r.replayed_at === null ? null : Number(r.replayed_at),
        })),
      )
    }
    return out
  }
}
