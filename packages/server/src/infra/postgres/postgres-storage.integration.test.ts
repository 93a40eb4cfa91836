import { describeDeliveryStoreContract } from '../../destinations/delivery-store.contract.js'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { describeConsumerOffsetsContract } from '../../events/consumer-offsets.contract.js'
import {
  describeEventLogContract,
  type EventLogContractSubject,
} from '../../events/event-log.contract.js'
import { describeEventQueryContract } from '../../events/event-query.contract.js'
import { describeEventStoreContract } from '../../events/event-store.contract.js'
import { describePlanEnforcementContract } from '../../plans/plan-enforcement.contract.js'
import type { LogEntry, LogItem } from '../../events/index.js'
import { describeRegulationStoreContract } from '../../regulations/regulation-store.contract.js'
import { describeTraitCorrectionContract } from '../../regulations/trait-correction-store.contract.js'
import { describeSourceStoreContract } from '../../sources/source-store.contract.js'
import {
  buildEventItem,
  buildLogEntries,
  buildRejectionItem,
  buildSource,
} from '../../testing/builders.js'
import { openPostgresStorage, type PostgresStorage } from './open-postgres-storage.js'
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

function openFresh(): Promise<PostgresStorage> {
  return openPostgresStorage({ url: DATABASE_URL, schema: freshSchema() })
}

/** The storage's event log; reopening opens a new pool on the same schema. */
async function logSubject(schema: string): Promise<EventLogContractSubject> {
  const storage = await openPostgresStorage({ url: DATABASE_URL, schema })
  return {
    eventLog: storage.eventLog,
    close: () => storage.close(),
    reopen: async () => {
      await storage.close()
      return logSubject(schema)
    },
  }
}

describeEventLogContract('postgres', () => logSubject(freshSchema()))
describeEventStoreContract('postgres', openFresh)
describePlanEnforcementContract('postgres', openFresh)
describeDeliveryStoreContract('postgres', openFresh)
describeRegulationStoreContract('postgres', openFresh)
describeTraitCorrectionContract('postgres', openFresh)
describeConsumerOffsetsContract('postgres', openFresh)
describeEventQueryContract('postgres', openFresh)
describeSourceStoreContract('postgres', openFresh)

describe('PostgreSQL storage', () => {
  const opened: PostgresStorage[] = []

  async function open(schema: string): Promise<PostgresStorage> {
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

  it('keeps offsets gap-free for a reader while two processes append concurrently', async () => {
    const schema = freshSchema()
    // Two storages = two pools = what two server processes look like to the database.
    const [first, second] = [await open(schema), await open(schema)]
    const reader = await open(schema)
    const appended: LogItem[][] = []
    const ranges: Array<{ first: number; last: number }> = []
    let writing = true

    async function writer(storage: PostgresStorage, batches: number): Promise<void> {
      for (let b = 0; b < batches; b++) {
        const items = Array.from({ length: 1 + (b % 7) }, (_, i) =>
          i % 3 === 2 ? buildRejectionItem() : buildEventItem(),
        )
        const result = await storage.eventLog.append(items)
        expect(result.last - result.first + 1).toBe(items.length)
        appended.push(items)
        ranges.push(result)
      }
    }

    // A consumer that trusts `offset > position`: it would lose any row that became visible
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

    const total = appended.reduce((sum, items) => sum + items.length, 0)
    const all = await reader.eventLog.read(0, 1_000_000)
    expect(all.map((e) => e.offset)).toEqual(Array.from({ length: total }, (_, i) => i + 1))
    expect(consumed.map((e) => e.offset)).toEqual(all.map((e) => e.offset))
    ranges.forEach((range, b) => {
      const items = all.slice(range.first - 1, range.last).map(({ kind, record }) => ({
        kind,
        record,
      }))
      expect(items).toEqual(appended[b])
    })
    expect(await first.eventLog.head()).toBe(total)
    expect(await second.eventLog.head()).toBe(total)
  })

  it('applies entries once when two processes apply them for one consumer at once', async () => {
    const schema = freshSchema()
    const [first, second] = [await open(schema), await open(schema)]
    const items = Array.from({ length: 60 }, (_, i) =>
      i % 10 === 9 ? buildRejectionItem() : buildEventItem(),
    )
    const entries = buildLogEntries(1, items)
    const results = await Promise.all([
      first.eventStore.apply('store', entries),
      second.eventStore.apply('store', entries),
      first.eventStore.apply('store', entries.slice(0, 30)),
      second.eventStore.apply('store', entries.slice(20)),
    ])
    expect(results.reduce((sum, r) => sum + r.stored, 0)).toBe(54)
    expect(results.reduce((sum, r) => sum + r.rejected, 0)).toBe(6)
    expect(results.reduce((sum, r) => sum + r.duplicates, 0)).toBe(0)
    expect(await first.offsets.get('store')).toBe(60)
    const page = await first.eventQuery.events({}, { limit: 100 })
    expect(page.data.map((e) => e.offset)).toEqual(
      entries
        .filter((e) => e.kind === 'event')
        .map((e) => e.offset)
        .reverse(),
    )
    expect((await first.eventQuery.rejected({}, { limit: 100 })).data).toHaveLength(6)
  })

  it('migrates idempotently: reopening and re-running apply nothing', async () => {
    const schema = freshSchema()
    const storage = await open(schema)
    await storage.sources.put(buildSource({ id: 'src_kept' }))
    await storage.eventLog.append([buildEventItem()])
    await storage.close()
    opened.splice(opened.indexOf(storage), 1)

    const reopened = await open(schema)
    expect(await reopened.sources.get('src_kept')).not.toBeNull()
    expect(await reopened.eventLog.head()).toBe(1)

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

  it('releases in batches, and keeps the head when the table is emptied', async () => {
    const schema = freshSchema()
    const storage = await open(schema)
    const items = Array.from({ length: 25_000 }, () => buildEventItem({ payload: '{}' }))
    await storage.eventLog.append(items)
    await storage.eventLog.release(12_345)
    expect((await storage.eventLog.read(0, 1))[0]?.offset).toBe(12_346)
    await storage.eventLog.release(1_000_000)
    expect(await storage.eventLog.read(0, 10)).toEqual([])
    expect(await storage.eventLog.head()).toBe(25_000)
    expect(await storage.eventLog.append([buildEventItem()])).toEqual({
      first: 25_001,
      last: 25_001,
    })
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
