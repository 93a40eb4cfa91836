/**
 * Renders docs/config.md from {@link configSchema} (house style §8.5: the config reference is
 * generated, and CI fails when it is stale). Key paths, types, defaults and descriptions come
 * from the schema through its JSON Schema; what the schema cannot say (environment variables,
 * flags, reload behaviour) is declared here next to the code that renders it. Run
 * `npm run docs:config` after changing either.
 */
import { z } from 'zod'
import { configSchema } from './config.js'

/** An environment variable read by `loadConfig`, and the setting it overrides. */
export interface ConfigVariable {
  name: string
  /** Dotted key path it sets, or null for `TESSERA_CONFIG` (which names the file). */
  path: string | null
  note: string
}

/** Every `TESSERA_*` variable `loadConfig` reads (app/config.ts). */
export const CONFIG_VARIABLES: readonly ConfigVariable[] = [
  { name: 'TESSERA_CONFIG', path: null, note: 'the config file to read' },
  { name: 'TESSERA_DATA_DIR', path: 'storage.dataDir', note: '' },
  { name: 'TESSERA_PORT', path: 'server.port', note: 'digits only' },
  { name: 'TESSERA_HOST', path: 'server.host', note: '' },
  { name: 'TESSERA_DATABASE_URL', path: 'storage.databaseUrl', note: 'selects PostgreSQL' },
  { name: 'TESSERA_DATABASE_SCHEMA', path: 'storage.databaseSchema', note: '' },
  { name: 'TESSERA_LOG_LEVEL', path: 'server.logLevel', note: '' },
  { name: 'TESSERA_SECRET_KEY', path: 'delivery.secretKey', note: '' },
  {
    name: 'TESSERA_ADMIN_TOKEN',
    path: 'adminTokens',
    note: 'added to the tokens of the file, not replacing them',
  },
  {
    name: 'TESSERA_PROFILE_API_TOKEN',
    path: 'profileApi.tokens',
    note: 'added to the tokens of the file, not replacing them',
  },
]

/** Flags of `tessera start` (cli/run-cli.ts) and the settings they override. */
export const CONFIG_FLAGS: ReadonlyArray<{ flag: string; path: string | null }> = [
  { flag: '--config FILE', path: null },
  { flag: '--data-dir DIR', path: 'storage.dataDir' },
  { flag: '--port N', path: 'server.port' },
  { flag: '--host ADDR', path: 'server.host' },
]

/**
 * Settings a reload applies to the running server (`Platform.applyConfig` in
 * app/create-platform.ts); every other setting is read once at start.
 */
export const RELOADED_SETTINGS: readonly string[] = [
  'sources',
  'adminTokens',
  'ingest.writeKeyGraceSeconds',
  'pipeline.yieldToIngest',
  'destinations',
  'trackingPlans',
  'retention',
]

/** Rules the schema enforces with checks that JSON Schema cannot express. */
const EXTRA_RULES: Readonly<Record<string, string>> = {
  trackingPlans:
    'Every rule schema must compile (draft-07 unless `$schema` names 2019-09 or 2020-12); ' +
    '`type:key:version` is unique in a plan; TRACK rules need a `key`. Plan ids are unique, a ' +
    'source is connected to at most one plan, and when the file defines `sources` every ' +
    'connected source must be one of them (otherwise an unknown source is a warning at start). ' +
    'Check a file offline with `tessera plan validate`.',
  sources:
    'Each source needs exactly one of `writeKey` or `writeKeys`. Ids and write keys must be ' +
    'unique across the sources of the file.',
  'sources[].allowedOrigins':
    'Each origin is `*` or `scheme://host[:port]` with no path, e.g. `https://shop.example.com`.',
  'sources[].rateLimit':
    'A token bucket per source and process: each request (not each event) takes a token; ' +
    'above the limit the tracking API answers 429 with `Retry-After`.',
  adminTokens:
    'When the list is empty (and `TESSERA_ADMIN_TOKEN` is unset), the server generates a token ' +
    'on first start and keeps it in `<dataDir>/admin-token` (mode 0600).',
}

