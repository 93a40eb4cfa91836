import type { Kysely, Selectable } from 'kysely'
import type {
  OutboxItem,
  PlanStatsRow,
  QuarantinedEvent,
  QuarantineFilter,
  QuarantineStatus,
  QuarantineStore,
  Violation,
  ViolationGroup,
  ViolationOutbox,
} from '../../plans/index.js'
import type { QuarantinedEventsTable, TesseraDatabase } from './database.js'

/** Bucket width of `plan_violations` (10 minutes). */
const BUCKET_MS = 10 * 60_000

function toEvent(row: Selectable<QuarantinedEventsTable>): QuarantinedEvent {
  return {
    id: Number(row.id),
    sourceId: row.source_id,
    messageId: row.message_id,
    receivedAt: Number(row.received_at),
    type: row.type,
    name: row.name,
    payload: row.payload,
    violations: JSON.parse(row.violations) as Violation[],
    step: row.step,
    planId: row.plan_id,
    planRevision: row.plan_revision === null ? null : Number(row.plan_revision),
    status: row.status as QuarantineStatus,
    quarantinedAt: Number(row.quarantined_at),
    updatedAt: Number(row.updated_at),
  }
}

/** Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** {@link QuarantineStore} over the shared schema (SQLite and PostgreSQL). */
export class KyselyQuarantineStore implements QuarantineStore {
  constructor(private readonly db: Kysely<TesseraDatabase>) {}

  async list(
    filter: QuarantineFilter,
    page: { limit: number; after?: number },
  ): Promise<{ data: QuarantinedEvent[]; next: number | null }> {
    let query = this.db
      .selectFrom('quarantined_events')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(page.limit + 1)
    if (page.after !== undefined) query = query.where('id', '<', page.after)
    if (filter.sourceId !== undefined) query = query.where('source_id', '=', filter.sourceId)
    if (filter.eventName !== undefined) query = query.where('name', '=', filter.eventName)
    if (filter.status !== undefined) query = query.where('status', '=', filter.status)
    if (filter.since !== undefined) query = query.where('received_at', '>=', filter.since)
    if (filter.until !== undefined) query = query.where('received_at', '<', filter.until)
    if (filter.violationType !== undefined) {
      // violations is JSON.stringify output: `"type":"<type>"` appears verbatim.
      const needle = `%${likeLiteral(JSON.stringify({ type: filter.violationType }).slice(1, -1))}%`
      query = query.where((eb) => eb('violations', 'like', eb.val(needle)))
    }
    const rows = await query.execute()
    const data = rows.slice(0, page.limit).map(toEvent)
    const last = data.at(-1)
    return { data, next: rows.length > page.limit && last ? last.id : null }
  }

  async get(id: number): Promise<QuarantinedEvent | null> {
    const row = await this.db
      .selectFrom('quarantined_events')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? toEvent(row) : null
  }

  async edit(
    id: number,
    change: { payload: string; type: string; name: string | null },
    at: number,
  ): Promise<QuarantinedEvent | null> {
    const result = await this.db
      .updateTable('quarantined_events')
      .set({ payload: change.payload, type: change.type, name: change.name, updated_at: at })
      .where('id', '=', id)
      .where('status', '=', 'quarantined')
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0 ? this.get(id) : null
  }

  async setStatus(
    ids: readonly number[],
    status: 'replayed' | 'discarded',
    at: number,
  ): Promise<number> {
    if (ids.length === 0) return 0
    let moved = 0
    // Chunks keep SQLite under its bound-parameter limit.
    for (let i = 0; i < ids.length; i += 500) {
      const result = await this.db
        .updateTable('quarantined_events')
        .set({ status, updated_at: at })
        .where('id', 'in', ids.slice(i, i + 500))
        .where('status', '=', 'quarantined')
        .executeTakeFirst()
      moved += Number(result.numUpdatedRows)
    }
    return moved
  }

  async violations(sourceId: string, since: number): Promise<ViolationGroup[]> {
    const rows = await this.db
      .selectFrom('plan_violations')
      .selectAll()
      .where('source_id', '=', sourceId)
      .where('bucket', '>=', since - (since % BUCKET_MS))
      .execute()
    const groups = new Map<string, ViolationGroup>()
    for (const row of rows) {
      const key = [row.event_type, row.event_name, row.field, row.violation_type].join('\u0000')
      const lastSeen = Number(row.last_seen)
      const group = groups.get(key)
      if (!group) {
        groups.set(key, {
          eventType: row.event_type,
          eventName: row.event_name,
          field: row.field,
          violationType: row.violation_type,
          count: Number(row.count),
          firstSeen: Number(row.first_seen),
          lastSeen,
          lastMessageId: row.last_message_id,
          lastDescription: row.last_description,
        })
        continue
      }
      group.count += Number(row.count)
      group.firstSeen = Math.min(group.firstSeen, Number(row.first_seen))
      if (lastSeen >= group.lastSeen) {
        group.lastSeen = lastSeen
        group.lastMessageId = row.last_message_id
        group.lastDescription = row.last_description
      }
    }
    return [...groups.values()].sort(
      (a, b) =>
        b.count - a.count ||
        a.eventName.localeCompare(b.eventName) ||
        a.field.localeCompare(b.field) ||
        a.violationType.localeCompare(b.violationType),
    )
  }

  async planStats(sourceId: string, since: number, until: number): Promise<PlanStatsRow[]> {
    const rows = await this.db
      .selectFrom('plan_stats')
      .selectAll()
      .where('source_id', '=', sourceId)
      .where('minute', '>=', since)
      .where('minute', '<', until)
      .orderBy('minute')
      .orderBy('event_type')
      .orderBy('event_name')
      .execute()
    return rows.map((r) => ({
      minute: Number(r.minute),
      eventType: r.event_type,
      eventName: r.event_name,
      checked: Number(r.checked),
      passed: Number(r.passed),
      violated: Number(r.violated),
      blocked: Number(r.blocked),
      omitted: Number(r.omitted),
    }))
  }
}

/** {@link ViolationOutbox} over the shared schema. */
export class KyselyViolationOutbox implements ViolationOutbox {
  constructor(private readonly db: Kysely<TesseraDatabase>) {}

  async pending(limit: number): Promise<OutboxItem[]> {
    const rows = await this.db
      .selectFrom('violation_outbox')
      .selectAll()
      .orderBy('id')
      .limit(limit)
      .execute()
    return rows.map((r) => ({
      id: Number(r.id),
      sourceId: r.source_id,
      messageId: r.message_id,
      payload: r.payload,
    }))
  }

  async remove(upTo: number): Promise<void> {
    await this.db.deleteFrom('violation_outbox').where('id', '<=', upTo).execute()
  }
}
