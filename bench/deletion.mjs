// npm run bench:deletion — deleting a person with BENCH_TARGET_EVENTS events (default 100,000)
// on the embedded store, beside the deletion of a person with 1,000 events and the time the
// same store took to take in the person's events, all measured in the same run.
//
// Seeding writes real rows through the real store and identity code (EventStore.apply, then
// resolveBatch in batches of 2,000, as the pipeline does): the target person (one userId, three
// anonymous ids, an email) interleaved with BENCH_OTHER_EVENTS events (default 400,000) of
// BENCH_OTHER_PEOPLE other people (default 40,000), plus a small person with 1,000 events.
// Then a platform is started over the store (in this process; its workers run from dist) and
// `POST /api/v1/regulations {DELETE_INTERNAL}` is timed to FINISHED (status polled every
// 20 ms) for the small person, then the target. Checks afterwards that no row of the target
// remains in events or profile_events and that the others' events are all there.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { configSchema } from '../packages/server/dist/app/config.js'
import { startPlatform } from '../packages/server/dist/app/create-platform.js'
import {
  compileIdentityRules,
  DEFAULT_IDENTITY_CONFIG,
  resolveBatch,
} from '../packages/server/dist/identity/index.js'
import { openSqliteStorage } from '../packages/server/dist/infra/sqlite/open-sqlite-storage.js'
import { createLogger } from '../packages/server/dist/platform/logger/index.js'
import { systemClock } from '../packages/server/dist/platform/clock.js'
import { entry } from './identity-workload.mjs'

const TARGET_EVENTS = Number(process.env.BENCH_TARGET_EVENTS ?? 100_000)
const OTHER_EVENTS = Number(process.env.BENCH_OTHER_EVENTS ?? 400_000)
const OTHER_PEOPLE = Number(process.env.BENCH_OTHER_PEOPLE ?? 40_000)
const SMALL_EVENTS = 1000
const STORE_BATCH = 10_000
const IDENTITY_BATCH = 2000
const TARGET_SECONDS = 10
const ADMIN_TOKEN = 'bench-admin-token-0123456789'
const T0 = Date.parse('2026-01-01T00:00:00Z')
const rules = compileIdentityRules(DEFAULT_IDENTITY_CONFIG)

/** Event `i` of the person `who` (a track, or an identify every 50th). */
function eventOf(who, i, seq) {
  const base = {
    messageId: `${who.key}-${i}`,
    userId: who.userId,
    anonymousId: who.anonymousIds[i % who.anonymousIds.length],
    context: { library: { name: 'analytics.js', version: 'next-1.84.3' }, ip: '10.0.0.1' },
    timestamp: new Date(T0 + seq).toISOString(),
  }
  if (i % 50 === 0) return { ...base, type: 'identify', traits: { email: who.email, n: i } }
  return { ...base, type: 'track', event: 'Product Viewed', properties: { sku: `sku-${i % 97}` } }
}

const personOf = (key) => ({
  key,
  userId: `${key}-user`,
  anonymousIds: [`${key}-anon-1`, `${key}-anon-2`, `${key}-anon-3`],
  email: `${key}@example.com`,
})

/** Every event of the run in arrival order: the target, small and others interleaved. */
function* workload() {
  const target = personOf('target')
  const small = personOf('small')
  const total = TARGET_EVENTS + OTHER_EVENTS + SMALL_EVENTS
  let t = 0
  let s = 0
  let o = 0
  for (let seq = 0; seq < total; seq++) {
    // Spread each stream evenly over the whole sequence.
    if (t < TARGET_EVENTS && t * total <= seq * TARGET_EVENTS) yield eventOf(target, t++, seq)
    else if (s < SMALL_EVENTS && s * total <= seq * SMALL_EVENTS) yield eventOf(small, s++, seq)
    else if (o < OTHER_EVENTS) {
      const p = o % OTHER_PEOPLE
      yield eventOf(personOf(`other${p}`), Math.floor(o / OTHER_PEOPLE), seq)
      o++
    } else if (t < TARGET_EVENTS) yield eventOf(target, t++, seq)
    else if (s < SMALL_EVENTS) yield eventOf(small, s++, seq)
  }
}

async function seed(dataDir) {
  const storage = openSqliteStorage({ dataDir })
  let offset = 0
  let resolved = 0
  let storeMs = 0
  let identityMs = 0
  const flush = async (events) => {
    const entries = events.map((e) => entry(++offset, e))
    let t = performance.now()
    await storage.eventStore.apply('store', entries)
    storeMs += performance.now() - t
    t = performance.now()
    for (;;) {
      const stored = await storage.identityStore.readEvents(resolved, IDENTITY_BATCH)
      if (stored.length === 0) break
      const result = await resolveBatch({
        store: storage.identityStore,
        rules,
        consumer: 'identity',
        events: stored,
        clock: systemClock,
      })
      resolved = result.offset
    }
    identityMs += performance.now() - t
  }
  let pending = []
  for (const event of workload()) {
    pending.push(event)
    if (pending.length === STORE_BATCH) {
      await flush(pending)
      pending = []
      if (offset % 100_000 === 0) console.error(`seeded ${offset} events`)
    }
  }
  if (pending.length > 0) await flush(pending)
  storage.checkpointIdentity()
  await storage.close()
  return { events: offset, storeMs, identityMs }
}

