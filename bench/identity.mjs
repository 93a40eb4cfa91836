// npm run bench:identity — identity resolution and profile update throughput with a large graph,
// Profile API latency, and event-to-profile delay, beside ingest baselines from the same run.
//
// Embedded store: seeds BENCH_IDENTIFIERS identifiers (default 1,000,000: people with an
// anonymous id, a user id and an email) through the real resolver, then measures the resolver on
// a realistic mix (bench/identity-workload.mjs). Baselines measured in the same run: the
// pipeline's `store` step on the same events, and HTTP ingest (/v1/batch x100) on the platform.
// Then, on the platform started over the seeded store: Profile API p50/p99 at 500 req/s, and
// the delay from a 200 to the event being on its profile at 2,000 events/s.
// PostgreSQL (BENCH_PG_IDENTIFIERS, default 200,000; BENCH_PG=0 skips): the resolver and the
// Profile API the same way.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  compileIdentityRules,
  DEFAULT_IDENTITY_CONFIG,
  resolveBatch,
} from '../packages/server/dist/identity/index.js'
import { openSqliteStorage } from '../packages/server/dist/infra/sqlite/open-sqlite-storage.js'
import { openPostgresStorage } from '../packages/server/dist/infra/postgres/open-postgres-storage.js'
import { systemClock } from '../packages/server/dist/platform/clock.js'
import { entry, mixedEvent, seedEvent, seededRandom } from './identity-workload.mjs'
import {
  measureIngest,
  measureProfileApi,
  measureRealtime,
  settle,
  startPlatform,
} from './identity-platform.mjs'

const IDENTIFIERS = Number(process.env.BENCH_IDENTIFIERS ?? 1_000_000)
const PG_IDENTIFIERS = Number(process.env.BENCH_PG_IDENTIFIERS ?? 200_000)
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000)
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const RUN_PG = process.env.BENCH_PG !== '0'
const BATCH = 2000
const CONSUMER = 'identity'
const runId = Date.now().toString(36)
const rules = compileIdentityRules(DEFAULT_IDENTITY_CONFIG)

/** Applies events to the store step, then resolves them; returns the time spent in each. */
async function pump(storage, events, state) {
  let storeMs = 0
  let identityMs = 0
  let rebuilds = 0
  for (let i = 0; i < events.length; i += BATCH) {
    const chunk = events.slice(i, i + BATCH).map((e) => entry(++state.offset, e))
    let t = performance.now()
    await storage.eventStore.apply('store', chunk)
    storeMs += performance.now() - t
    const stored = await storage.identityStore.readEvents(state.resolved, BATCH)
    t = performance.now()
    const result = await resolveBatch({
      store: storage.identityStore,
      rules,
      consumer: CONSUMER,
      events: stored,
      clock: systemClock,
    })
    identityMs += performance.now() - t
    rebuilds += result.rebuilds
    state.resolved = result.offset
  }
  return { storeMs, identityMs, rebuilds }
}

async function resolverRun(storage, identifiers, events) {
  const people = Math.ceil(identifiers / 3)
  const state = { offset: 0, resolved: 0 }
  const seed = []
  const seedStats = { storeMs: 0, identityMs: 0 }
  for (let p = 0; p < people; p++) {
    seed.push(seedEvent(p, runId))
    if (seed.length === 20 * BATCH || p === people - 1) {
      const s = await pump(storage, seed.splice(0), state)
      seedStats.storeMs += s.storeMs
      seedStats.identityMs += s.identityMs
    }
  }
  const random = seededRandom(42)
  const mixed = Array.from({ length: events }, (_, i) => mixedEvent(i, people, runId, random))
  const m = await pump(storage, mixed, state)
  const totals = await storage.profileQuery.totals()
  return {
    graph: totals,
    seed: {
      events: people,
      identityEventsPerSecond: Math.round(people / (seedStats.identityMs / 1000)),
    },
    mixed: {
      events,
      rebuilds: m.rebuilds,
      identityEventsPerSecond: Math.round(events / (m.identityMs / 1000)),
      storeStepEventsPerSecond: Math.round(events / (m.storeMs / 1000)),
    },
    people,
  }
}

async function timed(run) {
  const started = performance.now()
  await run()
  return Math.round((performance.now() - started) / 100) / 10
}

