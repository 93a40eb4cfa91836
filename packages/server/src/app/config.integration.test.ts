import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../platform/errors/index.js'
import { loadConfig, resolveConfigPath } from './config.js'

let dir: string
let n = 0

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-config-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

function file(text: string, ext = 'yaml'): string {
  const path = join(dir, `config-${++n}.${ext}`)
  writeFileSync(path, text)
  return path
}

interface Problem {
  file: string
  path: string
  message: string
}

function problemsOf(run: () => unknown): { error: AppError; problems: Problem[] } {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    const appError = error as AppError
    expect(appError.code).toBe('CONFIG_INVALID')
    return { error: appError, problems: (appError.details?.problems ?? []) as Problem[] }
  }
  throw new Error('expected loadConfig to throw')
}

describe('loadConfig', () => {
  it('applies every default to an empty file', () => {
    const path = file('')
    const { config, path: used } = loadConfig({ config: path }, {})
    expect(used).toBe(path)
    expect(config).toEqual({
      server: { port: 8080, host: '127.0.0.1', trustProxy: false, logLevel: 'info' },
      storage: { dataDir: './.tessera' },
      sources: [],
      adminTokens: [],
      ingest: { writeKeyGraceSeconds: 86_400 },
      pipeline: {
        yieldToIngest: {
          enabled: true,
          minEventsPerSecond: 1000,
          utilization: 0.5,
          maxPauseMs: 1000,
        },
      },
      profileApi: { spaceId: 'default', tokens: [] },
      delivery: { hostOverrides: {}, blockPrivateAddresses: false, enabled: true },
      privacy: {
        pii: {
          matchers: [],
          rules: [],
          inventory: {
            enabled: true,
            valueSamplesPerHour: 20,
            maxFieldsPerEvent: 1_000,
            batchSize: 500,
          },
        },
      },
      consent: { categories: [], missingConsent: 'segment' },
      dataQuality: { requiredProperties: [], evaluateEveryMs: 60_000, maxEventNames: 1000 },
    })
    expect(Object.isFrozen(config)).toBe(true)
    expect(Object.isFrozen(config.server)).toBe(true)
  })

  it('finds the file through --config, else TESSERA_CONFIG', () => {
    const a = file('server: { port: 1111 }')
    const b = file('server: { port: 2222 }')
    expect(resolveConfigPath({ config: a }, { TESSERA_CONFIG: b })).toBe(a)
    expect(resolveConfigPath({}, { TESSERA_CONFIG: b })).toBe(b)
    expect(loadConfig({}, { TESSERA_CONFIG: b }).config.server.port).toBe(2222)
  })

  it('layers file < environment < flags', () => {
    const path = file(
      [
        'server:',
        '  port: 9000',
        '  host: 0.0.0.0',
        '  logLevel: warn',
        'storage:',
        '  dataDir: /from/file',
        'adminTokens: [file-token-0123456789]',
        'sources:',
        '  - id: web',
        '    name: Web',
        '    writeKey: web_key_0001',
      ].join('\n'),
    )
    const fileOnly = loadConfig({ config: path }, {}).config
    expect(fileOnly.server).toEqual({
      port: 9000,
      host: '0.0.0.0',
      trustProxy: false,
      logLevel: 'warn',
    })
    expect(fileOnly.sources).toEqual([{ id: 'web', name: 'Web', writeKey: 'web_key_0001' }])

    const env = {
      TESSERA_PORT: '9100',
      TESSERA_HOST: '10.0.0.1',
      TESSERA_DATA_DIR: '/from/env',
      TESSERA_LOG_LEVEL: 'debug',
      TESSERA_DATABASE_URL: 'postgres://u@db:5432/x',
      TESSERA_DATABASE_SCHEMA: 'tenant_a',
      TESSERA_ADMIN_TOKEN: 'env-token-0123456789',
    }
    const withEnv = loadConfig({ config: path }, env).config
    expect(withEnv.server).toEqual({
      port: 9100,
      host: '10.0.0.1',
      trustProxy: false,
      logLevel: 'debug',
    })
    expect(withEnv.storage).toEqual({
      dataDir: '/from/env',
      databaseUrl: 'postgres://u@db:5432/x',
      databaseSchema: 'tenant_a',
    })
    // TESSERA_ADMIN_TOKEN is added to the file's tokens, not replacing them.
    expect(withEnv.adminTokens).toEqual(['file-token-0123456789', 'env-token-0123456789'])

    const withFlags = loadConfig(
      { config: path, port: 9200, host: '::1', dataDir: '/from/flags' },
      env,
    ).config
    expect(withFlags.server.port).toBe(9200)
    expect(withFlags.server.host).toBe('::1')
    expect(withFlags.storage.dataDir).toBe('/from/flags')
    expect(withFlags.server.logLevel).toBe('debug')
  })

  it('appends TESSERA_ADMIN_TOKEN when the file has no tokens; empty variables are ignored', () => {
    const path = file('server: { port: 1 }')
    expect(
      loadConfig({ config: path }, { TESSERA_ADMIN_TOKEN: 'only-token-0123456789' }).config
        .adminTokens,
    ).toEqual(['only-token-0123456789'])
    const config = loadConfig(
      { config: path },
      { TESSERA_ADMIN_TOKEN: '', TESSERA_PORT: '' },
    ).config
    expect(config.adminTokens).toEqual([])
    expect(config.server.port).toBe(1)
  })

  it('adds TESSERA_PROFILE_API_TOKEN to the Profile API tokens of the file', () => {
    const path = file('profileApi: { spaceId: acme, tokens: [file-token-0123456789] }')
    const { config } = loadConfig(
      { config: path },
      { TESSERA_PROFILE_API_TOKEN: 'env-token-profile-0123' },
    )
    expect(config.profileApi).toEqual({
      spaceId: 'acme',
      tokens: ['file-token-0123456789', 'env-token-profile-0123'],
    })
    expect(loadConfig({ config: file('') }, {}).config.profileApi.tokens).toEqual([])
  })

  it('reads JSON files too', () => {
    const path = file(
      JSON.stringify({ server: { port: 3000 }, ingest: { writeKeyGraceSeconds: 0 } }),
      'json',
    )
    const { config } = loadConfig({ config: path }, {})
    expect(config.server.port).toBe(3000)
    expect(config.ingest.writeKeyGraceSeconds).toBe(0)
  })

  it('reports several problems at once, each with file and path', () => {
    const path = file(
      [
        'server:',
        '  port: 70000',
        '  logLevel: loud',
        'adminTokens: [short]',
        'sources:',
        '  - id: "bad id"',
        '    name: X',
        '    writeKey: k',
      ].join('\n'),
    )
    const { error, problems } = problemsOf(() => loadConfig({ config: path }, {}))
    const paths = problems.map((p) => p.path)
    expect(paths).toEqual(
      expect.arrayContaining([
        'server.port',
        'server.logLevel',
        'adminTokens.0',
        'sources.0.id',
        'sources.0.writeKey',
      ]),
    )
    for (const p of problems) expect(p.file).toBe(path)
    expect(error.message).toContain(`${path}: server.port: `)
    expect(error.message).toContain(
      `${path}: adminTokens.0: an admin token has at least 16 characters`,
    )
    expect(error.message.split('\n').length).toBe(problems.length)
  })

  it('reports values from the environment that are invalid', () => {
    const path = file('')
    const { problems } = problemsOf(() =>
      loadConfig({ config: path }, { TESSERA_PORT: 'eighty', TESSERA_DATABASE_URL: 'mysql://x' }),
    )
    expect(problems.map((p) => p.path).sort()).toEqual(['server.port', 'storage.databaseUrl'])
  })

  it('rejects duplicate source ids and write keys across sources', () => {
    const path = file(
      [
        'sources:',
        '  - { id: a, name: A, writeKey: key_shared_1 }',
        '  - { id: a, name: A2, writeKey: key_other_1 }',
        '  - { id: b, name: B, writeKeys: [key_b_00001, key_shared_1] }',
      ].join('\n'),
    )
    const { problems } = problemsOf(() => loadConfig({ config: path }, {}))
    expect(problems).toEqual([
      { file: path, path: 'sources.1.id', message: 'duplicate source id a' },
      { file: path, path: 'sources.2', message: 'write key used by two sources' },
    ])
  })

  it('requires exactly one of writeKey and writeKeys', () => {
    const path = file(
      [
        'sources:',
        '  - { id: a, name: A }',
        '  - { id: b, name: B, writeKey: key_b_00001, writeKeys: [key_b_00002] }',
      ].join('\n'),
    )
    const { problems } = problemsOf(() => loadConfig({ config: path }, {}))
    expect(problems.map((p) => p.path)).toEqual(['sources.0', 'sources.1'])
  })

  it('rejects unknown keys at every level (strict)', () => {
    const path = file(
      [
        'sever: { port: 1 }',
        'server: { prot: 2 }',
        'storage: { dataDri: x }',
        'sources:',
        '  - { id: a, name: A, writeKey: key_a_00001, colour: red }',
      ].join('\n'),
    )
    const { problems } = problemsOf(() => loadConfig({ config: path }, {}))
    const text = problems.map((p) => `${p.path}: ${p.message}`).join('\n')
    expect(text).toContain('sever')
    expect(text).toContain('prot')
    expect(text).toContain('dataDri')
    expect(text).toContain('colour')
    expect(problems.length).toBeGreaterThanOrEqual(4)
  })

  it('rejects a file that is not a mapping, and reports YAML syntax errors with the file', () => {
    const list = file('- a\n- b\n')
    expect(() => loadConfig({ config: list }, {})).toThrow(/must hold a mapping/)
    const broken = file('server:\n  port: [1, 2\n')
    const { problems } = problemsOf(() => loadConfig({ config: broken }, {}))
    expect(problems).toHaveLength(1)
    expect(problems[0]?.file).toBe(broken)
  })

  it('rejects an invalid PostgreSQL schema name', () => {
    const path = file('storage: { databaseSchema: "Bad-Name" }')
    const { problems } = problemsOf(() => loadConfig({ config: path }, {}))
    expect(problems.map((p) => p.path)).toEqual(['storage.databaseSchema'])
  })

  it('reports an unreadable file as CONFIG_UNREADABLE', () => {
    try {
      loadConfig({ config: join(dir, 'missing.yaml') }, {})
      expect.unreachable()
    } catch (error) {
      expect((error as AppError).code).toBe('CONFIG_UNREADABLE')
    }
  })
})
