import type { Expression, ExpressionBuilder, Kysely, Selectable, SqlBool } from 'kysely'
import {
  chainHash,
  GENESIS_HASH,
  type AuditEntry,
  type AuditFilter,
  type AuditOutcome,
  type AuditStore,
  type ChainedAuditEntry,
  type NewAuditEntry,
} from '../../audit/index.js'
import type { AuditLogTable, AuditRetentionTables } from './audit-tables.js'

type Db = Kysely<AuditRetentionTables>

/**
 * Runs `fn` in a write transaction that no other writer can interleave with: SQLite a
 * transaction opened by a write (it takes the file's write lock first, so the read of the
 * chain head is never stale; see `write-transactions.ts`), PostgreSQL a transaction holding an
 * advisory lock.
 */
export type WriteTransaction = <T>(db: Db, fn: (tx: Db) => Promise<T>) => Promise<T>

function toEntry(row: Selectable<AuditLogTable>): ChainedAuditEntry {
  return {
    id: Number(row.id),
    at: Number(row.at),
    actor: row.actor,
    action: row.action,
    target: { type: row.target_type, id: row.target_id },
    outcome: row.outcome as AuditOutcome,
    requestId: row.request_id,
    ip: row.ip,
    details: JSON.parse(row.details) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  }
}

/**
 * `column` starts with `prefix`, compared byte for byte on both dialects (`substr`, where
 * SQLite's LIKE would ignore case and treat `_` and `%` as wildcards).
 */
function startsWith(
  eb: ExpressionBuilder<AuditRetentionTables, 'audit_log'>,
  column: 'actor' | 'action',
  prefix: string,
): Expression<SqlBool> {
  return eb(eb.fn<string>('substr', [column, eb.val(1), eb.val(prefix.length)]), '=', prefix)
}

/** {@link AuditStore} over the shared schema; the database refuses UPDATE and DELETE. */
export class KyselyAuditStore implements AuditStore {
  constructor(
    private readonly db: Db,
    private readonly writeTransaction: WriteTransaction,
  ) {}

  async append(entries: readonly NewAuditEntry[]): Promise<void> {
    if (entries.length === 0) return
    await this.writeTransaction(this.db, async (tx) => {
      const head = await tx
        .selectFrom('audit_log')
        .select(['id', 'hash'])
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst()
      let id = head === undefined ? 0 : Number(head.id)
      let prevHash = head?.hash ?? GENESIS_HASH
      const rows = entries.map((entry) => {
        id += 1
        // Stored as JSON and read back: hash what a verifier will read.
        const details = JSON.parse(JSON.stringify(entry.details)) as Record<string, unknown>
        const stored: AuditEntry = { ...entry, id, details }
        const hash = chainHash(prevHash, stored)
        const row = {
          id,
          at: entry.at,
          actor: entry.actor,
          action: entry.action,
          target_type: entry.target.type,
          target_id: entry.target.id,
          outcome: entry.outcome,
          request_id: entry.requestId,
          ip: entry.ip,
          details: JSON.stringify(details),
          prev_hash: prevHash,
          hash,
        }
        prevHash = hash
        return row
      })
      await tx.insertInto('audit_log').values(rows).execute()
    })
  }

  async query(
    filter: AuditFilter,
    page: { limit: number; beforeId?: number },
  ): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('audit_log').selectAll()
    if (page.beforeId !== undefined) q = q.where('id', '<', page.beforeId)
    if (filter.from !== undefined) q = q.where('at', '>=', filter.from)
    if (filter.to !== undefined) q = q.where('at', '<', filter.to)
    if (filter.actor !== undefined) {
      const actor = filter.actor
      q = actor.endsWith('*')
        ? q.where((eb) => startsWith(eb, 'actor', actor.slice(0, -1)))
        : q.where('actor', '=', actor)
    }
    if (filter.action !== undefined) {
      const prefix = filter.action
      q = q.where((eb) =>
        eb.or([eb('action', '=', prefix), startsWith(eb, 'action', `${prefix}.`)]),
      )
    }
    if (filter.targetType !== undefined) q = q.where('target_type', '=', filter.targetType)
    if (filter.targetId !== undefined) q = q.where('target_id', '=', filter.targetId)
    if (filter.outcome !== undefined) q = q.where('outcome', '=', filter.outcome)
    const rows = await q.orderBy('id', 'desc').limit(page.limit).execute()
    return rows.map((row) => {
      const { prevHash: _p, hash: _h, ...entry } = toEntry(row)
      return entry
    })
  }

  async scan(afterId: number, limit: number): Promise<ChainedAuditEntry[]> {
    const rows = await this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute()
    return rows.map(toEntry)
  }
}
