import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, afterEach, beforeAll } from 'vitest'
import {
  describeAuditStoreContract,
  type AuditStoreContractSubject,
} from '../../audit/audit-store.contract.js'
import {
  describeRetentionStoreContract,
  type RetentionStoreContractSubject,
} from '../../retention/retention-store.contract.js'
import { openPostgresStorage } from './open-postgres-storage.js'

// A real PostgreSQL on this machine (house style §8.6); no skip when it is down.
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

function freshSchema(): string {
  const schema = `tessera_test_${randomBytes(8).toString('hex')}`
  schemas.push(schema)
  return schema
}

async function auditSubject(): Promise<AuditStoreContractSubject> {
  const schema = freshSchema()
  const storage = await openPostgresStorage({ url: DATABASE_URL, schema })
  const run = async (statement: string): Promise<void> => {
    const client = await admin.connect()
    try {
      await client.query(`SET search_path = ${schema}`)
      await client.query(statement)
    } finally {
      await client.query('RESET search_path')
      client.release()
    }
  }
  return {
    audit: storage.audit,
    execute: run,
    tamper: async (statement) => {
      await run('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change')
      await run(statement)
      await run('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change')
    },
    close: () => storage.close(),
  }
}

async function retentionSubject(): Promise<RetentionStoreContractSubject> {
  const schema = freshSchema()
  const storage = await openPostgresStorage({ url: DATABASE_URL, schema })
  const run = async <T extends pg.QueryResultRow>(statement: string): Promise<T[]> => {
    const client = await admin.connect()
    try {
      await client.query(`SET search_path = ${schema}`)
      return (await client.query<T>(statement)).rows
    } finally {
      await client.query('RESET search_path')
      client.release()
    }
  }
  return {
    storage,
    executeDelivery: async (statement) => {
      await run(statement)
    },
    executeStore: async (statement) => {
      await run(statement)
    },
    countDelivery: async (table) =>
      Number((await run<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n ?? 0),
    close: () => storage.close(),
  }
}

describeAuditStoreContract('postgres', auditSubject)
describeRetentionStoreContract('postgres', retentionSubject)
