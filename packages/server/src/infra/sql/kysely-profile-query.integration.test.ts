import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  buildProfileScenario,
  describeProfileQueryContract,
  type ProfileQueryContractSubject,
} from '../../identity/profile-query.contract.js'
import { migratePostgres } from '../postgres/postgres-migrations.js'
import { migrateSqlite } from '../sqlite/open-sqlite-storage.js'
import type { TesseraDatabase } from './database.js'
import { KyselyProfileQuery } from './kysely-profile-query.js'
import { seedIdentityRows } from './seed-identity-rows.js'

// Real SQLite files and a real PostgreSQL on this machine (house style §8.6): no skip when
// PostgreSQL is down, every test fails on connect.
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

// Runs after the contract's own afterEach, which closes the subject.
afterEach(async () => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  for (const schema of schemas.splice(0)) {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  }
})

function subjectOf(db: Kysely<TesseraDatabase>): ProfileQueryContractSubject {
  return {
    profileQuery: new KyselyProfileQuery(db),
    seed: (fixture) => seedIdentityRows(db, fixture),
    close: () => db.destroy(),
  }
}

function openSqlite(): Promise<ProfileQueryContractSubject> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-profiles-'))
  dirs.push(dir)
  const db = new Database(join(dir, 'tessera.db'))
  migrateSqlite(db)
  return Promise.resolve(
    subjectOf(new Kysely<TesseraDatabase>({ dialect: new SqliteDialect({ database: db }) })),
  )
}

/** A pool on a fresh schema, `bigint` parsed to numbers as `openPostgresStorage` does. */
async function openPostgres(): Promise<ProfileQueryContractSubject> {
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

describeProfileQueryContract('sqlite', openSqlite)
describeProfileQueryContract('postgres', openPostgres)

describe('KyselyProfileQuery on SQLite', () => {
  // CPU time, not wall time: other processes on a shared machine stretch wall time.
  it('serves a Profile API lookup and page of events in under 2 ms of CPU', async () => {
    const subject = await openSqlite()
    try {
      await subject.seed(buildProfileScenario().fixture)
      const query = subject.profileQuery
      const email = { type: 'email', value: 'jane@example.com' }
      for (let i = 0; i < 50; i++) await query.findByIdentifier('users', email)
      const rounds = 200
      const started = process.cpuUsage()
      for (let i = 0; i < rounds; i++) {
        const profile = await query.findByIdentifier('users', email)
        expect((await query.events(profile?.id ?? '', { limit: 10 })).data).toHaveLength(6)
      }
      const used = process.cpuUsage(started)
      const perRequest = (used.user + used.system) / 1000 / rounds
      expect(perRequest).toBeLessThan(2)
    } finally {
      await subject.close()
    }
  })
})
