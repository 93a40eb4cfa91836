/**
 * Identity resolution end to end on the real adapters: generated scenarios (several devices,
 * shared devices, changed emails, blocked values, limits, accounts) stored in a shuffled
 * arrival order with late events, resolved on SQLite by one consumer and on PostgreSQL by two
 * workers on separate connection pools racing over the same events. Every run must give the
 * graph that resolving in event-time order, one event at a time, gives: same profile ids,
 * identifiers, traits and counts, no duplicate profile, no lost identifier.
 */
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LogEntry } from '../../events/index.js'
import {
  compileIdentityRules,
  identityConfigSchema,
  resolveBatch,
  type Collection,
  type IdentityStore,
  type ProfileQuery,
} from '../../identity/index.js'
import { shuffledOrder } from '../../identity/correctness/arrival-orders.js'
import {
  generateScenarios,
  SCENARIO_CONFIG,
} from '../../identity/correctness/generate-scenarios.js'
import type { ScenarioEvent } from '../../identity/correctness/story.js'
import { createSeededRandom } from '../../identity/correctness/seeded-random.js'
import { ManualClock } from '../../platform/clock.js'
import { openSqliteStorage } from '../sqlite/open-sqlite-storage.js'
import type { Storage } from '../storage.js'
import { openPostgresStorage } from './open-postgres-storage.js'
import { PostgresIdentityStore } from './postgres-identity-store.js'

const DATABASE_URL =
  process.env.TESSERA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const rules = compileIdentityRules(identityConfigSchema.parse(SCENARIO_CONFIG))
const scenarios = generateScenarios({ seed: 20261201, scenarios: 45 })
const clock = new ManualClock()
const run = promisify(execFile)
const RESOLVER_PROCESS = new URL(
  '../../../../../test/support/resolve-identity-process.mjs',
  import.meta.url,
).pathname

function entries(order: readonly ScenarioEvent[]): LogEntry[] {
  return order.map((e, i) => {
    const p = e.payload
    const type = String(p.type) as 'track'
    return {
      kind: 'event',
      offset: i + 1,
      record: {
        messageId: e.messageId,
        sourceId: e.sourceId,
        type,
        name: typeof p.event === 'string' ? p.event : typeof p.name === 'string' ? p.name : null,
        userId: typeof p.userId === 'string' ? p.userId : null,
        anonymousId: typeof p.anonymousId === 'string' ? p.anonymousId : null,
        receivedAt: e.receivedAt,
        timestamp: e.timestamp,
        payload: JSON.stringify(p),
      },
    }
  })
}

/** Resolves every stored event with batches of the sizes `sizes()` gives. */
async function resolveAll(
  store: IdentityStore,
  sizes: () => number,
): Promise<{ rebuilds: number; resolved: number }> {
  let offset = await store.transact((tx) => tx.offset('identity'))
  let rebuilds = 0
  let resolved = 0
  for (;;) {
    const events = await store.readEvents(offset, sizes())
    if (events.length === 0) return { rebuilds, resolved }
    const result = await resolveBatch({ store, rules, consumer: 'identity', events, clock })
    offset = result.offset
    rebuilds += result.rebuilds
    resolved += result.events
  }
}

/** The graph as the read side sees it, in a canonical form. */
async function dump(query: ProfileQuery): Promise<unknown> {
  const out: Record<string, unknown> = {}
  for (const collection of ['users', 'accounts'] as Collection[]) {
    const profiles: Record<string, unknown> = {}
    let cursor: string | undefined
    do {
      const page = await query.search(
        { q: '', collection },
        { limit: 200, ...(cursor === undefined ? {} : { cursor }) },
      )
      for (const p of page.data) {
        const ids = await query.identifiers(p.id, { limit: 1000 })
        const traits = Object.fromEntries(
          Object.entries(p.traits)
            .filter(([, t]) => t.value !== null)
            .map(([k, t]) => [k, t.value]),
        )
        profiles[p.id] = {
          identifiers: ids.data.map((i) => `${i.type}:${i.value}`).sort(),
          traits,
          counts: p.counts,
          firstSeen: p.firstSeen,
          lastSeen: p.lastSeen,
        }
      }
      cursor = page.next ?? undefined
    } while (cursor !== undefined)
    out[collection] = profiles
  }
  return out
}

const dirs: string[] = []
function sqlite(): Storage {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-identity-'))
  dirs.push(dir)
  return openSqliteStorage({ dataDir: dir })
}

