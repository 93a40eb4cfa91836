import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import { afterAll, afterEach, beforeAll } from 'vitest'
import {
  describeConsentHistoryContract,
  type ConsentHistoryContractSubject,
} from '../../consent/consent-history.contract.js'
import { describePreferenceStoreContract } from '../../consent/preference-store.contract.js'
import { migratePostgres } from '../postgres/postgres-migrations.js'
import { migrateSqlite } from '../sqlite/open-sqlite-storage.js'
import type { TesseraDatabase } from './database.js'
import { KyselyConsentHistory } from './kysely-consent-history.js'
import { KyselyPreferenceStore } from './kysely-preference-store.js'
import { seedIdentityRows } from './seed-identity-rows.js'

// Real SQLite files and a real PostgreSQL on this machine: no skip when PostgreSQL is down.
const DATABASE_URL =
  process.env.TESSERA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const INT8_OID = 20

const dirs: string[] = []
const schemas: string[] = []
let admin: pg.Pool

beforeAll(() => {
  admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2 })
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

function subjectOf(
  db: Kysely<TesseraDatabase>,
): ConsentHistoryContractSubject & { preferences: KyselyPreferenceStore } {
  return {
    consentHistory: new KyselyConsentHistory(db),
    preferences: new KyselyPreferenceStore(db),
    seed: (fixture) => seedIdentityRows(db, fixture),
    close: () => db.destroy(),
  }
}

function openSqlite(): Promise<ReturnType<typeof subjectOf>> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-consent-'))
  dirs.push(dir)
  const db = new Database(join(dir, 'tessera.db'))
  migrateSqlite(db)
  return Promise.resolve(
    subjectOf(new Kysely<TesseraDatabase>({ dialect: new SqliteDialect({ database: db }) })),
  )
}

async function openPostgres(): Promise<ReturnType<typeof subjectOf>> {
  const schema = `tessera_test_${randomBytes(8).toString('hex')}`
  schemas.push(schema)
  const types = new pg.TypeOverrides()
  types.setTypeParser(INT8_OID, Number)
  const pool = new pg.Pool({
    connectionString: DATABASE_URL,
    types,
    max: 2,
    options: `-c search_path=${schema}`,
  })
  await migratePostgres(pool, { schema })
  return subjectOf(new Kysely<TesseraDatabase>({ dialect: new PostgresDialect({ pool }) }))
}

describeConsentHistoryContract('sqlite', openSqlite)
describeConsentHistoryContract('postgres', openPostgres)
describePreferenceStoreContract('sqlite', openSqlite)
describePreferenceStoreContract('postgres', openPostgres)
