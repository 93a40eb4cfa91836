import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  describeIdentityStoreContract,
  type IdentityStoreContractSubject,
  type IdentityTables,
} from '../../identity/identity-store.contract.js'
import type { IdentityStore } from '../../identity/identity-store.js'
import type { IdentifierRecord, ProfileRecord } from '../../identity/model.js'
import { ManualClock } from '../../platform/clock.js'
import {
  toIdentityEdge,
  toProfileEventRecord,
  toRebuildRecord,
  type EdgeRow,
  type ProfileEventRow,
  type RebuildRow,
} from '../sql/identity-rows.js'
import { openPostgresStorage, type PostgresStorage } from './open-postgres-storage.js'
import { IDENTITY_LOCK_KEY } from './postgres-identity-sql.js'
import { PostgresIdentityStore } from './postgres-identity-store.js'

// A real PostgreSQL on this machine (house style §8.6); no skip when it is down.
const DATABASE_URL =
  process.env.TESSERA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** OID of `int8`, parsed to numbers as `openPostgresStorage` does. */
const INT8_OID = 20

let admin: pg.Pool
const schemas: string[] = []

beforeAll(() => {
  admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2 })
})

afterAll(async () => {
  await admin.end()
})

// Runs after the contract's own afterEach, which closes the subject.
afterEach(async () => {
  for (const schema of schemas.splice(0)) {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  }
})

/** A schema name no other test (or concurrent test run) uses; dropped after the test. */
function freshSchema(): string {
  const schema = `tessera_test_${randomBytes(8).toString('hex')}`
  schemas.push(schema)
  return schema
}

/** A pool of its own on `schema`, configured like the storage's. */
function poolOn(schema: string): pg.Pool {
  const types = new pg.TypeOverrides()
  types.setTypeParser(INT8_OID, Number)
  return new pg.Pool({
    connectionString: DATABASE_URL,
    types,
    max: 4,
    options: `-c search_path=${schema}`,
  })
}

function postgresTables(pool: pg.Pool): IdentityTables {
  const all = async <R extends object>(sql: string): Promise<R[]> => (await pool.query<R>(sql)).rows
  return {
    edges: async () =>
      (await all<EdgeRow>('SELECT * FROM identity_edges ORDER BY id')).map(toIdentityEdge),
    profileEvents: async () =>
      (await all<ProfileEventRow>('SELECT * FROM profile_events ORDER BY seq, collection')).map(
        toProfileEventRecord,
      ),
    rebuilds: async () =>
      (await all<RebuildRow>('SELECT * FROM identity_rebuilds ORDER BY id')).map(toRebuildRecord),
    settingMeta: async (key) => {
      const result = await pool.query<{ updatedAt: number; updatedBy: string }>(
        'SELECT updated_at AS "updatedAt", updated_by AS "updatedBy" FROM settings WHERE key = $1',
        [key],
      )
      return result.rows[0] ?? null
    },
  }
}

/** A migrated schema: the storage (for `events`) and the identity adapter on its own pool. */
async function openSchema(): Promise<{ storage: PostgresStorage; schema: string }> {
  const schema = freshSchema()
  return { storage: await openPostgresStorage({ url: DATABASE_URL, schema }), schema }
}

async function openSubject(): Promise<IdentityStoreContractSubject> {
  const { storage, schema } = await openSchema()
  const pool = poolOn(schema)
  const clock = new ManualClock()
  return {
    identityStore: new PostgresIdentityStore(pool, { clock }),
    eventStore: storage.eventStore,
    tables: postgresTables(pool),
    now: clock.now(),
    close: async () => {
      await pool.end()
      await storage.close()
    },
  }
}

describeIdentityStoreContract('postgres', openSubject)

/**
 * One resolution step as a worker would run it: load the slice of `keys`; attach the missing
 * identifiers to the profile already holding one of them, or create a profile for them all.
 * The pause between load and write widens the window a missing lock would leave open.
 */
async function resolveOnce(store: IdentityStore, keys: string[], profileId: string): Promise<void> {
  await store.transact(async (tx) => {
    const found = await tx.loadSlice('users', keys)
    await new Promise((resolve) => setTimeout(resolve, 1))
    const owner = found.profiles[0]?.id ?? profileId
    const known = new Set(found.identifiers.map((r) => `${r.type}:${r.value}`))
    const identifiers: IdentifierRecord[] = keys
      .filter((key) => !known.has(key))
      .map((key) => {
        const [type = '', value = ''] = key.split(':')
        return {
          collection: 'users',
          type,
          value,
          componentId: `cmp_${owner}`,
          profileId: owner,
          addedAt: 1,
          firstSeen: 1,
          firstMessageId: profileId,
          firstSourceId: 'src_test',
        }
      })
    const profiles: ProfileRecord[] = found.profiles.length > 0 ? [] : [newProfile(owner)]
    await tx.write({
      deleteComponents: [],
      relabelComponents: [],
      moveProfiles: [],
      components: [{ id: `cmp_${owner}`, maxKey: profileId, events: 1 }],
      identifiers,
      profiles,
      events: [],
      edges: [],
    })
  })
}

