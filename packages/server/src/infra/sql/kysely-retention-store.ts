import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely'
import type { EventSelector, RetentionRule, RetentionStore } from '../../retention/index.js'
import type { AuditRetentionTables } from './audit-tables.js'
import type { TesseraDatabase } from './database.js'
import type { WriteTransaction } from './kysely-audit-store.js'

type Db = Kysely<TesseraDatabase & AuditRetentionTables>

/** Column names of an event's source, type, name and received time in one table. */
interface EventColumns {
  source: 'source_id'
  type: 'type' | 'event_type'
  name: 'name' | 'event_name'
}

const EVENTS: EventColumns = { source: 'source_id', type: 'type', name: 'name' }
const DEAD_LETTERS: EventColumns = { source: 'source_id', type: 'event_type', name: 'event_name' }

type AnyEb = ExpressionBuilder<TesseraDatabase, 'events' | 'delivery_dead_letters'>

/** `selector` as a condition on the columns (true when it selects everything). */
function matches(eb: AnyEb, columns: EventColumns, selector: EventSelector): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = []
  if (selector.sources !== null) {
    parts.push(eb(sql.ref<string>(columns.source), 'in', [...selector.sources]))
  }
  if (selector.types !== null) {
    parts.push(eb(sql.ref<string>(columns.type), 'in', [...selector.types]))
  }
  if (selector.events !== null) {
    parts.push(eb(sql.ref<string>(columns.name), 'in', [...selector.events]))
  }
  return parts.length === 0 ? eb(eb.lit(1), '=', eb.lit(1)) : eb.and(parts)
}

function ruleCondition(eb: AnyEb, columns: EventColumns, rule: RetentionRule): Expression<SqlBool> {
  return eb.and([
    eb(eb.ref('received_at'), '<', rule.before),
    matches(eb, columns, rule.match),
    ...rule.exclude.map((selector) => eb.not(matches(eb, columns, selector))),
  ])
}

/**
 * {@link RetentionStore} over the shared schema. `store` holds events and rejected events;
 * `delivery` the delivery tables (the same database on PostgreSQL; `delivery.db`, with the
 * store attached, on SQLite). Each batch is `DELETE … WHERE key IN (SELECT key … ORDER BY
 * received_at LIMIT n)` inside `writeTransaction`: one statement that writes from its start,
 * so on SQLite it waits for the write lock of the one file it deletes from (busy timeout)
 * instead of failing on a stale read snapshot.
 */
export class KyselyRetentionStore implements RetentionStore {
  constructor(
    private readonly store: Db,
    private readonly delivery: Db,
    private readonly writeTransaction: WriteTransaction,
  ) {}

  private write(db: Db, fn: (tx: Db) => Promise<number>): Promise<number> {
    return this.writeTransaction(db, (tx) => fn(tx as unknown as Db))
  }

  deleteEvents(rule: RetentionRule, limit: number): Promise<number> {
    return this.write(this.store, async (tx) => {
      const result = await tx
        .deleteFrom('events')
        .where('seq', 'in', (qb) =>
          qb
            .selectFrom('events')
            .select('seq')
            .where((eb) => ruleCondition(eb as AnyEb, EVENTS, rule))
            .orderBy('received_at')
            .limit(limit),
        )
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    })
  }

  deleteDeadLetters(rule: RetentionRule, limit: number): Promise<number> {
    return this.write(this.delivery, async (tx) => {
      const result = await tx
        .deleteFrom('delivery_dead_letters')
        .where('id', 'in', (qb) =>
          qb
            .selectFrom('delivery_dead_letters')
            .select('id')
            .where((eb) => ruleCondition(eb as AnyEb, DEAD_LETTERS, rule))
            .orderBy('received_at')
            .limit(limit),
        )
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    })
  }

  deleteOrphanRetries(limit: number): Promise<number> {
    return this.write(this.delivery, async (tx) => {
      const result = await sql`
        DELETE FROM delivery_retries WHERE (destination_id, seq) IN (
          SELECT r.destination_id, r.seq FROM delivery_retries r
          WHERE r.payload IS NULL AND NOT EXISTS (SELECT 1 FROM events e WHERE e.seq = r.seq)
          LIMIT ${limit}
        )`.execute(tx)
      return Number(result.numAffectedRows ?? 0)
    })
  }

  deleteQuarantined(before: number, limit: number): Promise<number> {
    return this.deleteOldest('quarantined_events', before, limit)
  }

  deleteRejected(before: number, limit: number): Promise<number> {
    return this.deleteOldest('rejected_events', before, limit)
  }

  /** Deletes at most `limit` rows of `table` received before `before`, oldest first. */
  private deleteOldest(
    table: 'quarantined_events' | 'rejected_events',
    before: number,
    limit: number,
  ): Promise<number> {
    return this.write(this.store, async (tx) => {
      const result = await tx
        .deleteFrom(table)
        .where('id', 'in', (qb) =>
          qb
            .selectFrom(table)
            .select('id')
            .where('received_at', '<', before)
            .orderBy('received_at')
            .limit(limit),
        )
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    })
  }

  async oldestEventAt(): Promise<number | null> {
    const row = await this.store
      .selectFrom('events')
      .select((eb) => eb.fn.min<number | null>('received_at').as('oldest'))
      .executeTakeFirst()
    return row?.oldest === null || row?.oldest === undefined ? null : Number(row.oldest)
  }

  async loadPolicies(): Promise<unknown> {
    const row = await this.store
      .selectFrom('retention_settings')
      .select('config')
      .where('singleton', '=', 1)
      .executeTakeFirst()
    return row === undefined ? null : (JSON.parse(row.config) as unknown)
  }

  async savePolicies(config: unknown, at: number): Promise<void> {
    const text = JSON.stringify(config)
    await this.store
      .insertInto('retention_settings')
      .values({ singleton: 1, config: text, updated_at: at })
      .onConflict((oc) => oc.column('singleton').doUpdateSet({ config: text, updated_at: at }))
      .execute()
  }
}
