import Database from 'better-sqlite3'
import { Kysely, SqliteDialect, sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { withStatementCache } from './sqlite-statement-cache.js'

interface Tables {
  items: { id: number; name: string }
}

let db: Database.Database
let prepared: string[]

beforeEach(() => {
  db = new Database(':memory:')
  db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)')
  // Counts what reaches SQLite's prepare.
  prepared = []
  const prepare = db.prepare.bind(db)
  db.prepare = (source: string) => {
    prepared.push(source)
    return prepare(source)
  }
})

afterEach(() => {
  if (db.open) db.close()
})

const kysely = (capacity?: number): Kysely<Tables> =>
  new Kysely<Tables>({ dialect: new SqliteDialect({ database: withStatementCache(db, capacity) }) })

/** Inserts items 1..count, named n1, n2, … */
async function insertItems(k: Kysely<Tables>, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    await k
      .insertInto('items')
      .values({ id: i, name: `n${i}` })
      .execute()
  }
}

describe('withStatementCache', () => {
  it('prepares a query once and answers every run with its own parameters', async () => {
    const k = kysely()
    await insertItems(k, 3)
    const names: string[] = []
    for (let i = 1; i <= 3; i++) {
      const row = await k.selectFrom('items').select('name').where('id', '=', i).executeTakeFirst()
      names.push(row?.name ?? '')
    }
    expect(names).toEqual(['n1', 'n2', 'n3'])
    expect(prepared.filter((s) => s.startsWith('insert'))).toHaveLength(1)
    expect(prepared.filter((s) => s.startsWith('select'))).toHaveLength(1)
  })

  it('drops the least recently used statement past its capacity', async () => {
    const k = kysely(2)
    const byId = () => k.selectFrom('items').selectAll().where('id', '=', 1).execute()
    const byName = () => k.selectFrom('items').selectAll().where('name', '=', 'x').execute()
    const count = () =>
      k
        .selectFrom('items')
        .select((eb) => eb.fn.countAll().as('n'))
        .execute()
    await byId()
    await byName()
    await byId() // most recent: byId, then byName
    await count() // evicts byName
    await byId()
    await byName()
    const selects = prepared.filter((s) => s.startsWith('select'))
    expect(selects).toHaveLength(4)
    expect(selects.filter((s) => s.includes('"name" ='))).toHaveLength(2)
    expect(selects.filter((s) => s.includes('"id" ='))).toHaveLength(1)
  })

  it('reuses a streamed query after its stream ended, even when cut short', async () => {
    const k = kysely()
    await insertItems(k, 4)
    const query = k.selectFrom('items').select('id').orderBy('id')
    const firstTwo: number[] = []
    for await (const row of query.stream()) {
      firstTwo.push(row.id)
      if (firstTwo.length === 2) break
    }
    expect(firstTwo).toEqual([1, 2])
    expect((await query.execute()).map((r) => r.id)).toEqual([1, 2, 3, 4])
    const all: number[] = []
    for await (const row of query.stream()) all.push(row.id)
    expect(all).toEqual([1, 2, 3, 4])
  })

  it('keeps working after the schema changes under a cached statement', async () => {
    const k = kysely()
    await k.insertInto('items').values({ id: 1, name: 'a' }).execute()
    const read = () => sql<{ id: number }>`SELECT * FROM items`.execute(k)
    expect((await read()).rows).toEqual([{ id: 1, name: 'a' }])
    db.exec("ALTER TABLE items ADD COLUMN tag TEXT NOT NULL DEFAULT 't'")
    expect((await read()).rows).toEqual([{ id: 1, name: 'a', tag: 't' }])
  })

  it('closes the connection', async () => {
    const k = kysely()
    await k.selectFrom('items').selectAll().execute()
    await k.destroy()
    expect(db.open).toBe(false)
  })
})
