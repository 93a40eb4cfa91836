import type { IdentityStore, IdentityTx } from '../../identity/identity-store.js'
import type { IdentitySourceEvent } from '../../identity/model.js'
import { systemClock, type Clock } from '../../platform/clock.js'
import { toSourceEvent, type SourceEventRow } from '../sql/identity-rows.js'
import { createSerialRunner, type SerialRunner } from '../sql/serial-runner.js'
import * as sql from './postgres-identity-sql.js'
import { PostgresIdentityTx } from './postgres-identity-tx.js'
import { withTransaction, type PostgresPool } from './postgres-pool.js'

/** Options of {@link PostgresIdentityStore}. */
export interface PostgresIdentityStoreOptions {
  /** Source of `settings.updated_at`. Default: the system clock. */
  clock?: Clock
}

/**
 * {@link IdentityStore} on PostgreSQL, over a pool whose connections see the migrated schema
 * (the storage's own pool).
 *
 * - `transact` checks out one connection and runs `BEGIN`, then
 *   `pg_advisory_xact_lock(IDENTITY_LOCK_KEY)` (see `postgres-identity-sql.ts`) before `fn`:
 *   batches of every process run one at a time, so a load always sees the graph its write
 *   changes and two workers never create the same profile twice. The lock goes with the
 *   transaction (`COMMIT`, or `ROLLBACK` when `fn` or the commit rejects; a connection whose
 *   rollback fails is destroyed). Calls in one process also queue in call order before taking
 *   a connection, so concurrent callers hold one pooled connection, not one each.
 * - `readEvents`, `eventsHead`, `getSetting` and `putSetting` are single statements on the
 *   pool (autocommit).
 */
export class PostgresIdentityStore implements IdentityStore {
  private readonly serial: SerialRunner = createSerialRunner()
  private readonly clock: Clock

  constructor(
    private readonly pool: PostgresPool,
    options: PostgresIdentityStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock
  }

  async readEvents(after: number, limit: number): Promise<IdentitySourceEvent[]> {
    const result = await this.pool.query<SourceEventRow>(sql.READ_EVENTS, [after, limit])
    return result.rows.map(toSourceEvent)
  }

  async eventsHead(): Promise<number> {
    const result = await this.pool.query<{ head: number | string }>(sql.EVENTS_HEAD)
    return Number(result.rows[0]?.head ?? 0)
  }

  transact<T>(fn: (tx: IdentityTx) => Promise<T>): Promise<T> {
    return this.serial(() =>
      withTransaction(this.pool, async (client) => {
        await client.query(sql.LOCK_GRAPH, [sql.IDENTITY_LOCK_KEY])
        const tx = new PostgresIdentityTx(client)
        try {
          return await fn(tx)
        } finally {
          tx.end()
        }
      }),
    )
  }

  async getSetting(key: string): Promise<unknown> {
    const result = await this.pool.query<{ value: string }>(sql.GET_SETTING, [key])
    const row = result.rows[0]
    return row === undefined ? null : (JSON.parse(row.value) as unknown)
  }

  /** `undefined` is stored as JSON `null` (read back as null, like a missing key). */
  async putSetting(key: string, value: unknown, actor: string): Promise<void> {
    const text = JSON.stringify(value) ?? 'null'
    await this.pool.query(sql.PUT_SETTING, [key, text, this.clock.now(), actor])
  }
}
