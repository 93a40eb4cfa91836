import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { z } from 'zod'
import { ConfigErrors, readConfigFile, validateConfig } from '../platform/config/index.js'
import { consentConfigSchema } from '../consent/index.js'
import { destinationsConfigSchema } from '../destinations/index.js'
import { identityConfigSchema } from '../identity/index.js'
import { checkTrackingPlans, trackingPlansConfigSchema } from '../plans/index.js'
import { piiConfigSchema } from '../privacy/index.js'
import { retentionConfigSchema } from '../retention/index.js'
import { dataQualityConfigSchema } from '../quality/index.js'
import { checkSourcesUnique, sourceConfigSchema } from '../sources/index.js'

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/** The whole configuration: every section with its defaults. See docs/config.md. */
export const configSchema = z.strictObject({
  server: z
    .strictObject({
      port: z.number().int().min(0).max(65535).default(8080).describe('HTTP port.'),
      host: z.string().min(1).default('127.0.0.1').describe('Address to listen on.'),
      trustProxy: z
        .union([z.boolean(), z.number().int().min(0), z.array(z.string())])
        .default(false)
        .describe(
          'Whether to read the client IP from X-Forwarded-For: true (trust all), a hop count, or a list of proxy addresses/CIDRs.',
        ),
      logLevel: z.enum(logLevels).default('info').describe('Minimum level of the JSON logs.'),
    })
    .prefault({})
    .describe('HTTP server.'),
  storage: z
    .strictObject({
      dataDir: z
        .string()
        .min(1)
        .default('./.tessera')
        .describe('Folder of the embedded store and local state.'),
      databaseUrl: z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// URL')
        .optional()
        .describe(
          'PostgreSQL URL; when set, PostgreSQL is the store instead of the embedded SQLite.',
        ),
      databaseSchema: z
        .string()
        .regex(/^[a-z_][a-z0-9_]*$/, 'lower-case letters, digits and _ only')
        .max(63)
        .optional()
        .describe('PostgreSQL schema holding the tables (created when missing).'),
    })
    .prefault({})
    .describe('Where data is stored.'),
  sources: z
    .array(sourceConfigSchema)
    .default([])
    .describe('Sources managed by this file (read-only in the API).'),
  adminTokens: z
    .array(z.string().min(16, 'an admin token has at least 16 characters'))
    .default([])
    .describe('Bearer tokens for the admin API and console.'),
  ingest: z
    .strictObject({
      writeKeyGraceSeconds: z
        .number()
        .int()
        .min(0)
        .default(86_400)
        .describe('How long a rotated-out write key keeps working, by default.'),
    })
    .prefault({})
    .describe('Tracking API.'),
  pipeline: z
    .strictObject({
      yieldToIngest: z
        .strictObject({
          enabled: z
            .boolean()
            .default(true)
            .describe(
              'While the tracking API is under pressure, the pipeline (store, identity resolution, field inventory, quality counters) holds its next batch and leaves the CPU to the request path; the durable log holds what it has not read.',
            ),
          minEventsPerSecond: z
            .number()
            .int()
            .min(1)
            .default(1000)
            .describe(
              'Events accepted per second (over 100 ms) at or above which ingest may be under pressure. The signal falls below half of it.',
            ),
          utilization: z
            .number()
            .min(0)
            .max(1)
            .default(0.5)
            .describe(
              "Share of the main thread's time spent running (event-loop utilization) at or above which, with the rate above, ingest is under pressure. The signal falls below half of it.",
            ),
          maxPauseMs: z
            .number()
            .int()
            .min(0)
            .max(60_000)
            .default(1000)
            .describe(
              'Longest a pipeline step waits before one batch while the pressure lasts; then it runs the batch anyway, so the pipeline always moves. 0 never waits.',
            ),
        })
        .prefault({})
        .describe('Ingest first: the pipeline yields to the request path during bursts.'),
    })
    .prefault({})
    .describe('The pipeline between the event log and the stores.'),
  // Without the section's own default: its presence is what makes the rules managed.
  identity: identityConfigSchema
    .unwrap()
    .optional()
    .describe(
      'Identity resolution rules. When present the file manages them (read-only in the API); when absent the defaults apply and the API may edit them.',
    ),
  profileApi: z
    .strictObject({
      spaceId: z
        .string()
        .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
        .default('default')
        .describe('The space id in Profile API paths (/v1/spaces/<spaceId>/…).'),
      tokens: z
        .array(z.string().min(16, 'an access token has at least 16 characters'))
        .default([])
        .describe(
          'Access tokens of the Profile API (HTTP Basic username, empty password). With none, every Profile API request is refused with 401.',
        ),
    })
    .prefault({})
    .describe('Segment-compatible Profile API.'),
  // Without a default: its presence is what makes the destinations managed by the file.
  destinations: destinationsConfigSchema.optional(),
  consent: consentConfigSchema,
  delivery: z
    .strictObject({
      secretKey: z
        .string()
        .regex(/^[A-Za-z0-9+/=_-]{43,44}$/, 'a 32-byte key in base64 (44 characters)')
        .optional()
        .describe(
          'Key (32 bytes, base64) that encrypts secret destination settings at rest. Default: generated once into <dataDir>/secret-key (mode 0600). Set it (TESSERA_SECRET_KEY) when several processes share a PostgreSQL store.',
        ),
      hostOverrides: z
        .record(z.string(), z.url())
        .default({})
        .describe(
          'Sends requests for a host to another origin instead (e.g. {"api.mixpanel.com": "http://127.0.0.1:9000"}), for proxies, sandboxes and tests.',
        ),
      blockPrivateAddresses: z
        .boolean()
        .default(false)
        .describe(
          'Refuse destination requests to loopback, link-local and private addresses (hosts in hostOverrides excepted).',
        ),
      enabled: z
        .boolean()
        .default(true)
        .describe(
          'Run the delivery engine in this process (while at least one destination exists).',
        ),
    })
    .prefault({})
    .describe('Delivery to destinations.'),
  // Without a default: its presence is what makes plans managed by the file.
  trackingPlans: trackingPlansConfigSchema.optional(),
  privacy: z
    .strictObject({ pii: piiConfigSchema })
    .prefault({})
    .describe('Privacy: PII classification, rules and field inventory.'),
  // Without a default: its presence is what makes the retention policies managed by the file.
  retention: retentionConfigSchema
    .optional()
    .describe(
      'Retention of raw events (src/retention/README.md). When present the file manages the policies (read-only in the API); when absent they are set through the API, and without any nothing is deleted.',
    ),
  dataQuality: dataQualityConfigSchema,
})