async function embedded() {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-identity-'))
  const dataDir = join(dir, 'store')
  try {
    const storage = openSqliteStorage({ dataDir })
    console.error(`embedded: seeding ${IDENTIFIERS} identifiers…`)
    const resolver = await resolverRun(storage, IDENTIFIERS, EVENTS)
    await storage.close()
    console.error('embedded: platform over the seeded store…')
    const platform = await startPlatform({ dir, storage: `{ dataDir: ${dataDir} }` })
    try {
      // The seed is resolved, but consumers the seed did not feed (field inventory, quality
      // counters, routing) start with its whole backlog: wait for them, so the delay and
      // latency phases run on a quiet pipeline. The ingest baseline runs last, since its
      // backlog keeps the pipeline busy long after.
      const settledSeconds = await timed(() => settle(platform))
      const realtime = await measureRealtime(
        platform,
        join(dataDir, 'identity.db'),
        resolver.people,
      )
      await settle(platform)
      const profileApi = await measureProfileApi(platform, resolver.people)
      const ingest = await measureIngest(platform)
      return { resolver, settledSeconds, ingest, profileApi, realtime }
    } finally {
      await platform.stop()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function postgres() {
  const schema = `bench_identity_${runId}`
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-identity-pg-'))
  const storage = await openPostgresStorage({ url: PG_URL, schema })
  try {
    console.error(`postgres: seeding ${PG_IDENTIFIERS} identifiers…`)
    const resolver = await resolverRun(storage, PG_IDENTIFIERS, Math.min(EVENTS, 50_000))
    const platform = await startPlatform({
      dir,
      storage: `{ databaseUrl: '${PG_URL}', databaseSchema: ${schema} }`,
    })
    try {
      await settle(platform)
      const profileApi = await measureProfileApi(platform, resolver.people)
      return { resolver, profileApi }
    } finally {
      await platform.stop()
    }
  } finally {
    await storage.close()
    const { default: pg } = await import('pg')
    const client = new pg.Client(PG_URL)
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await client.end()
    rmSync(dir, { recursive: true, force: true })
  }
}

const result = { embedded: await embedded(), postgres: RUN_PG ? await postgres() : null }
const e = result.embedded
result.targets = {
  'resolver >= 30,000 events/s (embedded, 1M identifiers)':
    e.resolver.mixed.identityEventsPerSecond >= 30_000,
  'Profile API p99 <= 10 ms at 500 req/s (paced)':
    e.profileApi.p99Ms <= 10 && e.profileApi.non2xx === 0 && e.profileApi.errors === 0,
  'event on its profile within 1 s (p99) at 2,000 events/s': e.realtime.p99Ms <= 1000,
}
console.log(JSON.stringify(result, null, 2))
console.log('\n| embedded | figure | baseline (same run) |\n|---|---|---|')
console.log(
  `| resolution + profile update, mixed | ${e.resolver.mixed.identityEventsPerSecond} events/s | store step ${e.resolver.mixed.storeStepEventsPerSecond} events/s; HTTP ingest ${e.ingest.eventsPerSecond} events/s |`,
)
console.log(
  `| ratio to baselines | | ${(e.resolver.mixed.identityEventsPerSecond / e.resolver.mixed.storeStepEventsPerSecond).toFixed(2)}x store step; ${(e.resolver.mixed.identityEventsPerSecond / e.ingest.eventsPerSecond).toFixed(2)}x HTTP ingest |`,
)
console.log(
  `| Profile API /traits at 500 req/s, paced | p50 ${e.profileApi.p50Ms} ms, p99 ${e.profileApi.p99Ms} ms | ${e.profileApi.requests} requests, ${e.profileApi.non2xx} non-2xx; generator sent p99 ${e.profileApi.generatorLateP99Ms} ms late |`,
)
console.log(
  `| Profile API /traits at 500 req/s, autocannon bursts of 10 | p50 ${e.profileApi.bursts.p50Ms} ms, p99 ${e.profileApi.bursts.p99Ms} ms | ${e.profileApi.bursts.requests} requests |`,
)
console.log(
  `| 200 → on profile at 2,000 events/s | p50 ${e.realtime.p50Ms} ms, p99 ${e.realtime.p99Ms} ms | ${e.realtime.events} events; pipeline yielded ${e.realtime.pipelineYieldedSeconds} s |`,
)
if (result.postgres) {
  const p = result.postgres
  console.log(
    `| PostgreSQL resolution (${p.resolver.graph.identifiers} identifiers) | ${p.resolver.mixed.identityEventsPerSecond} events/s | store step ${p.resolver.mixed.storeStepEventsPerSecond} events/s |`,
  )
  console.log(
    `| PostgreSQL Profile API at 500 req/s | p50 ${p.profileApi.p50Ms} ms, p99 ${p.profileApi.p99Ms} ms | |`,
  )
}
