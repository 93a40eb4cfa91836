import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { validateConfig } from '../platform/config/index.js'
import { checkSourcesUnique } from '../sources/index.js'
import {
  CONFIG_EXAMPLE,
  CONFIG_FLAGS,
  CONFIG_VARIABLES,
  RELOADED_SETTINGS,
  configSettings,
  renderConfigDoc,
} from './config-doc.js'
import { configSchema, loadConfig, type TesseraConfig } from './config.js'

const DOC = fileURLToPath(new URL('../../../../docs/config.md', import.meta.url))
const CONFIG_SOURCE = fileURLToPath(new URL('./config.ts', import.meta.url))

function valueAt(config: Readonly<TesseraConfig>, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], config)
}

/** A valid value for each variable, as the environment would hold it, and its parsed form. */
const SAMPLES: Record<string, { raw: string; parsed: unknown }> = {
  TESSERA_DATA_DIR: { raw: '/srv/tessera-data', parsed: '/srv/tessera-data' },
  TESSERA_PORT: { raw: '9191', parsed: 9191 },
  TESSERA_HOST: { raw: '0.0.0.0', parsed: '0.0.0.0' },
  TESSERA_DATABASE_URL: { raw: 'postgres://u@db:5432/t', parsed: 'postgres://u@db:5432/t' },
  TESSERA_DATABASE_SCHEMA: { raw: 'tessera_docs', parsed: 'tessera_docs' },
  TESSERA_LOG_LEVEL: { raw: 'debug', parsed: 'debug' },
  TESSERA_SECRET_KEY: {
    raw: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
    parsed: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
  },
  TESSERA_ADMIN_TOKEN: { raw: 'token-from-the-environment', parsed: 'token-from-the-environment' },
  TESSERA_PROFILE_API_TOKEN: {
    raw: 'profile-token-from-the-environment',
    parsed: 'profile-token-from-the-environment',
  },
}

describe('docs/config.md', () => {
  it('is up to date with the config schema', () => {
    const onDisk = readFileSync(DOC, 'utf8')
    expect(
      onDisk === renderConfigDoc(),
      'docs/config.md is stale: run `npm run docs:config` and commit the result',
    ).toBe(true)
  })

  it('documents every key of the schema with its description', () => {
    const doc = renderConfigDoc()
    for (const { path, node } of configSettings()) {
      expect(doc).toContain(`\`${path}\``)
      expect(node.description, `${path} needs a .describe() text`).toBeTruthy()
    }
  })

  it('shows an example that the schema accepts', () => {
    const value: unknown = parseYaml(CONFIG_EXAMPLE)
    expect(() =>
      validateConfig(configSchema, value, 'example', (c) => checkSourcesUnique(c.sources)),
    ).not.toThrow()
  })

  it('names only keys that exist', () => {
    const paths = new Set(configSettings().map((s) => s.path))
    const named = [
      ...CONFIG_VARIABLES.map((v) => v.path),
      ...CONFIG_FLAGS.map((f) => f.path),
      ...RELOADED_SETTINGS,
    ].filter((path): path is string => path !== null)
    expect(named.filter((path) => !paths.has(path))).toEqual([])
  })

  it('lists exactly the variables loadConfig reads', () => {
    const read = new Set(readFileSync(CONFIG_SOURCE, 'utf8').match(/TESSERA_[A-Z_]+/g))
    expect(new Set(CONFIG_VARIABLES.map((v) => v.name))).toEqual(read)
  })

  // loadConfig also looks for ./tessera.yaml; the variables win over it, so a developer's own
  // file does not change these outcomes.
  it.each(CONFIG_VARIABLES.filter((v) => v.path !== null))('$name sets $path', ({ name, path }) => {
    const sample = SAMPLES[name]
    expect(sample, `add a sample value for ${name}`).toBeDefined()
    if (!sample || path === null) return
    const { config } = loadConfig({}, { [name]: sample.raw })
    const value = valueAt(config, path)
    if (Array.isArray(value)) expect(value).toContain(sample.parsed)
    else expect(value).toBe(sample.parsed)
  })

  it('lets flags override the environment', () => {
    const env = { TESSERA_PORT: '9191', TESSERA_HOST: '0.0.0.0', TESSERA_DATA_DIR: '/env' }
    const { config } = loadConfig({ port: 9292, host: '::1', dataDir: '/flag' }, env)
    expect(config.server.port).toBe(9292)
    expect(config.server.host).toBe('::1')
    expect(config.storage.dataDir).toBe('/flag')
  })
})
