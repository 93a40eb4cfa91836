import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import { afterAll, afterEach, beforeAll } from 'vitest'
import type { LogRecord } from '../../protocol/index.js'
import {
  describeIdentityMatchContract,
  type MatchFixtureProfile,
} from '../../quality/identity-match.contract.js'
import { describeQualityAlertStoreContract } from '../../quality/quality-alert-store.contract.js'
import { describeQualityCountersContract } from '../../quality/quality-counters.contract.js'
import { openPostgresStorage } from '../postgres/open-postgres-storage.js'
import { openSqliteStorage } from '../sqlite/open-sqlite-storage.js'
import type { Storage } from '../storage.js'
import type { TesseraDatabase } from './database.js'
import { seedIdentityRows, type IdentityRowsFixture } from './seed-identity-rows.js'

// The data-quality ports on real SQLite files and a real PostgreSQL (house style §8.6): no
// skip when PostgreSQL is down, every test fails on connect.
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

// Runs after the contracts' own afterEach, which closes the subject.
afterEach(async () => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  for (const schema of schemas.splice(0)) {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  }
})

/** The profiles and identifiers of the match fixture as identity resolution writes them. */
function identityRows(profiles: readonly MatchFixtureProfile[]): IdentityRowsFixture {
  return {
    profiles: profiles.map((p) => ({
      id: p.id,
      collection: 'users',
      componentId: `c-${p.id}`,
      traits: {},
      counts: {},
      merges: 0,
      firstSeen: p.firstSeen,
      lastSeen: p.firstSeen,
      firstMessageId: `m-${p.id}`,
      firstSourceId: p.firstSourceId,
      lastMessageId: `m-${p.id}`,
      lastSourceId: p.firstSourceId,
      createdAt: p.firstSeen,
      updatedAt: p.firstSeen,
    })),
    identifiers: profiles.flatMap((p) =>
      p.identifiers.map((i) => ({
        collection: 'users' as const,
        type: i.type,
        value: i.value,
        componentId: `c-${p.id}`,
        profileId: p.id,
        addedAt: i.firstSeen,
        firstSeen: i.firstSeen,
        firstMessageId: `m-${p.id}`,
        firstSourceId: p.firstSourceId,
      })),
    ),
  }
}

interface Subject {
  storage: Storage
  seedDb: Kysely<TesseraDatabase>
}

function subjectOf({ storage, seedDb }: Subject) {
  let next = 1
  return {
    qualityCounters: storage.qualityCounters,
    qualityAlerts: storage.qualityAlerts,
    identityMatch: storage.identityMatch,
    async storeEvents(records: readonly LogRecord[]) {
      const entries = records.map((record) => ({ kind: 'event' as const, record, offset: next++ }))
      await storage.eventStore.apply('store', entries)
    },
    seed: (profiles: readonly MatchFixtureProfile[]) =>
      seedIdentityRows(seedDb, identityRows(profiles)),
    async close() {
      await seedDb.destroy()
      await storage.close()
    },
  }
}

function openSqlite() {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-quality-'))
  dirs.push(dir)
  const storage = openSqliteStorage({ dataDir: dir })
  // Identity rows go straight into identity.db, as the resolver's own connection writes them.
  const identity = new Database(join(dir, 'identity.db'))
  const seedDb = new Kysely<TesseraDatabase>({ dialect: new SqliteDialect({ database: identity }) })
  return Promise.resolve(subjectOf({ storage, seedDb }))
}

async function openPostgres() {
  const schema = `tessera_test_${randomBytes(8).toString('hex')}`
  schemas.push(schema)
  const storage = await openPostgresStorage({ url: DATABASE_URL, schema })
  const types = new pg.TypeOverrides()
  types.setTypeParser(INT8_OID, Number)
  const pool = new pg.Pool({
    connectionString: DATABASE_URL,
    types,
    max: 1,
    options: `-c search_path=${schema}`,
  })
  const seedDb = new Kysely<TesseraDatabase>({ dialect: new PostgresDialect({ pool }) })
  return subjectOf({ storage, seedDb })
}

for (const [name, open] of [
  ['sqlite', openSqlite],
  ['postgres', openPostgres],
] as const) {
  describeQualityCountersContract(name, open)
  describeQualityAlertStoreContract(name, open)
  describeIdentityMatchContract(name, open)
}
