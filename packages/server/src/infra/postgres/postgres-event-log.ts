import type {
  AppendResult,
  EventLog,
  LogEntry,
  LogItem,
  PreparedItems,
} from '../../events/index.js'
import type { EventType, LogRecord, RejectedRecord } from '../../protocol/index.js'
import type { PostgresPool } from './postgres-pool.js'

// One statement, so one round trip and one implicit transaction, whatever the batch size:
// columns travel as arrays (no bind-parameter limit). The UPDATE of the single
// `event_log_head` row takes the offsets and holds that row's lock until the statement
// commits, so appends from every process commit one after another in offset order.
const APPEND = `
  WITH head AS (
    UPDATE event_log_head SET head = head + $1::bigint RETURNING head
  ), appended AS (
    INSERT INTO event_log ("offset", kind, source_id, received_at, message_id, type, name,
                           user_id, anonymous_id, "timestamp", code, reason, payload)
    SELECT head.head - $1::bigint + item.position, item.kind, item.source_id, item.received_at,
           item.message_id, item.type, item.name, item.user_id, item.anonymous_id, item.ts,
           item.code, item.reason, item.payload
    FROM head, unnest($2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[],
                      $8::text[], $9::text[], $10::bigint[], $11::text[], $12::text[], $13::text[])
      WITH ORDINALITY AS item (kind, source_id, received_at, message_id, type, name, user_id,
                               anonymous_id, ts, code, reason, payload, position)
  )
  SELECT head FROM head`

const READ_AFTER = `
  SELECT "offset", kind, source_id, received_at, message_id, type, name, user_id, anonymous_id,
         "timestamp", code, reason, payload
  FROM event_log WHERE "offset" > $1 ORDER BY "offset" LIMIT $2`

/** Rows deleted per statement by {@link PostgresEventLog.release}. */
const RELEASE_BATCH = 10_000

/** An `event_log` row as `pg` returns it (bigints may come back as strings). */
interface EventLogRow {
  offset: number | string
  kind: string
  source_id: string
  received_at: number | string
  message_id: string | null
  type: string | null
  name: string | null
  user_id: string | null
  anonymous_id: string | null
  timestamp: number | string | null
  code: string | null
  reason: string | null
  payload: string
}

function toEntry(row: EventLogRow): LogEntry {
  const offset = Number(row.offset)
  const sourceId = row.source_id
  const receivedAt = Number(row.received_at)
  if (row.kind === 'rejection') {
    const { code, reason, payload, message_id: messageId } = row
    return {
      offset,
      kind: 'rejection',
      record: { sourceId, receivedAt, code: code ?? '', reason: reason ?? '', payload, messageId },
    }
  }
  return {
    offset,
    kind: 'event',
    record: {
      messageId: row.message_id ?? '',
      sourceId,
      type: row.type as EventType,
      name: row.name,
      userId: row.user_id,
      anonymousId: row.anonymous_id,
      receivedAt,
      timestamp: Number(row.timestamp),
      payload: row.payload,
    },
  }
}

/** The APPEND parameters after the count: one array per column, null where a kind has none. */
function columns(items: readonly LogItem[]): unknown[][] {
  const event = <T>(pick: (r: LogRecord) => T): Array<T | null> =>
    items.map((item) => (item.kind === 'event' ? pick(item.record) : null))
  const rejection = <T>(pick: (r: RejectedRecord) => T): Array<T | null> =>
    items.map((item) => (item.kind === 'rejection' ? pick(item.record) : null))
  return [
    items.map((item) => item.kind),
    items.map((item) => item.record.sourceId),
    items.map((item) => item.record.receivedAt),
    items.map((item) => item.record.messageId),
    event((r) => r.type),
    event((r) => r.name),
    event((r) => r.userId),
    event((r) => r.anonymousId),
    event((r) => r.timestamp),
    rejection((r) => r.code),
    rejection((r) => r.reason),
    items.map((item) => item.record.payload),
  ]
}

/** What {@link PostgresEventLog.prepare} returns: copies of the items (records are flat). */
class HeldItems implements PreparedItems {
  readonly count: number
  readonly items: readonly LogItem[]
  constructor(items: readonly LogItem[]) {
    this.items = items.map((item) =>
      item.kind === 'event'
        ? { kind: 'event', record: { ...item.record } }
        : { kind: 'rejection', record: { ...item.record } },
    )
    this.count = items.length
  }
}

/**
 * {@link EventLog} on PostgreSQL: the `event_log` table, using the driver directly.
 *
 * `event_log_head` holds the highest offset ever given. An append is a single statement that
 * advances it by the batch size and inserts the items at the offsets in between: committed ⇒
 * durable, and a failed append rolls back entirely, so offsets have no gaps. The row lock on
 * `event_log_head`, held until commit, makes appends commit in offset order across every
 * process appending to the database, so a reader following `offset > position` never skips a
 * row that commits later with a smaller offset. (It plays the role of the transaction advisory
 * lock of docs/adr/0003-event-log.md, and also keeps the head when `release` empties the
 * table.) Durable as far as the server's `synchronous_commit` is on, its default.
 */
export class PostgresEventLog implements EventLog {
  constructor(private readonly pool: PostgresPool) {}

  async append(items: readonly LogItem[]): Promise<AppendResult> {
    if (items.length === 0) {
      const head = await this.head()
      return { first: head + 1, last: head }
    }
    const result = await this.pool.query<{ head: number | string }>(APPEND, [
      items.length,
      ...columns(items),
    ])
    const last = Number(result.rows[0]?.head)
    if (!Number.isSafeInteger(last)) throw new Error('event_log_head is missing')
    return { first: last - items.length + 1, last }
  }

  /** Copies the items: the append binds their fields as statement parameters. */
  prepare(items: readonly LogItem[]): PreparedItems {
    return new HeldItems(items)
  }

  appendPrepared(batches: readonly PreparedItems[]): Promise<AppendResult> {
    const items: LogItem[] = []
    for (const batch of batches) {
      if (!(batch instanceof HeldItems)) {
        return Promise.reject(new TypeError('PostgreSQL log: a batch it did not prepare'))
      }
      for (const item of batch.items) items.push(item)
    }
    return this.append(items)
  }

  async read(after: number, limit: number): Promise<LogEntry[]> {
    const result = await this.pool.query<EventLogRow>(READ_AFTER, [after, limit])
    return result.rows.map(toEntry)
  }

  async head(): Promise<number> {
    const result = await this.pool.query<{ head: number | string }>(
      'SELECT head FROM event_log_head',
    )
    return Number(result.rows[0]?.head ?? 0)
  }

  /**
   * Deletes entries at or below `upTo`, in statements of at most {@link RELEASE_BATCH} rows
   * (offsets are consecutive, so ranges of that width) to keep each transaction short.
   */
  async release(upTo: number): Promise<void> {
    const result = await this.pool.query<{
      low: number | string | null
      high: number | string | null
    }>('SELECT min("offset") AS low, max("offset") AS high FROM event_log')
    const { low, high } = result.rows[0] ?? { low: null, high: null }
    if (low === null || high === null) return
    const end = Math.min(upTo, Number(high))
    for (let from = Number(low) - 1; from < end; from += RELEASE_BATCH) {
      await this.pool.query('DELETE FROM event_log WHERE "offset" > $1 AND "offset" <= $2', [
        from,
        Math.min(from + RELEASE_BATCH, end),
      ])
    }
  }
}