let reference: unknown
let admin: pg.Pool
const schemas: string[] = []

beforeAll(async () => {
  admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2 })
  // The reference: event-time order, one event per batch, on SQLite.
  const storage = sqlite()
  await storage.eventStore.apply('store', entries(scenarios))
  await resolveAll(storage.identityStore, () => 1)
  reference = await dump(storage.profileQuery)
  await storage.close()
})

afterAll(async () => {
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  await admin.end()
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describe('identity resolution on the real stores', () => {
  it('has a non-trivial reference: merges, several profiles and accounts', () => {
    const users = Object.values((reference as { users: Record<string, unknown> }).users)
    const accounts = Object.keys((reference as { accounts: Record<string, unknown> }).accounts)
    expect(users.length).toBeGreaterThan(20)
    expect(accounts.length).toBeGreaterThan(0)
    const multi = users.filter((u) => (u as { identifiers: string[] }).identifiers.length > 2)
    expect(multi.length).toBeGreaterThan(10)
  })

  it('SQLite: shuffled arrival, late events and random batches give the reference graph', async () => {
    const random = createSeededRandom(5)
    for (const seed of [1, 2]) {
      const storage = sqlite()
      const order = shuffledOrder(scenarios, createSeededRandom(seed))
      await storage.eventStore.apply('store', entries(order))
      const run = await resolveAll(storage.identityStore, () => random.int(1, 300))
      expect(run.rebuilds).toBeGreaterThan(0)
      expect(await dump(storage.profileQuery)).toEqual(reference)
      await storage.close()
    }
  })

  it('PostgreSQL: two workers racing over shuffled events give the reference graph', async () => {
    const schema = `identity_race_${randomBytes(4).toString('hex')}`
    schemas.push(schema)
    const storage = await openPostgresStorage({ url: DATABASE_URL, schema })
    const second = new pg.Pool({
      connectionString: DATABASE_URL,
      options: `-c search_path=${schema}`,
      max: 2,
    })
    second.on('error', () => undefined)
    try {
      const order = shuffledOrder(scenarios, createSeededRandom(9))
      await storage.eventStore.apply('store', entries(order))
      const workerA = storage.identityStore
      const workerB = new PostgresIdentityStore(second)
      const randomA = createSeededRandom(11)
      const randomB = createSeededRandom(12)
      const [a, b] = await Promise.all([
        resolveAll(workerA, () => randomA.int(1, 120)),
        resolveAll(workerB, () => randomB.int(1, 120)),
      ])
      // Both workers did part of the work, and no event was resolved twice.
      expect(a.resolved).toBeGreaterThan(0)
      expect(b.resolved).toBeGreaterThan(0)
      // Both may have stopped early while the other held the lock; finish what is left.
      const rest = await resolveAll(workerA, () => 500)
      expect(a.resolved + b.resolved + rest.resolved).toBe(scenarios.length)
      expect(await dump(storage.profileQuery)).toEqual(reference)
      const ids = await storage.profileQuery.totals()
      const refIds = Object.values((reference as { users: Record<string, unknown> }).users)
      expect(ids.users).toBe(refIds.length)
    } finally {
      await second.end()
      await storage.close()
    }
  })

  it('PostgreSQL: two worker processes resolving concurrently give the reference graph', async () => {
    const schema = `identity_procs_${randomBytes(4).toString('hex')}`
    schemas.push(schema)
    const storage = await openPostgresStorage({ url: DATABASE_URL, schema })
    try {
      const order = shuffledOrder(scenarios, createSeededRandom(21))
      await storage.eventStore.apply('store', entries(order))
      // Both start at the same moment, once loaded and connected.
      const startAt = Date.now() + 1500
      const args = (seed: number) => [
        RESOLVER_PROCESS,
        DATABASE_URL,
        schema,
        JSON.stringify(SCENARIO_CONFIG),
        String(seed),
        String(startAt),
      ]
      const outputs = await Promise.all([
        run(process.execPath, args(1)),
        run(process.execPath, args(2)),
      ])
      const counts = outputs.map((o) => (JSON.parse(o.stdout) as { resolved: number }).resolved)
      // Both processes resolved part of the events, and none was resolved twice.
      expect(counts.every((n) => n > 0)).toBe(true)
      expect(counts[0]! + counts[1]!).toBe(scenarios.length)
      expect(await dump(storage.profileQuery)).toEqual(reference)
    } finally {
      await storage.close()
    }
  })
})
