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

# Segment-compatible Profile API: GET /v1/spaces/<spaceId>/collections/users/profiles/<type:value>/traits
# with HTTP Basic auth (the token as username, empty password).
profileApi:
  spaceId: default
  tokens:
    - ${newToken()}

# Identity resolution rules. Uncomment to manage them here (the API then cannot edit them).
# identity:
#   identifiers:                  # unlisted types: limit 5, window ever, priority after these
#     user_id: { limit: 1, window: ever, priority: 1 }
#     email: { limit: 5, window: annually, priority: 2 }
#     anonymous_id: { limit: 5, window: weekly }
#   custom:                       # identifier types read from event fields
#     - { type: shopify_id, collection: users, paths: [traits.shopifyId, properties.shopify_id] }
#   blockedValues:                # added to the defaults (null, anonymous, 0, -1, …)
#     exact: [test@example.com]
#     patterns: ['^guest-']
#   mergeCap: 100
#   identifierCap: 1000
#   phoneRegion: US               # region of phone numbers written without +country code
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