async function api(url, method, path, body) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  const json = await res.json()
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`)
  return json
}

/** Times a DELETE_INTERNAL from the POST to FINISHED; returns ms and the report. */
async function timeDeletion(url, userId) {
  const t = performance.now()
  const created = await api(url, 'POST', '/api/v1/regulations', {
    regulationType: 'DELETE_INTERNAL',
    subjectType: 'USER_ID',
    subjectIds: [userId],
  })
  const id = created.data.regulateId
  for (;;) {
    const { data } = await api(url, 'GET', `/api/v1/regulations/${id}`)
    if (!['INITIALIZED', 'RUNNING'].includes(data.regulation.overallStatus)) {
      const ms = performance.now() - t
      const report = (await api(url, 'GET', `/api/v1/regulations/${id}/report`)).data
      return { ms, status: data.regulation.overallStatus, report }
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

function leftovers(dataDir) {
  const db = new Database(join(dataDir, 'tessera.db'), { readonly: true })
  db.prepare('ATTACH DATABASE ? AS identity').run(join(dataDir, 'identity.db'))
  try {
    const count = (q, ...p) =>
      db
        .prepare(q)
        .pluck()
        .get(...p)
    return {
      targetEvents: count("SELECT count(*) FROM events WHERE message_id LIKE 'target-%'"),
      targetProfileEvents: count(
        "SELECT count(*) FROM identity.profile_events WHERE message_id LIKE 'target-%'",
      ),
      otherEvents: count("SELECT count(*) FROM events WHERE message_id LIKE 'other%'"),
    }
  } finally {
    db.close()
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-deletion-'))
  const dataDir = join(dir, 'store')
  try {
    console.error(
      `seeding: target ${TARGET_EVENTS}, small ${SMALL_EVENTS}, others ${OTHER_EVENTS} events…`,
    )
    const seeded = await seed(dataDir)
    const config = configSchema.parse({
      server: { port: 0, host: '127.0.0.1', logLevel: 'silent' },
      storage: { dataDir },
      adminTokens: [ADMIN_TOKEN],
    })
    const platform = await startPlatform({
      config,
      logger: createLogger({ level: 'silent' }),
      createDefaultSource: false,
    })
    let small
    let target
    try {
      small = await timeDeletion(platform.url, 'small-user')
      if (process.env.BENCH_SKIP_TARGET === '1') return
      target = await timeDeletion(platform.url, 'target-user')
    } finally {
      await platform.stop()
    }
    const left = leftovers(dataDir)
    // Baseline: the time the store and identity steps took per event while seeding, applied to
    // the target's events (how long taking them in cost on this machine in this run).
    const perEventMs = (seeded.storeMs + seeded.identityMs) / seeded.events
    const ingestTargetMs = perEventMs * TARGET_EVENTS
    const result = {
      seeded: {
        events: seeded.events,
        storeEventsPerSecond: Math.round(seeded.events / (seeded.storeMs / 1000)),
        identityEventsPerSecond: Math.round(seeded.events / (seeded.identityMs / 1000)),
      },
      small: {
        events: SMALL_EVENTS,
        ms: Math.round(small.ms),
        queuedMs: small.report.queuedMs,
        status: small.status,
      },
      target: {
        events: TARGET_EVENTS,
        ms: Math.round(target.ms),
        status: target.status,
        queuedMs: target.report.queuedMs,
        reportedMs: target.report.durationMs,
        removed: target.report.totals,
        steps: target.report.steps.map((s) => ({ name: s.name, ms: s.durationMs })),
      },
      ratios: {
        targetOverSmall: Number((target.ms / small.ms).toFixed(2)),
        targetOverIngestOfItsEvents: Number((target.ms / ingestTargetMs).toFixed(3)),
      },
      leftovers: left,
      targetMet: target.status === 'FINISHED' && target.ms <= TARGET_SECONDS * 1000,
    }
    console.log(JSON.stringify(result, null, 2))
    if (left.targetEvents !== 0 || left.targetProfileEvents !== 0) process.exitCode = 1
    if (left.otherEvents !== OTHER_EVENTS) process.exitCode = 1
  } finally {
    if (process.env.BENCH_KEEP === '1') console.error(`kept ${dir}`)
    else rmSync(dir, { recursive: true, force: true })
  }
}

await main()
