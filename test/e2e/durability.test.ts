// The real `tessera` CLI as a child process: acknowledged events survive kill -9 and SIGTERM,
// config reloads (file watch and SIGHUP) keep the old config when the new one is invalid, and
// startup refuses a bad config with every problem listed. Needs a build
// (`npm run build -w @tessera/server`); `npm test` builds first.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { describeCalls, generateTraffic } from '../../packages/server/src/demo/index.js'

const ROOT = resolve(import.meta.dirname, '../..')
const BIN = join(ROOT, 'packages/server/bin/tessera.js')
const ADMIN_TOKEN = 'durability-admin-token-0123456789'

const children = new Set<ChildProcess>()
const tempDirs: string[] = []

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-durability-'))
  tempDirs.push(dir)
  return dir
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer()
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => done(port))
    })
  })
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

interface Cli {
  child: ChildProcess
  output: () => string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** Runs `tessera <args>` in `cwd` (a temp dir, so no stray ./tessera.yaml is picked up). */
function runCli(args: string[], options: { cwd: string; env?: Record<string, string> }): Cli {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: {
      PATH: process.env.PATH ?? '',
      TESSERA_ADMIN_TOKEN: ADMIN_TOKEN,
      TESSERA_LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('exit', (code, signal) => {
      children.delete(child)
      done({ code, signal })
    })
  })
  return { child, output: () => output, exited }
}

/** Polls /ready until the server answers 200; fails early when the process exits. */
async function waitReady(cli: Cli, url: string, timeoutMs = 20_000): Promise<void> {
  let exited = false
  void cli.exited.then(() => (exited = true))
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (exited) throw new Error(`tessera exited before it was ready:\n${cli.output()}`)
    try {
      const response = await fetch(`${url}/ready`)
      if (response.status === 200) return
    } catch {
      // not listening yet
    }
    await sleep(50)
  }
  throw new Error(`tessera was not ready within ${timeoutMs} ms:\n${cli.output()}`)
}

async function startServer(
  dataDir: string,
  extraArgs: string[] = [],
  env: Record<string, string> = {},
) {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const cli = runCli(['start', '--data-dir', dataDir, '--port', String(port), ...extraArgs], {
    cwd: dataDir,
    env,
  })
  await waitReady(cli, url)
  return { ...cli, url, port }
}