export type TesseraConfig = z.infer<typeof configSchema>

/** Settings from the command line; they override the environment, which overrides the file. */
export interface CliOverrides {
  config?: string
  dataDir?: string
  port?: number
  host?: string
}

/** The config file in use: `--config`, else `TESSERA_CONFIG`, else `./tessera.yaml` if present. */
export function resolveConfigPath(flags: CliOverrides, env: NodeJS.ProcessEnv): string | null {
  const explicit = flags.config ?? env.TESSERA_CONFIG
  if (explicit !== undefined && explicit !== '') return resolve(explicit)
  const fallback = resolve('tessera.yaml')
  return existsSync(fallback) ? fallback : null
}

function envOverrides(
  env: NodeJS.ProcessEnv,
): Array<{ path: string[]; value: unknown; name: string }> {
  const out: Array<{ path: string[]; value: unknown; name: string }> = []
  const add = (
    name: string,
    path: string[],
    parse: (raw: string) => unknown = (raw) => raw,
  ): void => {
    const raw = env[name]
    if (raw !== undefined && raw !== '') out.push({ path, value: parse(raw), name })
  }
  add('TESSERA_DATA_DIR', ['storage', 'dataDir'])
  add('TESSERA_PORT', ['server', 'port'], (raw) => (/^\d+$/.test(raw) ? Number(raw) : raw))
  add('TESSERA_HOST', ['server', 'host'])
  add('TESSERA_DATABASE_URL', ['storage', 'databaseUrl'])
  add('TESSERA_DATABASE_SCHEMA', ['storage', 'databaseSchema'])
  add('TESSERA_LOG_LEVEL', ['server', 'logLevel'])
  add('TESSERA_SECRET_KEY', ['delivery', 'secretKey'])
  return out
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target
  for (const key of path.slice(0, -1)) {
    const child = node[key]
    node[key] =
      typeof child === 'object' && child !== null && !Array.isArray(child) ? { ...child } : {}
    node = node[key] as Record<string, unknown>
  }
  const last = path.at(-1)
  if (last !== undefined) node[last] = value
}

/**
 * Loads the configuration once: the file (YAML or JSON) if any, then `TESSERA_*` environment
 * variables, then command-line flags; validates it all at once and returns it frozen. Throws
 * CONFIG_INVALID listing every problem as `file: path: message`.
 */
export function loadConfig(
  flags: CliOverrides,
  env: NodeJS.ProcessEnv,
): { config: Readonly<TesseraConfig>; path: string | null } {
  const path = resolveConfigPath(flags, env)
  const fromFile = path === null ? {} : readConfigFile(path)
  if (fromFile !== null && (typeof fromFile !== 'object' || Array.isArray(fromFile))) {
    throw ConfigErrors.invalid(`${path}: (root): the config file must hold a mapping`)
  }
  const merged: Record<string, unknown> = { ...((fromFile ?? {}) as Record<string, unknown>) }
  for (const o of envOverrides(env)) setPath(merged, o.path, o.value)
  if (env.TESSERA_ADMIN_TOKEN) {
    const existing = Array.isArray(merged.adminTokens) ? (merged.adminTokens as unknown[]) : []
    merged.adminTokens = [...existing, env.TESSERA_ADMIN_TOKEN]
  }
  if (env.TESSERA_PROFILE_API_TOKEN) {
    const section = (merged.profileApi ?? {}) as Record<string, unknown>
    const existing = Array.isArray(section.tokens) ? (section.tokens as unknown[]) : []
    merged.profileApi = { ...section, tokens: [...existing, env.TESSERA_PROFILE_API_TOKEN] }
  }
  if (flags.dataDir !== undefined) setPath(merged, ['storage', 'dataDir'], flags.dataDir)
  if (flags.port !== undefined) setPath(merged, ['server', 'port'], flags.port)
  if (flags.host !== undefined) setPath(merged, ['server', 'host'], flags.host)
  const config = validateConfig(configSchema, merged, path ?? '(defaults)', (c) => [
    ...checkSourcesUnique(c.sources),
    ...checkTrackingPlans(
      c.trackingPlans ?? [],
      c.sources.map((s) => s.id),
    ),
  ])
  return { config, path }
}
