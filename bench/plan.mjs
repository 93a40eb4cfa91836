// npm run bench:plan — ingest throughput with a 50-rule tracking plan enforced on the source,
// against the same platform without a plan, in one run (the figure: with ≥ 0.85 × without).
// Two platforms run side by side on fresh stores: `none` (no plan) and `plan` (a 50-rule plan
// on the source: unplanned events blocked, unplanned properties omitted, violations flagged,
// plus a common schema). Rounds alternate none/plan; each round is a fixed-length autocannon
// run of /v1/batch requests (100 events; BENCH_SINGLE=1: /v1/track, one event), after which
// the load stops and the store step's drain of that round's backlog is timed (events/s). The
// traffic spreads over all 50 planned events, with 1 in 20 events violating its rule and 1 in
// 50 carrying an unplanned property. Medians are reported.
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { pipelineLag, startTessera } from './process.mjs'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const DURATION = Number(process.env.BENCH_DURATION ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)
const SINGLE = process.env.BENCH_SINGLE === '1'
const RULES = 50
const WRITE_KEY = 'bench_plan_write_key_0001'
const ADMIN = 'bench-admin-token-000000000001'

const eventName = (i) => `Bench Event ${String(i).padStart(2, '0')}`

function plan() {
  const rules = []
  for (let i = 0; i < RULES - 1; i++) {
    rules.push({
      type: 'TRACK',
      key: eventName(i),
      jsonSchema: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: {
          properties: {
            type: 'object',
            properties: {
              product_id: { type: 'string', pattern: '^sku-[0-9]+$' },
              price: { type: 'number', minimum: 0 },
              currency: { enum: ['USD', 'EUR', 'GBP'] },
              quantity: { type: 'integer', minimum: 1 },
              category: { type: 'string' },
            },
            required: ['product_id', 'price'],
          },
        },
        required: ['properties'],
      },
    })
  }
  rules.push({
    type: 'COMMON',
    jsonSchema: {
      type: 'object',
      properties: {
        context: { type: 'object', properties: { locale: { type: 'string' } } },
      },
    },
  })
  return {
    id: 'tp_bench',
    name: 'Bench plan',
    rules,
    sources: [
      {
        id: 'bench',
        enforcement: {
          unplannedEvents: 'block',
          unplannedProperties: 'omit',
          unplannedIdentifyTraits: 'allow',
          unplannedGroupTraits: 'allow',
          trackViolations: 'allow',
          identifyViolations: 'allow',
          groupViolations: 'allow',
          commonViolations: 'allow',
        },
      },
    ],
  }
}

const configLines = (dir) => [
  'server: { port: 0, logLevel: warn }',
  `storage: { dataDir: ${join(dir, 'store')} }`,
  `adminTokens: [${ADMIN}]`,
  'sources:',
  `  - { id: bench, name: Bench, writeKey: ${WRITE_KEY} }`,
]

function startWithPlan(dir) {
  return startTessera(dir, [...configLines(dir), `trackingPlans: ${JSON.stringify([plan()])}`])
}

const auth = `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`
const runId = Date.now().toString(36)
let seq = 0

function trackEvent(id) {
  const bad = id % 20 === 0
  const extra = id % 50 === 1 ? ',"coupon":"SPRING"' : ''
  const price = bad ? '"119.99"' : '119.99'
  return `{"type":"track","messageId":"${runId}-${id}","userId":"user-${id % 3000}","event":"${eventName(id % (RULES - 1))}","properties":{"product_id":"sku-${id % 700}","price":${price},"currency":"USD","quantity":${1 + (id % 3)},"category":"Footwear"${extra}},"context":{"library":{"name":"analytics.js","version":"next-1.84.3"},"page":{"path":"/products/trail","url":"https://shop.example.com/products/trail"},"userAgent":"Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36","locale":"en-US"},"timestamp":"2026-11-24T10:00:00.000Z","sentAt":"2026-11-24T10:00:00.100Z"}`
}

function request() {
  const headers = { authorization: auth, 'content-type': 'application/json' }
  if (SINGLE) {
    return {
      method: 'POST',
      path: '/v1/track',
      headers,
      setupRequest: (r) => ({ ...r, body: trackEvent(seq++) }),
    }
  }
  return {
    method: 'POST',
    path: '/v1/batch',
    headers,
    setupRequest: (r) => {
      const events = []
      for (let i = 0; i < 100; i++) events.push(trackEvent(seq++))
      return { ...r, body: `{"batch":[${events.join(',')}]}` }
    },
  }
}

