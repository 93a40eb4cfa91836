import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { describeFieldInventoryContract } from '../../privacy/fields/field-inventory-store.contract.js'
import { openSqliteStorage } from './open-sqlite-storage.js'

const dirs: string[] = []

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describeFieldInventoryContract('sqlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-fields-'))
  dirs.push(dir)
  return Promise.resolve(openSqliteStorage({ dataDir: dir }))
})
