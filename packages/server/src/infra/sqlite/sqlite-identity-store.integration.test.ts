import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import {
  describeIdentityStoreContract,
  type IdentityStoreContractSubject,
  type IdentityTables,
} from '../../identity/identity-store.contract.js'
import { ManualClock } from '../../platform/clock.js'
import {
  toIdentityEdge,
  toProfileEventRecord,
  toRebuildRecord,
  type EdgeRow,
  type ProfileEventRow,
  type RebuildRow,
} from '../sql/identity-rows.js'
import type { Storage } from '../storage.js'
import { openSqliteStorage } from './open-sqlite-storage.js'
import {
  openSqliteIdentityStore,
  type SqliteIdentityStore,
  type SqliteIdentityStoreOptions,
} from './sqlite-identity-store.js'

const dirs: string[] = []

/** A fresh data directory under the OS temp dir, removed after the test. */
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-identity-'))
  dirs.push(dir)
  return dir
}

// Runs after the contract's own afterEach, which closes the subject.
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** Table reads on a connection of their own. */
function sqliteTables(db: Database.Database): IdentityTables {
  const all = <R>(sql: string): Promise<R[]> => Promise.resolve(db.prepare(sql).all() as R[])
  return {
    edges: async () =>
      (await all<EdgeRow>('SELECT * FROM identity_edges ORDER BY id')).map(toIdentityEdge),
    profileEvents: async () =>
      (await all<ProfileEventRow>('SELECT * FROM profile_events ORDER BY seq, collection')).map(
        toProfileEventRecord,
      ),
    rebuilds: async () =>
      (await all<RebuildRow>('SELECT * FROM identity_rebuilds ORDER BY id')).map(toRebuildRecord),
    settingMeta: (key) => {
      const row = db
        .prepare(
          'SELECT updated_at AS updatedAt, updated_by AS updatedBy FROM settings WHERE key = ?',
        )
        .get(key) as { updatedAt: number; updatedBy: string } | undefined
      return Promise.resolve(row ?? null)
    },
  }
}

interface Opened {
  storage: Storage
  identityStore: SqliteIdentityStore
  file: string
  close(): Promise<void>
}

/** A migrated embedded store and the identity adapter on a second connection to its file. */
function openIdentity(clock = new ManualClock(), options: SqliteIdentityStoreOptions = {}): Opened {
  const dataDir = freshDir()
  const storage = openSqliteStorage({ dataDir })
  const file = join(dataDir, 'identity.db')
  // The identity worker's own way in: only this connection, on the files the storage migrated.
  const identityStore = openSqliteIdentityStore(dataDir, { clock, ...options })
  return {
    storage,
    identityStore,
    file,
    close: async () => {
      identityStore.close()
      await storage.close()
    },
  }
}

function openSubject(): Promise<IdentityStoreContractSubject> {
  const clock = new ManualClock()
  const opened = openIdentity(clock)
  const peek = new Database(opened.file, { readonly: true })
  return Promise.resolve({
    identityStore: opened.identityStore,
    eventStore: opened.storage.eventStore,
    tables: sqliteTables(peek),
    now: clock.now(),
    close: async () => {
      peek.close()
      await opened.close()
    },
  })
}

describeIdentityStoreContract('sqlite', openSubject)

describe('SqliteIdentityStore', () => {
  const opened: Opened[] = []

  afterEach(async () => {
    for (const o of opened.splice(0)) await o.close()
  })

  function open(options: SqliteIdentityStoreOptions = {}): Opened {
    const o = openIdentity(new ManualClock(), options)
    opened.push(o)
    return o
  }

  it('checkpoints the WAL into the database file once no transaction ran for a while', async () => {
    const grows = async (idleCheckpointMs: number): Promise<boolean> => {
      const { identityStore, file } = open({ idleCheckpointMs })
      const before = statSync(file).size
      await identityStore.transact((tx) =>
        tx.write({
          deleteComponents: [],
          relabelComponents: [],
          moveProfiles: [],
          components: Array.from({ length: 500 }, (_, i) => ({
            id: `cmp_${i}`,
            maxKey: 'k',
            events: 1,
          })),
          identifiers: [],
          profiles: [],
          events: [],
          edges: [],
        }),
      )
      // Commits of this connection stay in the WAL (far below wal_autocheckpoint).
      expect(statSync(file).size).toBe(before)
      await sleep(idleCheckpointMs + 100)
      return statSync(file).size > before
    }
    expect(await grows(0)).toBe(false)
    expect(await grows(20)).toBe(true)
  })

  it('runs a transaction that awaits only its own calls within one event-loop turn', async () => {
    const { identityStore } = open()
    let macrotaskRan = false
    setImmediate(() => {
      macrotaskRan = true
    })
    const seen = await identityStore.transact(async (tx) => {
      await tx.loadSlice('users', ['user_id:a'])
      await tx.commitOffset('identity', 3)
      await tx.offset('identity')
      return macrotaskRan
    })
    expect(seen).toBe(false)
  })

  it('holds the write lock for the whole transaction: another connection cannot write', async () => {
    const { identityStore, file } = open()
    const other = new Database(file)
    other.pragma('busy_timeout = 0')
    try {
      await identityStore.transact(async (tx) => {
        await tx.commitOffset('identity', 1)
        expect(() => other.prepare(`INSERT INTO settings VALUES ('k', '1', 0, 'x')`).run()).toThrow(
          /locked|busy/i,
        )
      })
      other.prepare(`INSERT INTO settings VALUES ('k', '1', 0, 'x')`).run()
      expect(await identityStore.getSetting('k')).toBe(1)
    } finally {
      other.close()
    }
  })

  it('leaves the attached store file writable while a transaction holds identity.db', async () => {
    const { identityStore, file } = open()
    const store = new Database(join(dirname(file), 'tessera.db'))
    store.pragma('busy_timeout = 0')
    try {
      await identityStore.transact(async (tx) => {
        await tx.commitOffset('identity', 1)
        store.prepare(`INSERT INTO consumer_offsets VALUES ('other', 1)`).run()
      })
      expect(
        store
          .prepare(`SELECT "offset" FROM consumer_offsets WHERE consumer = 'other'`)
          .pluck()
          .get(),
      ).toBe(1)
    } finally {
      store.close()
    }
  })

  it('does not let a setting write join an open transaction or its rollback', async () => {
    const { identityStore } = open()
    let put: Promise<void> | undefined
    await expect(
      identityStore.transact(async (tx) => {
        put = identityStore.putSetting('identity.rules', { limit: 1 }, 'admin')
        await tx.commitOffset('identity', 5)
        throw new Error('rolled back')
      }),
    ).rejects.toThrow('rolled back')
    await put
    expect(await identityStore.getSetting('identity.rules')).toEqual({ limit: 1 })
    expect(await identityStore.transact((tx) => tx.offset('identity'))).toBe(0)
  })
})
