import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { describeDeliveryStoreContract } from '../../destinations/delivery-store.contract.js'
import { describeConsumerOffsetsContract } from '../../events/consumer-offsets.contract.js'
import { describeEventQueryContract } from '../../events/event-query.contract.js'
import { describeEventStoreContract } from '../../events/event-store.contract.js'
import { describePlanEnforcementContract } from '../../plans/plan-enforcement.contract.js'
import { describeRegulationStoreContract } from '../../regulations/regulation-store.contract.js'
import { describeTraitCorrectionContract } from '../../regulations/trait-correction-store.contract.js'
import { describeSourceStoreContract } from '../../sources/source-store.contract.js'
import {
  buildEventItem,
  buildLogEntries,
  buildLogEntry,
  buildRejectionItem,
  buildSource,
} from '../../testing/builders.js'
import type { GateStep } from '../../plans/index.js'
import { storeFileContents } from './sqlite-store-file.js'
import type { Storage } from '../storage.js'
import { migrateSqlite, openSqliteStorage } from './open-sqlite-storage.js'

const dirs: string[] = []

/** A fresh data directory under the OS temp dir, removed after the test. */
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-sqlite-'))
  dirs.push(dir)
  return dir
}

// Runs after the contracts' own afterEach, which closes the storage.
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function openFresh(): Promise<Storage> {
  return Promise.resolve(openSqliteStorage({ dataDir: freshDir() }))
}

// The embedded event log (segment files) has its own suite: ../embedded/segment-log.*.
describeEventStoreContract('sqlite', openFresh)
describePlanEnforcementContract('sqlite', openFresh)
describeConsumerOffsetsContract('sqlite', openFresh)
describeEventQueryContract('sqlite', openFresh)
describeSourceStoreContract('sqlite', openFresh)
describeDeliveryStoreContract('sqlite', openFresh)
describeRegulationStoreContract('sqlite', openFresh)
describeTraitCorrectionContract('sqlite', openFresh)

