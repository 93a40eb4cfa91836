import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { migratePostgres } from '../postgres/postgres-migrations.js'
import { migrateSqlite } from '../sqlite/open-sqlite-storage.js'
import type { TesseraDatabase } from './database.js'

/** The PostgreSQL of the tests (this machine's, trust auth, database `test`). */
export const TEST_DATABASE_URL =
  process.env.TESSERA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const INT8_OID = 20

/** Fresh databases for one test file's contract suites; see {@link useTestDatabases}. */
export interface TestDatabases {
  /** A new temporary folder, removed after the test. */
  tempDir(): string
  /** A new PostgreSQL schema name, dropped after the test (created by whoever migrates it). */
  newSchema(): string
  /** `tessera.db` in a new folder, migrated, as Kysely. */
  sqlite(): Kysely<TesseraDatabase>
  /** A pool on `schema` (default: a new one, migrated), `bigint` parsed to numbers as `openPostgresStorage` does. */
  postgres(options?: { max?: number; schema?: string }): Promise<Kysely<TesseraDatabase>>
}

/**
 * Real SQLite files and a real PostgreSQL for the Kysely adapters' contract suites (house style
 * §8.6): no skip when PostgreSQL is down, every test fails on connect. Call it once at the top
 * of a test file: it registers that file's hooks. Folders and schemas made during a test are
 * removed after it, after the contracts' own `afterEach` (which closes the subject).
 */
export function useTestDatabases(prefix: string): TestDatabases {
  const dirs: string[] = []
  const schemas: string[] = []
  let admin: pg.Pool
  beforeAll(() => {
    admin = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2 })
  })
  afterAll(async () => {
    await admin.end()
  })
  afterEach(async () => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
    for (const schema of schemas.splice(0)) {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    }
  })
  const databases: TestDatabases = {
    tempDir() {
      const dir = mkdtempSync(join(tmpdir(), `tessera-${prefix}-`))
      dirs.push(dir)
      return dir
    },
    newSchema() {
      const schema = `tessera_test_${randomBytes(8).toString('hex')}`
      schemas.push(schema)
      return schema
    },
    sqlite() {
      const db = new Database(join(databases.tempDir(), 'tessera.db'))
      migrateSqlite(db)
      return new Kysely<TesseraDatabase>({ dialect: new SqliteDialect({ database: db }) })
    },
    async postgres(options = {}) {
      const migrate = options.schema === undefined
      const schema = options.schema ?? databases.newSchema()
      const types = new pg.TypeOverrides()
      types.setTypeParser(INT8_OID, Number)
      const pool = new pg.Pool({
        connectionString: TEST_DATABASE_URL,
        types,
        max: options.max ?? 2,
        options: `-c search_path=${schema}`,
      })
      if (migrate) await migratePostgres(pool, { schema })
      return new Kysely<TesseraDatabase>({ dialect: new PostgresDialect({ pool }) })
    },
  }
  return databases
}
