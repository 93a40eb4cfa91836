import { join } from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
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
import { TEST_DATABASE_URL, useTestDatabases } from './test-databases.js'

const databases = useTestDatabases('quality')

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
  const dir = databases.tempDir()
  const storage = openSqliteStorage({ dataDir: dir })
  // Identity rows go straight into identity.db, as the resolver's own connection writes them.
  const identity = new Database(join(dir, 'identity.db'))
  const seedDb = new Kysely<TesseraDatabase>({ dialect: new SqliteDialect({ database: identity }) })
  return Promise.resolve(subjectOf({ storage, seedDb }))
}

async function openPostgres() {
  const schema = databases.newSchema()
  const storage = await openPostgresStorage({ url: TEST_DATABASE_URL, schema })
  const seedDb = await databases.postgres({ schema, max: 1 })
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