describe('SQLite storage', () => {
  const opened: Storage[] = []

  it('moves the identity tables of an older store into identity.db, once', async () => {
    const dir = freshDir()
    const old = new Database(join(dir, 'tessera.db'))
    migrateSqlite(old) // 0002 created the identity tables in the store file, as released
    old
      .prepare(
        `INSERT INTO profiles VALUES ('prof_1', 'users', 'c1', '{}', '{"track":3}', 0, 1, 2,
         'm1', 'src', 'm3', 'src', 1, 2)`,
      )
      .run()
    old.prepare(`INSERT INTO settings VALUES ('identity.rules', '{}', 5, 'admin')`).run()
    old.prepare(`INSERT INTO consumer_offsets VALUES ('identity', 42), ('store', 50)`).run()
    old.close()

    const storage = open(dir)
    expect((await storage.profileQuery.get('prof_1'))?.counts).toEqual({ track: 3 })
    expect(await storage.identityStore.getSetting('identity.rules')).toEqual({})
    expect(await storage.identityStore.transact((tx) => tx.offset('identity'))).toBe(42)
    const { tables, consumers } = storeFileContents(dir)
    expect(tables).not.toContain('profiles')
    expect(tables).not.toContain('settings')
    expect(consumers).toEqual(['store'])
    await storage.close()
    opened.length = 0
    // Opening again changes nothing.
    const again = open(dir)
    expect((await again.profileQuery.get('prof_1'))?.id).toBe('prof_1')
  })

  it('applies while another process commits writes to the same file (waits for the lock)', async () => {
    const dir = freshDir()
    const storage = open(dir)
    await storage.eventStore.apply('store', buildLogEntries(1, [buildEventItem()]))
    // Another connection (as identity resolution's) holds the write lock for 300 ms and
    // commits. A deferred apply would read, then fail at once with SQLITE_BUSY when it tried
    // to write on a snapshot that commit made stale.
    const writer = spawn(
      process.execPath,
      [
        '-e',
        `const db = require('better-sqlite3')(process.argv[1]); db.pragma('busy_timeout = 5000');
         db.exec('BEGIN IMMEDIATE'); db.prepare("INSERT INTO consumer_offsets VALUES ('other', 1)").run();
         console.log('locked'); setTimeout(() => { db.exec('COMMIT'); db.close() }, 300)`,
        join(dir, 'tessera.db'),
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    )
    await new Promise<void>((resolve) => writer.stdout.once('data', () => resolve()))
    const result = await storage.eventStore.apply('store', buildLogEntries(2, [buildEventItem()]))
    expect(result).toMatchObject({ stored: 1, offset: 2 })
    await new Promise((resolve) => writer.once('exit', resolve))
  })

  function open(dataDir: string): Storage {
    const storage = openSqliteStorage({ dataDir })
    opened.push(storage)
    return storage
  }

  afterEach(async () => {
    for (const storage of opened.splice(0)) await storage.close()
  })

  it('locks only tessera.db while it applies: identity.db and quality.db stay writable', async () => {
    const dir = freshDir()
    const storage = open(dir)
    const others = ['identity.db', 'quality.db'].map((name) => {
      const db = new Database(join(dir, name))
      db.pragma('busy_timeout = 0')
      return db
    })
    const store = new Database(join(dir, 'tessera.db'))
    store.pragma('busy_timeout = 0')
    const seen: string[] = []
    try {
      // A gate step runs inside the apply's transaction: try other writers from there.
      const probe: GateStep = {
        name: 'probe',
        wants: () => true,
        check() {
          for (const db of others) {
            db.prepare('CREATE TABLE IF NOT EXISTS lock_probe (x)').run()
            seen.push('written')
          }
          expect(() => store.prepare('CREATE TABLE lock_probe (x)').run()).toThrow(/locked|busy/i)
          return { kind: 'pass' }
        },
      }
      const result = await storage.eventStore.apply(
        'store',
        buildLogEntries(1, [buildEventItem()]),
        {
          steps: [probe],
        },
      )
      expect(result).toMatchObject({ stored: 1 })
      expect(seen).toEqual(['written', 'written'])
    } finally {
      for (const db of [...others, store]) db.close()
    }
  })

  it('keeps every kind of data across close and reopen', async () => {
    const dir = freshDir()
    const storage = open(dir)
    const first = buildEventItem()
    const entries = buildLogEntries(1, [
      first,
      buildEventItem({ type: 'identify' }),
      buildRejectionItem(),
    ])
    const source = buildSource({ rateLimit: { perSecond: 3, burst: 9 } })
    await storage.eventStore.apply('store', entries)
    await storage.offsets.commit('pipeline', 2)
    await storage.sources.put(source)
    const events = await storage.eventQuery.events({}, { limit: 10 })
    const stats = await storage.eventQuery.stats({ since: 0, until: Date.now() })
    await storage.close()
    opened.splice(opened.indexOf(storage), 1)

    const reopened = open(dir)
    expect(await reopened.eventQuery.events({}, { limit: 10 })).toEqual(events)
    expect(await reopened.offsets.get('store')).toBe(3)
    expect(await reopened.offsets.get('pipeline')).toBe(2)
    expect(await reopened.sources.get(source.id)).toEqual(source)
    expect((await reopened.eventQuery.rejected({}, { limit: 10 })).data).toHaveLength(1)
    expect(await reopened.eventQuery.stats({ since: 0, until: Date.now() })).toEqual(stats)
    // Applied entries stay applied; the messageId index survives too.
    const more = buildEventItem()
    expect(
      await reopened.eventStore.apply('store', [
        ...entries,
        ...buildLogEntries(4, [more, { ...first }]),
      ]),
    ).toEqual({ stored: 1, duplicates: 1, quarantined: 0, rejected: 0, skipped: 3, offset: 5 })
    const page = await reopened.eventQuery.events({}, { limit: 10 })
    expect(page.data.map((e) => e.offset)).toEqual([4, 2, 1])
  })

  it('opens its identity connection on first use, once, and not after close', async () => {
    const dir = freshDir()
    const storage = openSqliteStorage({ dataDir: dir })
    const first = storage.identityStore
    expect(storage.identityStore).toBe(first)
    expect(await first.eventsHead()).toBe(0)
    await storage.close()
    expect(() => storage.identityStore).not.toThrow()
    const unused = openSqliteStorage({ dataDir: dir })
    await unused.close()
    expect(() => unused.identityStore).toThrow(/closed/)
  })

  it('migrates idempotently: reopening applies nothing', () => {
    const dir = freshDir()
    open(dir)
    const db = new Database(join(dir, 'tessera.db'))
    try {
      expect(migrateSqlite(db)).toEqual([])
    } finally {
      db.close()
    }
  })

  it('never lets an apply join a sources transaction that rolls back', async () => {
    // Kysely's sources transaction and the event store share one connection. An apply that ran
    // while that transaction was open would nest inside it (better-sqlite3 uses a savepoint)
    // and vanish when it rolls back, after `apply` had already resolved.
    const storage = open(freshDir())
    const taken = buildSource()
    await storage.sources.put(taken)
    for (let delay = 0; delay < 30; delay++) {
      const clash = storage.sources.put(buildSource({ writeKeys: taken.writeKeys })).then(
        () => null,
        (error: unknown) => error,
      )
      for (let tick = 0; tick < delay; tick++) await Promise.resolve()
      const item = buildEventItem()
      const result = await storage.eventStore.apply('store', [buildLogEntry(delay + 1, item)])
      expect(await clash).toMatchObject({ code: 'SOURCES_WRITE_KEY_TAKEN' })
      expect(result).toMatchObject({ stored: 1, offset: delay + 1 })
      const found = await storage.eventQuery.events(
        { messageId: item.record.messageId },
        { limit: 1 },
      )
      expect(found.data, `apply after ${delay} microtasks`).toHaveLength(1)
      expect(await storage.offsets.get('store')).toBe(delay + 1)
    }
  })
})