/** A valid config file showing every section; config-doc.test.ts checks it against the schema. */
export const CONFIG_EXAMPLE = `server:
  port: 8080
  host: 0.0.0.0
  trustProxy: 1
  logLevel: info

storage:
  dataDir: /var/lib/tessera
  # databaseUrl: postgres://tessera@db.internal:5432/tessera
  # databaseSchema: tessera

adminTokens:
  - replace-with-a-long-random-token

sources:
  - id: website
    name: Website
    writeKey: website_write_key_0001
    allowedOrigins: [https://www.example.com]
    rateLimit: { perSecond: 500, burst: 1000 }
  - id: backend
    name: Backend services
    writeKeys: [backend_key_new_0002, backend_key_old_0001]

ingest:
  writeKeyGraceSeconds: 3600

pipeline:
  yieldToIngest: { enabled: true, minEventsPerSecond: 1000, utilization: 0.5, maxPauseMs: 1000 }

trackingPlans:
  - id: tp_website
    name: Website
    rules:
      - type: TRACK
        key: Order Completed
        jsonSchema:
          type: object
          properties:
            properties:
              type: object
              properties: { total: { type: number }, currency: { type: string } }
              required: [total]
    sources:
      - id: website
        enforcement: { unplannedEvents: block, trackViolations: omit }
`

/** The subset of a JSON Schema node that zod emits for this config. */
interface SchemaNode {
  type?: string
  description?: string
  default?: unknown
  enum?: unknown[]
  anyOf?: SchemaNode[]
  items?: SchemaNode
  properties?: Record<string, SchemaNode>
  required?: string[]
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  minLength?: number
  maxLength?: number
  minItems?: number
  pattern?: string
}

/** One documented key: a dotted path (`[]` for array items) and its schema. */
export interface ConfigSetting {
  path: string
  node: SchemaNode
  /** False when the key must be given (no default); true for every top-level setting. */
  optional: boolean
}

function numberRange(node: SchemaNode): string {
  const max = node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER
  if (node.minimum !== undefined && max) return ` from ${node.minimum} to ${node.maximum}`
  if (node.minimum !== undefined) return ` ≥ ${node.minimum}`
  if (node.exclusiveMinimum !== undefined) return ` > ${node.exclusiveMinimum}`
  return max ? ` ≤ ${node.maximum}` : ''
}

function stringRules(node: SchemaNode): string[] {
  const rules: string[] = []
  if (node.minLength === 1) rules.push('non-empty')
  else if (node.minLength !== undefined) rules.push(`at least ${node.minLength} characters`)
  if (node.maxLength !== undefined) rules.push(`at most ${node.maxLength} characters`)
  if (node.pattern !== undefined) rules.push(`matching \`${node.pattern}\``)
  return rules
}

const parenthesized = (rules: string[]): string =>
  rules.length === 0 ? '' : ` (${rules.join(', ')})`

/** A readable type: `integer from 0 to 65535`, `one of \`a\`, \`b\``, `list of strings`. */
function describeType(node: SchemaNode): string {
  if (node.enum) return `one of ${node.enum.map((v) => `\`${String(v)}\``).join(', ')}`
  if (node.anyOf) return node.anyOf.map(describeType).join(', or ')
  const type = node.type ?? 'any value'
  if (type === 'integer' || type === 'number') return `${type}${numberRange(node)}`
  if (type === 'string') return `string${parenthesized(stringRules(node))}`
  if (type === 'array') return describeList(node)
  return type === 'object' ? 'mapping, fields below' : type
}

function describeList(node: SchemaNode): string {
  const rules = node.minItems === undefined ? [] : [`at least ${node.minItems}`]
  const items = node.items
  if (items?.properties) return `list of mappings${parenthesized(rules)}, fields below`
  if (items?.type === 'string') {
    const each = stringRules(items).map((rule, i) => (i === 0 ? `each ${rule}` : rule))
    return `list of strings${parenthesized([...rules, ...each])}`
  }
  return `list of ${items ? describeType(items) : 'values'}${parenthesized(rules)}`
}

/** Every key path of the schema, depth first, in declaration order. */
export function configSettings(): ConfigSetting[] {
  const root = z.toJSONSchema(configSchema, { io: 'input' }) as SchemaNode
  const out: ConfigSetting[] = []
  const walk = (node: SchemaNode, prefix: string): void => {
    // Input schema: a key with a default is not required.
    const required = new Set(node.required ?? [])
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const path = prefix === '' ? key : `${prefix}.${key}`
      out.push({ path, node: child, optional: !required.has(key) })
      if (child.properties) walk(child, path)
      if (child.items?.properties) walk(child.items, `${path}[]`)
    }
  }
  walk(root, '')
  return out
}

function renderDefault(setting: ConfigSetting): string | null {
  const value = setting.node.default
  // Sections default to `{}`, i.e. to their fields' defaults, which are listed with the fields.
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return null
  if (value === undefined) return setting.optional ? 'none (optional)' : 'none (required)'
  return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``
}

function renderSetting(setting: ConfigSetting): string {
  const { path, node } = setting
  const level = path.includes('.') || path.includes('[]') ? '####' : '###'
  const lines = [`${level} \`${path}\``, '']
  if (node.description !== undefined) lines.push(node.description, '')
  lines.push(`- Type: ${describeType(node)}`)
  const fallback = renderDefault(setting)
  if (fallback !== null) lines.push(`- Default: ${fallback}`)
  const variable = CONFIG_VARIABLES.find((v) => v.path === path)
  const flag = CONFIG_FLAGS.find((f) => f.path === path)
  const overrides = [
    ...(variable ? [`\`${variable.name}\``] : []),
    ...(flag ? [`\`${flag.flag}\``] : []),
  ]
  if (overrides.length > 0) lines.push(`- Overridden by: ${overrides.join(', ')}`)
  if (!node.properties) {
    const reloaded = RELOADED_SETTINGS.some((s) => path === s || path.startsWith(`${s}.`))
    const item = RELOADED_SETTINGS.some((s) => path.startsWith(`${s}[]`))
    lines.push(`- On reload: ${reloaded || item ? 'applied' : 'needs a restart'}`)
  }
  const rule = EXTRA_RULES[path]
  if (rule !== undefined) lines.push('', rule)
  return lines.join('\n')
}

