import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { describeFieldInventoryContract } from '../../privacy/fields/field-inventory-store.contract.js'
import { openPostgresStorage } from './open-postgres-storage.js'

// A real PostgreSQL on this machine; no skip when it is down (every test fails on connect).
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
// Runs after the contract's own afterEach, which closes the storage.
afterEach(async () => {
  for (const schema of schemas.splice(0)) {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  }
})

describeFieldInventoryContract('postgres', () => {
  const schema = `tessera_test_${randomBytes(8).toString('hex')}`
  schemas.push(schema)
  return openPostgresStorage({ url: DATABASE_URL, schema })
})