function newProfile(id: string): ProfileRecord {
  return {
    id,
    collection: 'users',
    componentId: `cmp_${id}`,
    traits: {},
    counts: {},
    merges: 0,
    firstSeen: 1,
    lastSeen: 1,
    firstMessageId: id,
    firstSourceId: 'src_test',
    lastMessageId: id,
    lastSourceId: 'src_test',
    createdAt: 1,
    updatedAt: 1,
  }
}

describe('PostgresIdentityStore', () => {
  const cleanup: Array<() => Promise<void>> = []

  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  async function openPools(count: number): Promise<{ pools: pg.Pool[]; storage: PostgresStorage }> {
    const { storage, schema } = await openSchema()
    cleanup.push(() => storage.close())
    const pools = Array.from({ length: count }, () => poolOn(schema))
    for (const pool of pools) cleanup.push(() => pool.end())
    return { pools, storage }
  }

  it('serializes transactions of independent pools: no duplicate profile, no lost identifier', async () => {
    const { pools } = await openPools(2)
    const stores = pools.map((pool) => new PostgresIdentityStore(pool))
    const groups = 5
    const rounds = 30
    const run = (worker: number) => async () => {
      for (let i = 0; i < rounds; i += 1) {
        const keys = [`user_id:u${i % groups}`, `anonymous_id:w${worker}-${i}`]
        await resolveOnce(stores[worker]!, keys, `usr_w${worker}_${i}`)
      }
    }
    await Promise.all([run(0)(), run(1)()])

    const rows = await pools[0]!.query<{ type: string; value: string; profile_id: string }>(
      'SELECT type, value, profile_id FROM identity_identifiers',
    )
    expect(rows.rows).toHaveLength(groups + 2 * rounds)
    const profiles = await pools[0]!.query<{ id: string }>('SELECT id FROM profiles')
    expect(profiles.rows).toHaveLength(groups)
    const ownerOf = new Map(rows.rows.map((r) => [`${r.type}:${r.value}`, r.profile_id]))
    for (let worker = 0; worker < 2; worker += 1) {
      for (let i = 0; i < rounds; i += 1) {
        expect(ownerOf.get(`anonymous_id:w${worker}-${i}`)).toBe(
          ownerOf.get(`user_id:u${i % groups}`),
        )
      }
    }
    expect(new Set(ownerOf.values())).toEqual(new Set(profiles.rows.map((p) => p.id)))
  })

  it('holds the advisory lock for the whole transaction, and releases it at the end', async () => {
    const { pools } = await openPools(2)
    const store = new PostgresIdentityStore(pools[0]!)
    const tryLock = 'SELECT pg_try_advisory_xact_lock($1::bigint) AS locked'
    const probe = async (): Promise<boolean> => {
      const client = await pools[1]!.connect()
      try {
        await client.query('BEGIN')
        const locked = (await client.query<{ locked: boolean }>(tryLock, [IDENTITY_LOCK_KEY]))
          .rows[0]
        await client.query('ROLLBACK')
        return locked?.locked ?? false
      } finally {
        client.release()
      }
    }
    const during = await store.transact(async (tx) => {
      await tx.offset('identity')
      return probe()
    })
    expect(during).toBe(false)
    expect(await probe()).toBe(true)
    await expect(store.transact(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(await probe()).toBe(true)
  })

  it('writes batches larger than one statement chunk', async () => {
    const { pools } = await openPools(1)
    const store = new PostgresIdentityStore(pools[0]!)
    const count = 12_000
    const identifiers: IdentifierRecord[] = Array.from({ length: count }, (_, i) => ({
      collection: 'users',
      type: 'anonymous_id',
      value: `a${i}`,
      componentId: 'cmp_big',
      profileId: 'usr_big',
      addedAt: i,
      firstSeen: i,
      firstMessageId: `m${i}`,
      firstSourceId: 'src_test',
    }))
    await store.transact((tx) =>
      tx.write({
        deleteComponents: [],
        relabelComponents: [],
        moveProfiles: [],
        components: [],
        identifiers,
        profiles: [newProfile('usr_big')],
        events: [],
        edges: [],
      }),
    )
    const slice = await store.transact((tx) => tx.loadSlice('users', ['anonymous_id:a11999']))
    expect(slice.identifiers).toHaveLength(count)
    expect(slice.identifiers.find((r) => r.value === 'a11999')?.addedAt).toBe(11_999)
  })
})
