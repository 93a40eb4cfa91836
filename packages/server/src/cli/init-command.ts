import { existsSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { newToken, newWriteKey } from '../platform/ids.js'
import type { CliIo } from './start-command.js'

/** The starter config `tessera init` writes, with fresh secrets. */
export function starterConfig(): string {
  return `# Tessera configuration. Every setting is optional; this file shows the defaults.
# Reload without a restart: save this file, or send SIGHUP. See docs/config.md.

server:
  port: 8080            # TESSERA_PORT
  host: 127.0.0.1       # TESSERA_HOST; 0.0.0.0 to listen on every interface
  trustProxy: false     # true, a hop count, or proxy addresses, to read X-Forwarded-For
  logLevel: info        # TESSERA_LOG_LEVEL

storage:
  dataDir: ./.tessera   # TESSERA_DATA_DIR: the embedded store lives here
  # databaseUrl: postgres://user@127.0.0.1:5432/tessera   # TESSERA_DATABASE_URL selects PostgreSQL

# Tokens for the admin API (Authorization: Bearer <token>) and the console login.
adminTokens:
  - ${newToken()}

# Sources defined here are managed: read-only in the API and console.
sources:
  - id: website
    name: Website
    writeKey: ${newWriteKey()}
    # allowedOrigins: [https://www.example.com]   # browsers from other origins get 403
    # rateLimit: { perSecond: 500, burst: 1000 }  # 429 with Retry-After above this

ingest:
  writeKeyGraceSeconds: 86400   # a rotated-out write key keeps working this long
`
}

/** `tessera init`: writes the starter config; refuses to overwrite without `--force`. */
export function initCommand(options: { out?: string; force?: boolean }, io: CliIo): number {
  const path = resolve(options.out ?? 'tessera.yaml')
  if (existsSync(path) && options.force !== true) {
    io.err(`${path} exists; use --force to overwrite it.`)
    return 1
  }
  writeFileSync(path, starterConfig(), { mode: 0o600 })
  io.out(`Wrote ${path}. Start with: tessera start --config ${path}`)
  return 0
}
