// Tracking-plan enforcement survives kill -9: the built platform runs as a child process with a
// plan in its config file that blocks unplanned events (`tessera start --config`), is killed while batches of planned and unplanned events arrive, and is restarted
// on the same data dir. Every acknowledged event must then be in exactly one of the events
// store and the quarantine. Needs a build (`npm run build`).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../..')
const CLI = join(ROOT, 'packages/server/bin/tessera.js')
const ADMIN_TOKEN = 'plan-durability-admin-token-0123'
const WRITE_KEY = 'plan_durability_key_0001'
const BATCHES = 40
const BATCH = 100

const children = new Set<ChildProcess>()
const dirs: string[] = []
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

afterAll(() => {
  for (const child of children) child.kill('SIGKILL')
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

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

async function start(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort()
  const config = join(dir, 'tessera.yaml')
  const enforcement = {
    unplannedEvents: 'block',
    unplannedProperties: 'omit',
    unplannedIdentifyTraits: 'allow',
    unplannedGroupTraits: 'allow',
    trackViolations: 'allow',
    identifyViolations: 'allow',
    groupViolations: 'allow',
    commonViolations: 'allow',
  }
  const rule = { type: 'TRACK', key: 'Planned', jsonSchema: {} }
  const plan = {
    id: 'tp_kill',
    name: 'Kill',
    rules: [rule],
    sources: [{ id: 'kill-source', enforcement }],
  }
  writeFileSync(
    config,
    [
      `server: { port: ${port}, host: 127.0.0.1, logLevel: warn }`,
      `storage: { dataDir: ${join(dir, 'data')} }`,
      `adminTokens: [${ADMIN_TOKEN}]`,
      'sources:',
      `  - { id: kill-source, name: Kill source, writeKey: ${WRITE_KEY} }`,
      `trackingPlans: ${JSON.stringify([plan])}`,
      '',
    ].join('\n'),
  )
  const child = spawn(process.execPath, [CLI, 'start', '--config', config], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  child.once('exit', () => children.delete(child))
  const url = `http://127.0.0.1:${port}`
  // Generous: a start loads every worker thread's modules, slow on a busy machine.
  const deadline = Date.now() + 40_000
  for (;;) {
    if (Date.now() > deadline) throw new Error('platform was not ready in time')
    try {
      if ((await fetch(`${url}/ready`)).status === 200) return { child, url }
    } catch {
      // not listening yet
    }
    await sleep(50)
  }
}

async function sendBatch(url: string, n: number): Promise<string[] | null> {
  const batch = Array.from({ length: BATCH }, (_, i) => ({
    type: 'track',
    event: i % 2 === 0 ? 'Planned' : 'Unplanned',
    userId: `u-${i}`,
    messageId: `kill-${n}-${i}`,
    properties: { i },
  }))
  try {
    const response = await fetch(`${url}/v1/batch`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`,
      },
      body: JSON.stringify({ batch }),
    })
    return response.status === 200 ? batch.map((e) => e.messageId) : null
  } catch {
    return null
  }
}

async function allIds(
  url: string,
  path: string,
  pick: (row: Record<string, unknown>) => string,
): Promise<string[]> {
  const ids: string[] = []
  let cursor: string | null = null
  do {
    const query: string = cursor === null ? '' : `&cursor=${cursor}`
    const response = await fetch(`${url}${path}?limit=1000${query}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    const body = (await response.json()) as { data: Record<string, unknown>[]; next: string | null }
    ids.push(...body.data.map(pick))
    cursor = body.next
  } while (cursor !== null)
  return ids
}

describe('tracking-plan enforcement across kill -9', () => {
  it('keeps every acknowledged event in exactly one of events and quarantine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-plan-kill-'))
    dirs.push(dir)
    const first = await start(dir)
    const acked: string[] = []
    const sends: Array<Promise<void>> = []
    for (let n = 0; n < BATCHES; n++) {
      sends.push(sendBatch(first.url, n).then((ids) => void (ids && acked.push(...ids))))
      if (n === BATCHES / 2) first.child.kill('SIGKILL')
      await sleep(5)
    }
    await Promise.all(sends)
    const second = await start(dir)
    // A fresh start applies the whole durable log before the first query answers.
    await sleep(500)
    const stored = await allIds(second.url, '/api/v1/events', (r) =>
      String((r.event as { messageId: string }).messageId),
    )
    const quarantined = await allIds(second.url, '/api/v1/quarantine', (r) => String(r.messageId))
    second.child.kill('SIGTERM')
    const storedSet = new Set(stored)
    const quarantinedSet = new Set(quarantined)
    const missing = acked.filter((id) => !storedSet.has(id) && !quarantinedSet.has(id))
    const both = stored.filter((id) => quarantinedSet.has(id))
    const misplaced = acked.filter((id) => {
      const planned = Number(id.split('-')[2]) % 2 === 0
      return planned ? !storedSet.has(id) : !quarantinedSet.has(id)
    })
    expect(acked.length).toBeGreaterThan(0)
    expect(missing).toEqual([])
    expect(both).toEqual([])
    expect(misplaced).toEqual([])
  }, 120_000)
})
