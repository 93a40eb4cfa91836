import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { describeFieldInventoryContract } from '../../privacy/fields/field-inventory-store.contract.js'
import { describeQualityCountersContract } from '../../quality/quality-counters.contract.js'
import { buildEventItem, buildLogEntries } from '../../testing/builders.js'
import { openSqliteFollowerStores } from './open-sqlite-followers.js'
import { openSqliteStorage } from './open-sqlite-storage.js'

const dirs: string[] = []

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-followers-'))
  dirs.push(dir)
  return dir
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** The storage as the main thread opens it, and the followers worker's own connections. */
function openBoth() {
  const dataDir = freshDir()
  const storage = openSqliteStorage({ dataDir })
  const followers = openSqliteFollowerStores(dataDir)
  return {
    storage,
    followers,
    close: async () => {
      await followers.close()
      await storage.close()
    },
  }
}

// The follower connections run the same suites as the full storage's adapters.
describeQualityCountersContract('sqlite follower stores', () => {
  const { storage, followers, close } = openBoth()
  let next = 1
  return Promise.resolve({
    qualityCounters: followers.qualityCounters,
    async storeEvents(records) {
      const entries = records.map((record) => ({ kind: 'event' as const, record, offset: next++ }))
      await storage.eventStore.apply('store', entries)
    },
    close,
  })
})

describeFieldInventoryContract('sqlite follower stores', () => {
  const { storage, followers, close } = openBoth()
  return Promise.resolve({
    fieldInventory: followers.fieldInventory,
    eventStore: storage.eventStore,
    close,
  })
})

describe('openSqliteFollowerStores', () => {
  it('writes what the full storage reads: counters and inventory share the files', async () => {
    const { storage, followers, close } = openBoth()
    try {
      await storage.eventStore.apply(
        'store',
        buildLogEntries(1, [buildEventItem(), buildEventItem(), buildEventItem()]),
      )
      const events = await followers.qualityCounters.eventsAfter(0, 10)
      expect(events.map((e) => e.seq)).toEqual([1, 2, 3])
      await followers.qualityCounters.apply(0, 3, {
        volume: [],
        completeness: [],
        newNames: [],
      })
      expect(await storage.qualityCounters.position()).toBe(3)
      await followers.fieldInventory.apply({ toSeq: 3, events: [], fields: [] })
      expect(await storage.fieldInventory.position()).toBe(3)
    } finally {
      await close()
    }
  })

  it('refuses a data directory the storage never opened, and creates nothing there', () => {
    const dataDir = freshDir()
    expect(() => openSqliteFollowerStores(dataDir)).toThrow()
    expect(existsSync(join(dataDir, 'tessera.db'))).toBe(false)
    expect(existsSync(join(dataDir, 'fields.db'))).toBe(false)
  })
})
