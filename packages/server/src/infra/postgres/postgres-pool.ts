/**
 * The subset of the `pg` client this adapter uses, declared locally (Kysely's `PostgresPool`
 * style) so the event log, the event store and migrations depend on a small interface, not on
 * the driver's types. A `pg.Pool` satisfies {@link PostgresPool}.
 */
export interface PostgresQueryResult<R> {
  rows: R[]
  /** Rows inserted, updated or deleted by the statement (null for other statements). */
  rowCount?: number | null
}

/** One checked-out connection; `release(error)` destroys it instead of returning it. */
export interface PostgresPoolClient {
  query<R extends object>(sql: string, parameters?: unknown[]): Promise<PostgresQueryResult<R>>
  release(error?: Error | boolean): void
}

export interface PostgresPool {
  connect(): Promise<PostgresPoolClient>
  query<R extends object>(sql: string, parameters?: unknown[]): Promise<PostgresQueryResult<R>>
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}

/**
 * Runs `work` in one transaction on one connection: BEGIN, then COMMIT when it resolves or
 * ROLLBACK when it throws (the original error is rethrown). A connection whose ROLLBACK fails
 * is destroyed rather than returned to the pool, so a half-open transaction never leaks into
 * the next caller.
 */
export async function withTransaction<T>(
  pool: PostgresPool,
  work: (client: PostgresPoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect()
  let broken: Error | undefined
  try {
    await client.query('BEGIN')
    const result = await work(client)
    await client.query('COMMIT')
    return result
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = asError(rollbackError)
    })
    throw error
  } finally {
    client.release(broken)
  }
}