function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows]
  const widths = header.map((_, i) => Math.max(3, ...all.map((row) => (row[i] ?? '').length)))
  const line = (row: string[]): string =>
    `| ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)]
    .join('\n')
    .concat('\n')
}

function renderVariables(): string {
  const rows = CONFIG_VARIABLES.map((v) => [
    `\`${v.name}\``,
    v.path === null ? '(the file)' : `\`${v.path}\``,
    v.note,
  ])
  return table(['Variable', 'Sets', 'Notes'], rows)
}

const INTRO = `# Configuration

<!-- Generated from configSchema (packages/server/src/app/config.ts) by packages/server/src/app/config-doc.ts. Do not edit: run \`npm run docs:config\`. -->

Tessera needs no configuration: without any, \`tessera start\` listens on 127.0.0.1:8080 and
keeps everything in the embedded store under \`./.tessera\`, creating a first source and an
admin token. Setting \`storage.databaseUrl\` switches the store to PostgreSQL.

## Where settings come from

From highest to lowest precedence:

1. **Flags** of \`tessera start\`: ${CONFIG_FLAGS.map((f) => `\`${f.flag}\``).join(', ')}.
2. **Environment variables** (below). Empty values are ignored.
3. **The config file**: \`--config\`, else \`TESSERA_CONFIG\`, else \`./tessera.yaml\` when it
   exists. YAML, or JSON when the name ends in \`.json\`. \`tessera init\` writes a commented
   starter file with fresh secrets.
4. **Defaults**, listed with each setting below.

The merged result is validated once, all problems at once: each is reported as
\`file: path: message\` and \`tessera start\` exits with code 2 (\`CONFIG_INVALID\`,
\`CONFIG_UNREADABLE\` in docs/errors.md). Unknown keys are errors. The configuration is frozen
once loaded.

## Environment variables

`

const RELOAD = `## Reloading

Sending \`SIGHUP\` to the server, or saving the config file (it is watched), loads the
configuration again from the file, the environment and the flags. If it is valid, these
settings take effect at once, without dropping requests:

${RELOADED_SETTINGS.map((s) => `- \`${s}\``).join('\n')}

Every other setting needs a restart. If it is not valid, the problems are logged and the
previous configuration stays in force. Reloading replaces the sources of the file (managed
sources); sources created through the admin API are not affected.

## Example

A \`tessera.yaml\` using every section:

\`\`\`yaml
${CONFIG_EXAMPLE}\`\`\`

## Settings
`

/** The whole of docs/config.md. Pure: the same schema always gives the same text. */
export function renderConfigDoc(): string {
  const settings = configSettings().map(renderSetting)
  return `${INTRO}${renderVariables()}\n${RELOAD}\n${settings.join('\n\n')}\n`
}
