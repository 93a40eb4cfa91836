import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { describeConsumerOffsetsContract } from '../../events/consumer-offsets.contract.js'
import { describeEventLogContract } from '../../events/event-log.contract.js'
import { describeEventQueryContract } from '../../events/event-query.contract.js'
import type { LogEntry } from '../../events/index.js'
import { describeSourceStoreContract } from '../../sources/source-store.contract.js'
import { buildLogRecord, buildSource } from '../../testing/builders.js'
import type { Storage } from '../storage.js'
import { openPostgresStorage } from './open-postgres-storage.js'
import { migratePostgres, POSTGRES_MIGRATIONS } from './postgres-migrations.js'

// A real PostgreSQL on this machine (house style §8.6). No skip when it is down: every test
// fails on connect, so a broken database never passes silently.
const DATABASE_URL =
  process.env.TESSERA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

let admin: pg.Pool
const schemas: string[] = []

beforeAll(() => {
  admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2 })
})

afterAll(async () => {
  await admin.end()
})

// Runs after the contracts' own afterEach, which closes the storage.
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

function openFresh(): Promise<Storage> {
  return openPostgresStorage({ url: DATABASE_URL, schema: freshSchema() })
}

describeEventLogContract('postgres', openFresh)
describeConsumerOffsetsContract('postgres', openFresh)
describeEventQueryContract('postgres', openFresh)
describeSourceStoreContract('postgres', openFresh)

describe('PostgreSQL storage', () => {
  const opened: Storage[] = []

  async function open(schema: string): Promise<Storage> {
    const storage = await openPostgresStorage({ url: DATABASE_URL, schema })
    opened.push(storage)
    return storage
  }

  afterEach(async () => {
    for (const storage of opened.splice(0)) await storage.close()
  })

  it('answers ping', async () => {
    const storage = await open(freshSchema())
    await expect(storage.ping()).resolves.toBeUndefined()
    expect(storage.kind).toBe('postgres')
  })

  it('keeps offsets gap-free for consumers while two processes append concurrently', async () => {
    const schema = freshSchema()
    // Two storages = two pools = what two server processes look like to the database.
    const [first, second] = [await open(schema), await open(schema)]
    const reader = await open(schema)
    const appended: string[] = []
    let writing = true

    async function writer(storage: Storage, batches: number): Promise<void> {
      for (let b = 0; b < batches; b++) {
        const records = Array.from({ length: 1 + (b % 7) }, () => buildLogRecord())
        const result = await storage.eventLog.append({ records, rejected: [] })
        expect(result.stored.every(Boolean)).toBe(true)
        appended.push(...records.map((r) => r.messageId))
      }
    }

    // A consumer that trusts `seq > position`: it would lose any row that became visible
    // after a higher one.
    const consumed: LogEntry[] = []
    async function consumer(): Promise<void> {
      let position = 0
      for (;;) {
        const wasWriting = writing
        const entries = await reader.eventLog.read(position, 37)
        consumed.push(...entries)
        position = entries.at(-1)?.offset ?? position
        if (entries.length === 0 && !wasWriting) return
      }
    }

    const consuming = consumer()
    await Promise.all([
      writer(first, 40),
      writer(first, 40),
      writer(second, 40),
      writer(second, 40),
      writer(first, 40),
      writer(second, 40),
    ])
    writing = false
    await consuming

    const all = await reader.eventLog.read(0, 1_000_000)
    expect(all).toHaveLength(appended.length)
    all.forEach((entry, i) => {
      if (i > 0) expect(entry.offset).toBeGreaterThan(all[i - 1]?.offset ?? Number.NaN)
    })
    expect(new Set(all.map((e) => e.messageId))).toEqual(new Set(appended))
    expect(consumed.map((e) => e.offset)).toEqual(all.map((e) => e.offset))
    expect(await first.eventLog.head()).toBe(all.at(-1)?.offset)
  })

  it('stores a messageId once when two processes append it at the same time', async () => {
    const schema = freshSchema()
    const [first, second] = [await open(schema), await open(schema)]
    const records = Array.from({ length: 50 }, () => buildLogRecord())
    const [a, b] = await Promise.all([
      first.eventLog.append({ records, rejected: [] }),
      second.eventLog.append({ records: [...records].reverse(), rejected: [] }),
    ])
    const storedTwice = records.filter((_, i) => a.stored[i] && b.stored[records.length - 1 - i])
    expect(storedTwice).toEqual([])
    expect(a.stored.filter(Boolean).length + b.stored.filter(Boolean).length).toBe(50)
    expect(await first.eventLog.read(0, 1_000)).toHaveLength(50)
  })

  it('migrates idempotently: reopening and re-running apply nothing', async () => {
    const schema = freshSchema()
    const storage = await open(schema)
    await storage.sources.put(buildSource({ id: 'src_kept' }))
    await storage.eventLog.append({ records: [buildLogRecord()], rejected: [] })
    await storage.close()
    opened.splice(opened.indexOf(storage), 1)

    const reopened = await open(schema)
    expect(await reopened.sources.get('src_kept')).not.toBeNull()
    expect(await reopened.eventLog.head()).toBeGreaterThan(0)

    const pool = new pg.Pool({
      connectionString: DATABASE_URL,
      options: `-c search_path=${schema}`,
    })
    try {
      expect(await migratePostgres(pool, { schema })).toEqual([])
      const rows = await pool.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id')
      expect(rows.rows.map((r) => r.id)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.id))
    } finally {
      await pool.end()
    }
  })

  it('migrates a new schema once when several processes start at the same time', async () => {
    const schema = freshSchema()
    const pools = Array.from(
      { length: 4 },
      () => new pg.Pool({ connectionString: DATABASE_URL, options: `-c search_path=${schema}` }),
    )
    try {
      const results = await Promise.all(pools.map((pool) => migratePostgres(pool, { schema })))
      const allIds = POSTGRES_MIGRATIONS.map((m) => m.id)
      expect(results.filter((applied) => applied.length > 0)).toEqual([allIds])
      expect(results.filter((applied) => applied.length === 0)).toHaveLength(pools.length - 1)
    } finally {
      await Promise.all(pools.map((pool) => pool.end()))
    }
  })

  it('rejects a schema name that is not a plain identifier', async () => {
    await expect(
      openPostgresStorage({ url: DATABASE_URL, schema: 'public; DROP TABLE x' }),
    ).rejects.toThrow(/invalid PostgreSQL schema name/)
  })

  it('fails to open, without leaking the pool, when the server cannot be reached', async () => {
    const url = new URL(DATABASE_URL)
    url.port = '1'
    await expect(
      openPostgresStorage({
        url: url.toString(),
        schema: freshSchema(),
        connectionTimeoutMs: 2_000,
      }),
    ).rejects.toThrow()
  })
})
