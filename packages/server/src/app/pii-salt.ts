import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The salt of the PII `hash` action: `privacy.pii.salt` when configured; else the salt kept in
 * `<dataDir>/pii-salt`, created with mode 0600 on first use. Losing that file changes every
 * hash produced from then on (hashed values no longer join with older ones).
 */
export function resolvePiiSalt(configured: string | undefined, dataDir: string): string {
  if (configured !== undefined) return configured
  const file = join(dataDir, 'pii-salt')
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true })
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' })
  }
  return readFileSync(file, 'utf8').trim()
}
