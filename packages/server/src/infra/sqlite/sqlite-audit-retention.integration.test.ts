import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach } from 'vitest'
import {
  describeAuditStoreContract,
  type AuditStoreContractSubject,
} from '../../audit/audit-store.contract.js'
import {
  describeRetentionStoreContract,
  type RetentionStoreContractSubject,
} from '../../retention/retention-store.contract.js'
import { openSqliteStorage } from './open-sqlite-storage.js'

const dirs: string[] = []

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-audit-'))
  dirs.push(dir)
  return dir
}

// Runs after the contracts' own afterEach, which closes the storage.
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const TRIGGERS = `
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;`

function auditSubject(): Promise<AuditStoreContractSubject> {
  const dir = freshDir()
  const storage = openSqliteStorage({ dataDir: dir })
  // A second connection, as an operator's shell would open the file.
  const raw = new Database(join(dir, 'tessera.db'))
  return Promise.resolve({
    audit: storage.audit,
    execute: async (statement) => {
      await Promise.resolve()
      raw.exec(statement)
    },
    tamper: async (statement) => {
      await Promise.resolve()
      raw.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;')
      raw.exec(statement)
      raw.exec(TRIGGERS)
    },
    close: async () => {
      raw.close()
      await storage.close()
    },
  })
}

function retentionSubject(): Promise<RetentionStoreContractSubject> {
  const dir = freshDir()
  const storage = openSqliteStorage({ dataDir: dir })
  const delivery = new Database(join(dir, 'delivery.db'))
  const store = new Database(join(dir, 'tessera.db'))
  return Promise.resolve({
    storage,
    executeDelivery: (statement) => {
      delivery.exec(statement)
      return Promise.resolve()
    },
    executeStore: (statement) => {
      store.exec(statement)
      return Promise.resolve()
    },
    countDelivery: (table) =>
      Promise.resolve(
        (delivery.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
      ),
    close: async () => {
      delivery.close()
      store.close()
      await storage.close()
    },
  })
}

describeAuditStoreContract('sqlite', auditSubject)
describeRetentionStoreContract('sqlite', retentionSubject)