async function firstWriteKey(url: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/sources`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  })
  expect(response.status).toBe(200)
  const body = (await response.json()) as { data: Array<{ writeKey: string }> }
  const key = body.data[0]?.writeKey
  if (key === undefined) throw new Error('no source')
  return key
}

const basic = (key: string): string => `Basic ${Buffer.from(`${key}:`).toString('base64')}`

async function trackStatus(url: string, writeKey: string): Promise<number> {
  const response = await fetch(`${url}/v1/track`, {
    method: 'POST',
    headers: { authorization: basic(writeKey), 'content-type': 'application/json' },
    body: JSON.stringify({ userId: 'reload', event: 'Reload Checked' }),
  })
  await response.arrayBuffer()
  return response.status
}

interface Load {
  /** messageIds of every batch the server answered 200. */
  acked: Set<string>
  statuses: Map<string, number>
  stop: () => Promise<void>
}

/**
 * Concurrent senders posting batches with unique messageIds until stopped. Connection errors
 * (the server is gone or restarting) are counted and retried after a short pause.
 */
function startLoad(
  url: string,
  writeKey: string,
  options: { prefix: string; senders: number },
): Load {
  const acked = new Set<string>()
  const statuses = new Map<string, number>()
  let stopped = false
  const count = (key: string): void => {
    statuses.set(key, (statuses.get(key) ?? 0) + 1)
  }
  const sender = async (s: number): Promise<void> => {
    for (let seq = 0; !stopped; seq++) {
      const ids = Array.from({ length: 25 }, (_, i) => `${options.prefix}-s${s}-b${seq}-${i}`)
      const batch = ids.map((messageId, i) => ({
        type: i % 5 === 0 ? 'identify' : 'track',
        event: 'Load Tested',
        userId: `load-${s}-${i}`,
        messageId,
        properties: { seq, i, filler: 'x'.repeat(200) },
      }))
      try {
        const response = await fetch(`${url}/v1/batch`, {
          method: 'POST',
          headers: { authorization: basic(writeKey), 'content-type': 'application/json' },
          body: JSON.stringify({ batch, sentAt: new Date().toISOString() }),
        })
        await response.arrayBuffer()
        count(String(response.status))
        if (response.status === 200) for (const id of ids) acked.add(id)
      } catch {
        count('network error')
        await sleep(10)
      }
    }
  }
  const running = Promise.all(Array.from({ length: options.senders }, (_, s) => sender(s)))
  return {
    acked,
    statuses,
    stop: async () => {
      stopped = true
      await running
    },
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await sleep(20)
  }
}

/** Opens the embedded store read-only: integrity check plus the stored messageIds. */
function inspectStore(dataDir: string, prefix: string): { integrity: string; ids: Set<string> } {
  const db = new Database(join(dataDir, 'tessera.db'), { readonly: true, fileMustExist: true })
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string
    const rows = db
      .prepare('SELECT message_id FROM events WHERE message_id LIKE ?')
      .pluck()
      .all(`${prefix}%`) as string[]
    return { integrity, ids: new Set(rows) }
  } finally {
    db.close()
  }
}

/**
 * The store is fed from the durable log by the pipeline, so after a restart it catches up
 * within moments: poll until every acknowledged id is there (or the deadline passes).
 */
async function inspectStoreWhenCaughtUp(
  dataDir: string,
  prefix: string,
  acked: Set<string>,
): Promise<{ integrity: string; ids: Set<string> }> {
  const deadline = Date.now() + 15_000
  for (;;) {
    const result = inspectStore(dataDir, prefix)
    if (missing(acked, result.ids).length === 0 || Date.now() > deadline) return result
    await sleep(100)
  }
}

function missing(acked: Set<string>, stored: Set<string>): string[] {
  return [...acked].filter((id) => !stored.has(id))
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'packages/server/dist/cli/run-cli.js'))) {
    throw new Error('packages/server/dist is missing: run `npm run build -w @tessera/server` first')
  }
})

afterEach(async () => {
  for (const child of children) child.kill('SIGKILL')
  await sleep(children.size > 0 ? 100 : 0)
})

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
})

describe('durability of acknowledged events', () => {
  it('keeps every acknowledged event across kill -9 under load, over three rounds', async () => {
    const dataDir = tempDir()
    const allAcked = new Set<string>()
    let server = await startServer(dataDir)
    const writeKey = await firstWriteKey(server.url)
    for (let round = 1; round <= 3; round++) {
      const load = startLoad(server.url, writeKey, { prefix: `kill${round}`, senders: 6 })
      await waitFor(() => load.acked.size >= 1_000, 20_000)
      server.child.kill('SIGKILL')
      expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' })
      await load.stop()
      for (const id of load.acked) allAcked.add(id)

      server = await startServer(dataDir)
      // The default source was created once, on the first start only.
      expect(await firstWriteKey(server.url)).toBe(writeKey)
      const { integrity, ids } = await inspectStoreWhenCaughtUp(dataDir, 'kill', allAcked)
      expect(integrity).toBe('ok')
      expect(missing(allAcked, ids), `round ${round}`).toEqual([])
      expect(ids.size).toBeGreaterThanOrEqual(allAcked.size)
    }
    expect(allAcked.size).toBeGreaterThanOrEqual(3_000)
    server.child.kill('SIGTERM')
    expect(await server.exited).toEqual({ code: 0, signal: null })
    expect(inspectStore(dataDir, 'kill').integrity).toBe('ok')
  })

  it('stores every acknowledged event and exits 0 on SIGTERM under load', async () => {
    const dataDir = tempDir()
    const server = await startServer(dataDir)
    const writeKey = await firstWriteKey(server.url)
    const load = startLoad(server.url, writeKey, { prefix: 'term', senders: 6 })
    await waitFor(() => load.acked.size >= 1_000, 20_000)
    server.child.kill('SIGTERM')
    const exit = await server.exited
    await load.stop()
    expect(exit, server.output()).toEqual({ code: 0, signal: null })
    const { integrity, ids } = inspectStore(dataDir, 'term')
    expect(integrity).toBe('ok')
    expect(missing(load.acked, ids)).toEqual([])
    // Requests that arrived while stopping were refused, never silently dropped.
    const refused = [...load.statuses.keys()].filter((s) => s !== '200' && s !== 'network error')
    expect(
      refused.every((s) => s === '503'),
      JSON.stringify([...load.statuses]),
    ).toBe(true)
  })
})

describe('config reload', () => {
  function configYaml(port: number, dataDir: string, sources: string[]): string {
    const list = sources
      .map((key, i) => `  - id: source-${i}\n    name: Source ${i}\n    writeKey: ${key}\n`)
      .join('')
    return `server:\n  port: ${port}\n  host: 127.0.0.1\nstorage:\n  dataDir: ${dataDir}\nsources:\n${list}`
  }

  it('applies file changes, keeps the old config when the new one is invalid, reloads on SIGHUP', async () => {
    const dir = tempDir()
    const file = join(dir, 'tessera.yaml')
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    const keys = ['first_key_00000001', 'second_key_0000002', 'third_key_00000003']
    writeFileSync(file, configYaml(port, join(dir, 'data'), keys.slice(0, 1)))
    const cli = runCli(['start', '--config', file], {
      cwd: dir,
      env: { TESSERA_LOG_LEVEL: 'info' },
    })
    await waitReady(cli, url)
    expect(await trackStatus(url, keys[0] as string)).toBe(200)
    expect(await trackStatus(url, keys[1] as string)).toBe(401)

    // A second source appears in the file: its key works within about two seconds.
    const added = Date.now()
    writeFileSync(file, configYaml(port, join(dir, 'data'), keys.slice(0, 2)))
    await waitForAsync(async () => (await trackStatus(url, keys[1] as string)) === 200, 3_000)
    expect(Date.now() - added).toBeLessThan(3_000)

    // An invalid file is refused as a whole; both sources keep working; problems are logged.
    writeFileSync(
      file,
      `${configYaml(port, join(dir, 'data'), keys.slice(0, 2))}  - id: bad id!\n    name: Bad\n    writeKey: short\nbogus: 1\n`,
    )
    await waitFor(() => cli.output().includes('config reload failed'), 3_000)
    const log = cli.output()
    expect(log).toContain(file)
    expect(log).toContain('sources.2.id')
    expect(log).toContain('sources.2.writeKey')
    expect(log).toContain('bogus')
    expect(await trackStatus(url, keys[0] as string)).toBe(200)
    expect(await trackStatus(url, keys[1] as string)).toBe(200)

    // Fixed, with a third source; SIGHUP reloads it too.
    writeFileSync(file, configYaml(port, join(dir, 'data'), keys))
    await waitForAsync(async () => (await trackStatus(url, keys[2] as string)) === 200, 3_000)
    const reloads = (): number =>
      cli
        .output()
        .split('\n')
        .filter((l) => l.includes('"why":"SIGHUP"')).length
    expect(reloads()).toBe(0)
    cli.child.kill('SIGHUP')
    await waitFor(() => reloads() > 0, 3_000)
    expect(cli.output()).toMatch(/"why":"SIGHUP".*"sources":3.*config reloaded/)
    for (const key of keys) expect(await trackStatus(url, key)).toBe(200)

    // Editors save atomically (write a temp file, rename it over the config). Two such saves in
    // a row are both picked up: the first drops the third source, the second restores it.
    const atomicSave = (text: string): void => {
      const tmp = join(dir, '.tessera.yaml.tmp')
      writeFileSync(tmp, text)
      renameSync(tmp, file)
    }
    atomicSave(configYaml(port, join(dir, 'data'), keys.slice(0, 2)))
    await waitForAsync(async () => (await trackStatus(url, keys[2] as string)) === 401, 8_000)
    atomicSave(configYaml(port, join(dir, 'data'), keys))
    await waitForAsync(async () => (await trackStatus(url, keys[2] as string)) === 200, 8_000)

    cli.child.kill('SIGTERM')
    expect(await cli.exited).toEqual({ code: 0, signal: null })
  })
})

async function waitForAsync(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await sleep(50)
  }
}

describe('the tessera command', () => {
  it('refuses an invalid config at start with exit code 2 and every problem', async () => {
    const dir = tempDir()
    const file = join(dir, 'broken.yaml')
    writeFileSync(
      file,
      [
        'server:',
        '  port: eighty',
        '  colour: blue',
        'sources:',
        '  - id: "bad id!"',
        '    name: ""',
        '    writeKey: short',
        'adminTokens: [tooshort]',
        '',
      ].join('\n'),
    )
    const cli = runCli(['start', '--config', file, '--data-dir', join(dir, 'data')], { cwd: dir })
    expect((await cli.exited).code).toBe(2)
    const out = cli.output()
    expect(out).toContain('Configuration problems')
    for (const path of [
      'server.port',
      'server',
      'sources.0.id',
      'sources.0.name',
      'sources.0.writeKey',
      'adminTokens.0',
    ]) {
      expect(out).toContain(`${file}: ${path}:`)
    }
    expect(out).toContain('colour')
    expect(existsSync(join(dir, 'data', 'tessera.db'))).toBe(false)
  })

  it('refuses a config file that is not YAML with exit code 2', async () => {
    const dir = tempDir()
    const file = join(dir, 'tessera.yaml')
    writeFileSync(file, 'server: [unclosed\n')
    const cli = runCli(['start', '--config', file], { cwd: dir })
    expect((await cli.exited).code).toBe(2)
    expect(cli.output()).toContain(file)
  })

  it('writes a starter config with init that start accepts', async () => {
    const dir = tempDir()
    const file = join(dir, 'tessera.yaml')
    const init = runCli(['init', '--out', file], { cwd: dir })
    expect((await init.exited).code).toBe(0)
    expect(init.output()).toContain(file)
    const again = runCli(['init', '--out', file], { cwd: dir })
    expect((await again.exited).code).toBe(1)

    const config = parseYaml(readFileSync(file, 'utf8')) as {
      adminTokens: string[]
      sources: Array<{ writeKey: string }>
    }
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    const cli = runCli(
      ['start', '--config', file, '--port', String(port), '--data-dir', join(dir, 'data')],
      {
        cwd: dir,
        env: { TESSERA_ADMIN_TOKEN: '' },
      },
    )
    await waitReady(cli, url)
    expect(await trackStatus(url, config.sources[0]?.writeKey ?? '')).toBe(200)
    const sources = await fetch(`${url}/api/v1/sources`, {
      headers: { authorization: `Bearer ${config.adminTokens[0] ?? ''}` },
    })
    expect(sources.status).toBe(200)
    cli.child.kill('SIGTERM')
    expect(await cli.exited).toEqual({ code: 0, signal: null })
  })

  it('sends the demo traffic through analytics-node, finding the source with the admin token', async () => {
    const dataDir = tempDir()
    const server = await startServer(dataDir)
    const demo = runCli(['demo', '--events', '150', '--rate', '1000', '--seed', '3'], {
      cwd: dataDir,
      env: { TESSERA_PORT: String(server.port) },
    })
    expect((await demo.exited).code, demo.output()).toBe(0)
    const expected = generateTraffic({ seed: 3, users: 25, events: 150, endTime: 0 })
    expect(demo.output()).toContain('150 events sent, 0 failed')
    expect(demo.output()).toContain(describeCalls(expected))
    const page = await fetch(`${server.url}/api/v1/events?limit=1000`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    const stored = ((await page.json()) as { data: Array<{ event: Record<string, unknown> }> }).data
    expect(stored).toHaveLength(150)
    const library = stored.map(
      (e) => (e.event.context as { library?: { name?: string } }).library?.name,
    )
    expect(new Set(library)).toEqual(new Set(['@segment/analytics-node']))
    // The same calls the generator makes for this seed, in any order (batches interleave).
    const label = (type: unknown, fields: Record<string, unknown>): string =>
      `${String(type)}:${String(type === 'track' ? fields.event : (fields.name ?? ''))}`
    expect(stored.map((e) => label(e.event.type, e.event)).sort()).toEqual(
      expected.map((c) => label(c.type, c.params as Record<string, unknown>)).sort(),
    )

    const unknownKey = runCli(['demo', '--url', server.url, '--write-key', 'not_a_known_key'], {
      cwd: dataDir,
    })
    expect((await unknownKey.exited).code).toBe(1)
    expect(unknownKey.output()).toContain('does not know this write key')
    server.child.kill('SIGTERM')
    expect((await server.exited).code).toBe(0)
  })

  it('prints usage for --help and refuses unknown commands', async () => {
    const dir = tempDir()
    const help = runCli(['--help'], { cwd: dir })
    expect((await help.exited).code).toBe(0)
    expect(help.output()).toContain('Usage:')
    for (const command of ['tessera start', 'tessera init', 'tessera demo']) {
      expect(help.output()).toContain(command)
    }
    const unknown = runCli(['frobnicate'], { cwd: dir })
    expect((await unknown.exited).code).toBe(2)
    expect(unknown.output()).toContain('Unknown command: frobnicate')
  })
})
