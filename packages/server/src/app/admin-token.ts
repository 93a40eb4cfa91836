import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { newToken } from '../platform/ids.js'

/**
 * The admin tokens in force: those from the config, or else the token kept in
 * `<dataDir>/admin-token` (created with mode 0600 on first start). `generated` tells whether
 * the file token is used, so the start banner can say where it is.
 */
export function resolveAdminTokens(
  configured: readonly string[],
  dataDir: string,
): { tokens: string[]; tokenFile: string | null } {
  if (configured.length > 0) return { tokens: [...configured], tokenFile: null }
  const file = join(dataDir, 'admin-token')
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true })
    writeFileSync(file, `${newToken()}\n`, { mode: 0o600, flag: 'wx' })
  }
  return { tokens: [readFileSync(file, 'utf8').trim()], tokenFile: file }
}
