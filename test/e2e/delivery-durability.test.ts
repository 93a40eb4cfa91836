// Delivery survives kill -9: the real `tessera` CLI as a child process delivers to a slow local
// webhook; it is killed while delivery is under way and restarted on the same data dir, and
// every acknowledged event still reaches the receiver (at least once: duplicates are allowed
// and counted, none may be missing). Needs a build (`npm run build`).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startReceiver, type Receiver } from '../support/webhook-receiver.js'

const ROOT = resolve(import.meta.dirname, '../..')
const BIN = join(ROOT, 'packages/server/bin/tessera.js')
const ADMIN_TOKEN = 'delivery-durability-admin-token-0123'
const WRITE_KEY = 'delivery_durability_key_0001'
const EVENTS = 3_000
const BATCH = 100

const children = new Set<ChildProcess>()
const tempDirs: string[] = []
const receivers: Receiver[] = []

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

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

interface Server {
  child: ChildProcess
  url: string
  output: () => string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** `tessera start --config <file> --data-dir <dir>` on a free port; resolves once /ready is 200. */
async function startServer(dir: string, config: string): Promise<Server> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = spawn(
    process.execPath,
    [BIN, 'start', '--config', config, '--data-dir', join(dir, 'data'), '--port', String(port)],
    {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', TESSERA_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  children.add(child)
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  let gone = false
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('exit', (code, signal) => {
      gone = true
      children.delete(child)
      done({ code, signal })
    })
  })
  const deadline = Date.now() + 20_000
  for (;;) {
    if (gone) throw new Error(`tessera exited before it was ready:\n${output}`)
    if (Date.now() > deadline) throw new Error(`tessera was not ready in time:\n${output}`)
    try {
      if ((await fetch(`${url}/ready`)).status === 200) break
    } catch {
      // not listening yet
    }
    await sleep(50)
  }
  return { child, url, output: () => output, exited }
}

/** Sends `count` track events in /v1/batch requests, `senders` at a time; returns the acknowledged ids. */
async function sendAll(url: string, count: number, senders: number): Promise<string[]> {
  const acked: string[] = []
  const auth = `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`
  let next = 0
  const sender = async (): Promise<void> => {
    while (next < count) {
      const start = next
      next += BATCH
      const ids = Array.from(
        { length: Math.min(BATCH, count - start) },
        (_, i) => `kill-${start + i}`,
      )
      const response = await fetch(`${url}/v1/batch`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          batch: ids.map((messageId, i) => ({
            type: 'track',
            event: 'Delivery Durability',
            userId: `user-${i % 13}`,
            messageId,
            properties: { n: start + i },
          })),
        }),
      })
      await response.arrayBuffer()
      expect(response.status).toBe(200)
      acked.push(...ids)
    }
  }
  await Promise.all(Array.from({ length: senders }, sender))
  return acked
}

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL')
  await Promise.all(receivers.map((r) => r.close()))
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
})

describe('delivery across kill -9', () => {
  it('delivers every acknowledged event at least once after a SIGKILL mid-delivery', async () => {
    const receiver = await startReceiver()
    receivers.push(receiver)
    receiver.delayMs = 50
    // Counted as requests come in (the bodies are parsed once).
    const counts = new Map<string, number>()
    let total = 0
    receiver.answer = (request) => {
      const body = JSON.parse(request.body) as { batch: Array<{ messageId: string }> }
      for (const event of body.batch) {
        counts.set(event.messageId, (counts.get(event.messageId) ?? 0) + 1)
        total++
      }
      return { status: 200 }
    }
    const dir = mkdtempSync(join(tmpdir(), 'tessera-delivery-kill-'))
    tempDirs.push(dir)
    const config = join(dir, 'tessera.json')
    writeFileSync(
      config,
      JSON.stringify({
        adminTokens: [ADMIN_TOKEN],
        sources: [{ id: 'kill-source', name: 'Kill source', writeKey: WRITE_KEY }],
        destinations: [
          {
            id: 'slow',
            type: 'webhook',
            settings: { url: receiver.url, batchSize: 20 },
            // Small windows, so the kill lands between many commits.
            delivery: { batchSize: 20, concurrency: 2, batchWaitMs: 0 },
          },
        ],
      }),
    )

    const first = await startServer(dir, config)
    const acked = await sendAll(first.url, EVENTS, 4)
    expect(acked).toHaveLength(EVENTS)
    // Kill while delivery is under way: the receiver has some of the events, not all.
    const deadline = Date.now() + 20_000
    while (counts.size < 300 && Date.now() < deadline) await sleep(5)
    first.child.kill('SIGKILL')
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' })
    const atKill = counts.size
    expect(atKill).toBeGreaterThanOrEqual(300)
    expect(atKill).toBeLessThan(EVENTS)

    const second = await startServer(dir, config)
    await expect
      .poll(() => acked.filter((id) => !counts.has(id)).length, {
        timeout: 40_000,
        interval: 100,
      })
      .toBe(0)
    const duplicates = total - counts.size
    console.log(
      `delivery-durability: ${acked.length} acknowledged, ${atKill} delivered at the kill, ` +
        `${total} received in all, ${duplicates} duplicates`,
    )
    // Nothing but acknowledged events arrived; redelivery is bounded by the windows in flight.
    const ackedSet = new Set(acked)
    expect([...counts.keys()].filter((id) => !ackedSet.has(id))).toEqual([])
    expect(duplicates).toBeLessThan(EVENTS)

    // The restarted lane settles: its cursor reaches the head and it is not backing off.
    await expect
      .poll(
        async () => {
          const response = await fetch(`${second.url}/api/v1/destinations/slow`, {
            headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
          })
          const body = (await response.json()) as { status: { lag: number | null } }
          return body.status.lag
        },
        { timeout: 15_000, interval: 100 },
      )
      .toBe(0)
    second.child.kill('SIGTERM')
    await second.exited
  })
})
