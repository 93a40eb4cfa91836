import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { describeFieldInventoryContract } from '../../privacy/fields/field-inventory-store.contract.js'
import type { InventoryBatch } from '../../privacy/index.js'
import { storeFileContents } from './sqlite-store-file.js'
import { openSqliteStorage } from './open-sqlite-storage.js'
import { migrateSqlite } from './sqlite-migrate.js'

const dirs: string[] = []

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-fields-'))
  dirs.push(dir)
  return dir
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describeFieldInventoryContract('sqlite', () =>
  Promise.resolve(openSqliteStorage({ dataDir: freshDir() })),
)

const KEY = { sourceId: 's1', eventType: 'track', eventName: 'Signed Up' }

function batch(toSeq: number): InventoryBatch {
  return {
    toSeq,
    events: [{ ...KEY, count: 1, firstSeen: 1, lastSeen: 1, droppedFields: 0 }],
    fields: [
      {
        ...KEY,
        path: 'properties.plan',
        count: 1,
        events: 1,
        types: { string: 1 },
        firstSeen: 1,
        lastSeen: 1,
        piiClass: null,
        piiKind: null,
      },
    ],
  }
}

describe('SQLite field inventory (fields.db)', () => {
  it('writes while another connection holds the store file’s write lock', async () => {
    const dir = freshDir()
    const storage = openSqliteStorage({ dataDir: dir })
    const store = new Database(join(dir, 'tessera.db'))
    try {
      store.exec('BEGIN IMMEDIATE')
      store.prepare(`INSERT INTO consumer_offsets VALUES ('other', 1)`).run()
      const started = Date.now()
      await storage.fieldInventory.apply(batch(4))
      // Well under the 5 s busy timeout it would wait out if it needed tessera.db's lock.
      expect(Date.now() - started).toBeLessThan(1_000)
      expect(await storage.fieldInventory.position()).toBe(4)
      store.exec('COMMIT')
    } finally {
      store.close()
      await storage.close()
    }
  })

  it('moves the inventory of an older store into fields.db, once', async () => {
    const dir = freshDir()
    const old = new Database(join(dir, 'tessera.db'))
    migrateSqlite(old) // 0005 created the inventory in the store file, as released
    old
      .prepare(`INSERT INTO field_inventory_events VALUES ('s1', 'track', 'Signed Up', 7, 1, 2, 0)`)
      .run()
    old
      .prepare(
        `INSERT INTO field_inventory VALUES ('s1', 'track', 'Signed Up', 'properties.plan',
         7, 7, 7, 0, 0, 0, 0, 0, 0, 1, 2, 3, NULL)`,
      )
      .run()
    old.prepare(`INSERT INTO consumer_offsets VALUES ('fields', 42), ('store', 50)`).run()
    old.close()

    const storage = openSqliteStorage({ dataDir: dir })
    expect(await storage.fieldInventory.position()).toBe(42)
    expect(await storage.fieldInventory.fields({ limit: 10 })).toMatchObject([
      { path: 'properties.plan', count: 7, types: { string: 7 } },
    ])
    expect(await storage.fieldInventory.events({})).toMatchObject([{ count: 7, fields: 1 }])
    await storage.close()
    const { tables, consumers } = storeFileContents(dir)
    expect(tables).not.toContain('field_inventory')
    expect(tables).not.toContain('field_inventory_events')
    expect(consumers).toEqual(['store'])

    // Opening again changes nothing.
    const again = openSqliteStorage({ dataDir: dir })
    try {
      expect(await again.fieldInventory.position()).toBe(42)
      expect(await again.fieldInventory.fields({ limit: 10 })).toHaveLength(1)
    } finally {
      await again.close()
    }
  })
})
