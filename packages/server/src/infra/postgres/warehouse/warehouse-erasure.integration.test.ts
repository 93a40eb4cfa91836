import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../../platform/logger/index.js'
import { systemClock } from '../../../platform/clock.js'
import type { DestinationConfig } from '../../../destinations/index.js'
import { createPostgresWarehouseKind } from './postgres-warehouse-kind.js'

// A real PostgreSQL on this machine: the warehouse's deletion of a person (regulations).
const DATABASE_URL =
  process.env.TESSERA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

const schemas: string[] = []
const admin = () => new pg.Client({ connectionString: DATABASE_URL })

afterEach(async () => {
  const client = admin()
  await client.connect()
  for (const schema of schemas.splice(0)) {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  }
  await client.end()
})

function config(schema: string): DestinationConfig {
  return {
    id: 'wh',
    name: 'Warehouse',
    type: 'postgres-warehouse',
    enabled: true,
    sourceIds: null,
    settings: { connectionString: DATABASE_URL, schema, schemaPerSource: false },
    filters: [],
    subscriptions: [],
    consentCategories: [],
    delivery: { concurrency: 1, timeoutMs: 10_000 } as DestinationConfig['delivery'],
  }
}

describe('postgres-warehouse deleteSubject', () => {
  it("deletes the person's rows from every table of its schema, and only theirs", async () => {
    const schema = `wh_${randomBytes(6).toString('hex')}`
    schemas.push(schema)
    const other = `${schema}_other`
    schemas.push(other)
    const client = admin()
    await client.connect()
    for (const s of [schema, other]) {
      await client.query(`CREATE SCHEMA ${s}`)
      await client.query(`CREATE TABLE ${s}.tracks (id text, user_id text, anonymous_id text)`)
      await client.query(`CREATE TABLE ${s}.pages (id text, anonymous_id text)`)
      await client.query(`CREATE TABLE ${s}.users (id text, email text)`)
      await client.query(`CREATE TABLE ${s}.accounts (id text)`)
      await client.query(
        `INSERT INTO ${s}.tracks VALUES ('1', 'u-a', 'an-a'), ('2', NULL, 'an-a'), ('3', 'u-b', 'an-b')`,
      )
      await client.query(`INSERT INTO ${s}.pages VALUES ('4', 'an-a'), ('5', 'an-b')`)
      await client.query(`INSERT INTO ${s}.users VALUES ('u-a', 'a@x'), ('u-b', 'b@x')`)
      await client.query(`INSERT INTO ${s}.accounts VALUES ('u-a')`)
    }
    const kind = createPostgresWarehouseKind()
    const driver = await kind.create(config(schema), {
      http: {} as never,
      logger: createLogger({ level: 'silent' }),
      clock: systemClock,
    })
    try {
      const outcome = await driver.deleteSubject?.(
        {
          regulationId: 'reg_1',
          userIds: ['u-a'],
          anonymousIds: ['an-a'],
          identifiers: [],
        },
        { attempt: 1, signal: new AbortController().signal, timeoutMs: 10_000 },
      )
      expect(outcome).toEqual({
        status: 'deleted',
        removed: { [`${schema}.tracks`]: 2, [`${schema}.pages`]: 1, [`${schema}.users`]: 1 },
      })
      const ids = async (s: string, table: string) =>
        (await client.query<{ id: string }>(`SELECT id FROM ${s}.${table} ORDER BY id`)).rows.map(
          (r) => r.id,
        )
      expect(await ids(schema, 'tracks')).toEqual(['3'])
      expect(await ids(schema, 'pages')).toEqual(['5'])
      expect(await ids(schema, 'users')).toEqual(['u-b'])
      expect(await ids(schema, 'accounts')).toEqual(['u-a'])
      // Another schema (another destination's) is untouched.
      expect(await ids(other, 'tracks')).toEqual(['1', '2', '3'])
    } finally {
      await driver.close()
      await client.end()
    }
  })
})
