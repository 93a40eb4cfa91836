import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The key that seals secret destination settings: `delivery.secretKey` (base64, 32 bytes) when
 * configured; else the key kept in `<dataDir>/secret-key`, created with mode 0600 on first use.
 * Losing that file makes stored secrets unreadable (their destinations must be edited again).
 */
export function resolveSecretKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured !== undefined) return Buffer.from(configured, 'base64')
  const file = join(dataDir, 'secret-key')
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true })
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' })
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')
}
