// The platform side of `npm run bench:identity`: start Tessera over a seeded store and measure
// HTTP ingest, the Profile API and the delay from a 200 to the event being on its profile.
import { execFile } from 'node:child_process'
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import { seededRandom } from './identity-workload.mjs'
import { pipelineLag, quantile, startTessera, yieldedSince } from './process.mjs'

const WRITE_KEY = 'bench_identity_write_key_01'
const PROFILE_TOKEN = 'bench-profile-token-0000000001'
const SPACE = 'bench'
const DURATION = Number(process.env.BENCH_DURATION ?? 10)

/** Starts `tessera start` with a bench source and Profile API token over `storage` (YAML). */
export async function startPlatform({ dir, storage }) {
  return startTessera(dir, [
    'server: { port: 0, logLevel: warn }',
    `storage: ${storage}`,
    'adminTokens: [bench-admin-token-000000000001]',
    `profileApi: { spaceId: ${SPACE}, tokens: [${PROFILE_TOKEN}] }`,
    'sources:',
    `  - { id: bench, name: Bench, writeKey: ${WRITE_KEY} }`,
  ])
}

const auth = `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`
const tag = Date.now().toString(36)
let seq = 0

function track(userId) {
  seq++
  return `{"type":"track","messageId":"${tag}-${seq}","userId":"${userId}","event":"Product Viewed","properties":{"sku":"sku-${seq % 700}","price":119.99},"timestamp":"${new Date().toISOString()}"}`
}

/** HTTP ingest baseline: /v1/batch with 100 events a request, 50 connections. */
export async function measureIngest(platform) {
  const result = await autocannon({
    url: platform.url,
    connections: 50,
    duration: Math.min(DURATION, 5),
    requests: [
      {
        method: 'POST',
        path: '/v1/batch',
        headers: { authorization: auth, 'content-type': 'application/json' },
        setupRequest: (req) => {
          const events = []
          for (let i = 0; i < 100; i++) events.push(track(`ingest-${seq % 5000}`))
          return { ...req, body: `{"batch":[${events.join(',')}]}` }
        },
      },
    ],
  })
  return { eventsPerSecond: Math.round(result.requests.average * 100), non2xx: result.non2xx }
}

/**
 * Waits until every log consumer has caught up (lag 0 in /metrics), up to 5 minutes: the store
 * and identity, and the followers (field inventory, quality counters, routing) that the seed
 * did not feed, so a phase never measures beside another consumer's backlog.
 */
export async function settle(platform) {
  const deadline = Date.now() + 300_000
  while ((await pipelineLag(platform.url, null)) > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200))
  }
}

/**
 * Profile API `/traits` of random seeded people at 500 requests/s, two ways after a 10 s
 * warm-up (JIT, page cache):
 * - `paced` (the figure): one request every 2 ms on up to 10 keep-alive connections, each
 *   latency counted from the moment the schedule says the request is due, so a stalled server
 *   is charged for the requests it held up (no coordinated omission). The generator runs in a
 *   child process of its own (`paced-get.mjs`), so that this process's heap (the seeded run's
 *   garbage) does not add its collections to the latencies;
 * - `bursts`: autocannon at the same overall rate on 10 connections, whose per-connection
 *   timers fire together, so requests arrive ten at a time every 20 ms and the last of each
 *   burst waits for the nine before it: a measure of the generator's bursts as much as of the
 *   server, kept for comparison with earlier runs.
 */
export async function measureProfileApi(platform, people) {
  const random = seededRandom(7)
  const basic = `Basic ${Buffer.from(`${PROFILE_TOKEN}:`).toString('base64')}`
  const paths = (count) => Array.from({ length: count }, () => path(random, people))
  await pacedInChild(platform.url, basic, paths(10 * 500))
  const measured = await pacedInChild(platform.url, basic, paths(DURATION * 500))
  const bursts = await autocannon({
    url: platform.url,
    connections: 10,
    overallRate: 500,
    duration: DURATION,
    headers: { authorization: basic },
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: path(random, people) }) }],
  })
  return {
    ...measured,
    bursts: {
      requests: bursts.requests.total,
      p50Ms: bursts.latency.p50,
      p99Ms: bursts.latency.p99,
      non2xx: bursts.non2xx,
    },
  }
}

/** Runs `paced-get.mjs` on `paths` (one every 2 ms) in a child process; resolves with its figures. */
function pacedInChild(url, authorization, paths) {
  const script = new URL('./paced-get.mjs', import.meta.url).pathname
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [script, url],
      { maxBuffer: 1024 * 1024 },
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))),
    )
    child.stdin.end(JSON.stringify({ authorization, paths }))
  })
}

const path = (random, people) =>
  `/v1/spaces/${SPACE}/collections/users/profiles/user_id:user-${Math.floor(random() * people)}/traits`

/**
 * 2,000 events/s (a batch every 10 ms, sized to keep the schedule) for known people; each event's delay is from its 200 to its
 * row in `profile_events` (written in the same transaction as the profile), polled every 5 ms.
 */
export async function measureRealtime(platform, dbFile, people) {
  const db = new Database(dbFile, { readonly: true })
  const next = db.prepare('SELECT seq, message_id FROM profile_events WHERE seq > ? ORDER BY seq')
  let after = db.prepare('SELECT COALESCE(MAX(seq), 0) FROM profile_events').pluck().get()
  const acked = new Map()
  // Rows that showed up before their response was read (a delay of zero).
  const seenFirst = new Map()
  const delays = []
  let sent = 0
  const random = seededRandom(11)
  // Whether the pipeline yielded to the request path meanwhile (ADR 0010): it should not at
  // this rate, and a delay measured while it did would say so.
  const yielded = await yieldedSince(platform.url)
  const poller = setInterval(() => {
    for (const row of next.all(after)) {
      after = row.seq
      const at = acked.get(row.message_id)
      if (at !== undefined) {
        delays.push(performance.now() - at)
        acked.delete(row.message_id)
      } else {
        seenFirst.set(row.message_id, performance.now())
      }
    }
  }, 5)
  const seconds = Math.min(DURATION, 10)
  const started = performance.now()
  const inflight = []
  while (performance.now() - started < seconds * 1000) {
    // Catch up with the schedule (2 events per ms), so timer drift does not lower the rate.
    const due = Math.min(200, Math.round((performance.now() - started) * 2) - sent)
    const events = []
    for (let i = 0; i < Math.max(due, 1); i++) {
      events.push(track(`user-${Math.floor(random() * people)}`))
    }
    const ids = events.map((e) => /"messageId":"([^"]+)"/.exec(e)[1])
    sent += events.length
    inflight.push(
      fetch(`${platform.url}/v1/batch`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: `{"batch":[${events.join(',')}]}`,
      }).then(async (res) => {
        await res.arrayBuffer()
        const at = performance.now()
        if (!res.ok) return
        for (const id of ids) {
          if (seenFirst.delete(id)) delays.push(0)
          else acked.set(id, at)
        }
      }),
    )
    await new Promise((r) => setTimeout(r, 10))
  }
  await Promise.all(inflight)
  const deadline = performance.now() + 10_000
  while (acked.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  clearInterval(poller)
  db.close()
  const pipelineYieldedSeconds = await yielded()
  delays.sort((a, b) => a - b)
  const q = (f) => Math.round(quantile(delays, f))
  return {
    events: sent,
    seen: delays.length,
    ratePerSecond: Math.round(sent / seconds),
    p50Ms: q(0.5),
    p99Ms: q(0.99),
    maxMs: Math.round(delays.at(-1) ?? NaN),
    missing: acked.size,
    pipelineYieldedSeconds,
  }
}