async function waitForDrain(url, consumers = undefined) {
  const started = Date.now()
  while ((await pipelineLag(url, consumers)) > 0) {
    if (Date.now() - started > 300_000) throw new Error('pipeline did not catch up in 5 min')
    await new Promise((r) => setTimeout(r, 100))
  }
  return (Date.now() - started) / 1000
}

async function round(platform) {
  const result = await autocannon({
    url: platform.url,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [request()],
  })
  const perRequest = SINGLE ? 1 : 100
  const events = result['2xx'] * perRequest
  // After the load stops, what is left in the log is drained by the store step alone.
  const lagAtStop = await pipelineLag(platform.url)
  const drainSeconds = await waitForDrain(platform.url)
  // Then let the store's followers (field inventory, data quality) finish this round's events,
  // so their work never runs into the other platform's round.
  await waitForDrain(platform.url, null)
  return {
    requestsPerSecond: result.requests.average,
    eventsPerSecond: result.requests.average * perRequest,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx + result.errors,
    events,
    drainEventsPerSecond: drainSeconds > 0.2 ? lagAtStop / drainSeconds : null,
  }
}

async function admin(url, path) {
  return fetch(`${url}${path}`, { headers: { authorization: `Bearer ${ADMIN}` } }).then((r) =>
    r.json(),
  )
}

const median = (xs) => {
  const ys = xs.filter((x) => x !== null).sort((a, b) => a - b)
  return ys.length === 0 ? null : ys[Math.floor(ys.length / 2)]
}

async function main() {
  const dirs = [
    mkdtempSync(join(tmpdir(), 'tessera-bench-plan-')),
    mkdtempSync(join(tmpdir(), 'tessera-bench-noplan-')),
  ]
  const withPlan = await startWithPlan(dirs[0])
  const without = await startTessera(dirs[1], configLines(dirs[1]))
  const runs = { none: [], plan: [] }
  try {
    for (const p of [without, withPlan]) {
      await autocannon({ url: p.url, connections: 10, duration: 2, requests: [request()] })
      await waitForDrain(p.url)
    }
    for (let r = 1; r <= ROUNDS; r++) {
      const none = await round(without)
      const planned = await round(withPlan)
      runs.none.push(none)
      runs.plan.push(planned)
      console.error(
        `round ${r}: without ${none.eventsPerSecond.toFixed(0)} events/s, with plan ${planned.eventsPerSecond.toFixed(0)} events/s`,
      )
    }
    const summary = (key) => ({
      requestsPerSecond: Math.round(median(runs[key].map((x) => x.requestsPerSecond))),
      eventsPerSecond: Math.round(median(runs[key].map((x) => x.eventsPerSecond))),
      p99Ms: median(runs[key].map((x) => x.p99Ms)),
      storeDrainEventsPerSecond:
        Math.round(median(runs[key].map((x) => x.drainEventsPerSecond)) ?? 0) || null,
      non2xx: runs[key].reduce((n, x) => n + x.non2xx, 0),
    })
    const none = summary('none')
    const planned = summary('plan')
    const stats = await admin(withPlan.url, '/api/v1/sources/bench/plan-stats?since=0')
    const totals = stats.data.reduce(
      (t, row) => ({
        checked: t.checked + row.checked,
        violated: t.violated + row.violated,
        blocked: t.blocked + row.blocked,
        omitted: t.omitted + row.omitted,
      }),
      { checked: 0, violated: 0, blocked: 0, omitted: 0 },
    )
    const ratio = planned.requestsPerSecond / none.requestsPerSecond
    const drainRatio =
      planned.storeDrainEventsPerSecond && none.storeDrainEventsPerSecond
        ? planned.storeDrainEventsPerSecond / none.storeDrainEventsPerSecond
        : null
    console.log(
      JSON.stringify(
        {
          machine: { cpus: cpus().length, node: process.version },
          settings: {
            rounds: ROUNDS,
            durationSeconds: DURATION,
            connections: CONNECTIONS,
            request: SINGLE ? 'track' : 'batch100',
            rules: RULES,
          },
          without_plan: none,
          with_plan: planned,
          ratio_with_over_without: Number(ratio.toFixed(3)),
          store_drain_ratio: drainRatio === null ? null : Number(drainRatio.toFixed(3)),
          target: 0.85,
          plan_checks: totals,
        },
        null,
        2,
      ),
    )
  } finally {
    await withPlan.stop()
    await without.stop()
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  }
}

await main()
