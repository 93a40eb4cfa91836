// npm run bench:ingest — tracking API throughput and latency, measured side by side in one run.
// (a) a bare node:http server that reads the body and answers 200 (the ceiling here),
// (b) Tessera /v1/track, one event a request, durable before the 200,
// (c) Tessera /v1/batch, 100 events a request, durable.
// Three rounds alternate a, b, c; medians are reported. The load generator (autocannon) runs in
// this process, on the same machine. Every event carries a unique messageId, so nothing is
// deduplicated away, and the store's counters are checked against the 2xx count. Each run also
// reports where the CPU went: the server's main thread, its helper threads (V8, libuv), its
// pipeline worker threads, and the load generator; and how long the main thread waited for a core.
import { spawn } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import {
  fetchRetrying,
  NODE_FLAGS,
  pipelineLag,
  procStatusMb,
  waitForLine,
  yieldedSince,
} from './process.mjs'
import { trackRequests } from './track-events.mjs'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const DURATION = Number(process.env.BENCH_DURATION ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)
// Linux reports thread CPU time in /proc in clock ticks of 1/100 s (USER_HZ).
const CLOCK_TICKS = 100
const WRITE_KEY = 'bench_write_key_000001'
// Before each run, wait until the pipeline has applied everything acknowledged so far, so that
// every run starts from the same state (no backlog of an earlier run competing for the cores).
// BENCH_SETTLE=0 measures back to back instead.
const SETTLE = process.env.BENCH_SETTLE !== '0'
const SETTLE_TIMEOUT_MS = 300_000
// BENCH_YIELD=0 turns pipeline.yieldToIngest off (ADR 0010): the pipeline then competes with
// the request path for the cores during every run, as before it existed.
const YIELD = process.env.BENCH_YIELD !== '0'
// BENCH_MAX_PAUSE sets pipeline.yieldToIngest.maxPauseMs (default 1000).
const MAX_PAUSE_MS = Number(process.env.BENCH_MAX_PAUSE ?? 1000)
const ADMIN = 'bench-admin-token-000000000001'
const root = new URL('..', import.meta.url).pathname

const peakRssMb = (pid) => procStatusMb(pid, 'VmHWM')

async function startBare() {
  const child = spawn(process.execPath, [join(root, 'bench/bare-server.mjs'), '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const m = await waitForLine(child, /listening (\d+)/)
  return { child, url: `http://127.0.0.1:${m[1]}` }
}

async function startTessera(dataDir) {
  const config = join(dataDir, 'bench.yaml')
  writeFileSync(
    config,
    `server: { port: 0, logLevel: warn }\nstorage: { dataDir: ${join(dataDir, 'store')} }\nadminTokens: [${ADMIN}]\nsources:\n  - { id: bench, name: Bench, writeKey: ${WRITE_KEY} }\npipeline: { yieldToIngest: { enabled: ${YIELD}, maxPauseMs: ${MAX_PAUSE_MS} } }\n`,
  )
  const child = spawn(
    process.execPath,
    [...NODE_FLAGS, join(root, 'packages/server/bin/tessera.js'), 'start', '--config', config],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TESSERA_LOG_LEVEL: 'warn' },
    },
  )
  const m = await waitForLine(child, /running at (http:\/\/[\d.:]+)/)
  return { child, url: m[1] }
}

const requests = trackRequests(WRITE_KEY)

/**
 * CPU seconds used so far by each thread of `pid` (utime + stime) and its nice value, by
 * thread id.
 */
function threadCpu(pid) {
  const ticks = new Map()
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      ticks.set(tid, {
        seconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS,
        nice: Number(fields[16]),
      })
    } catch {
      // The thread ended meanwhile.
    }
  }
  return ticks
}

/**
 * Seconds the main thread of `pid` has spent waiting on a run queue (ready to run, no core
 * free): the second field of `/proc/<pid>/task/<pid>/schedstat`, in nanoseconds. Null where the
 * kernel does not keep it.
 */
function mainRunQueueSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')
    return Number(fields[1]) / 1e9
  } catch {
    return null
  }
}

/**
 * Where the CPU went during a run, in % of one core: the server's main thread (the request
 * path); its other threads together (`otherThreads`), split into `helperThreads` (at the main
 * thread's priority: V8's platform threads, which collect garbage for every isolate, and
 * libuv's pool, which writes the log) and `pipelineThreads` (Tessera's worker threads, which
 * lower their own priority: store, identity, followers, delivery); this process (the load
 * generator); and `mainWaiting`, the % of the run the main thread was ready to run but waited
 * for a core. Linux only; null elsewhere.
 */
function cpuShares(pid, before, after, loadCpu, seconds, runQueue) {
  if (!before || !after) return null
  let main = 0
  let helpers = 0
  let pipeline = 0
  for (const [tid, used] of after) {
    const delta = used.seconds - (before.get(tid)?.seconds ?? 0)
    if (tid === String(pid)) main += delta
    else if (used.nice > 0) pipeline += delta
    else helpers += delta
  }
  const pct = (x) => Math.round((100 * x) / seconds)
  const waited =
    runQueue.before === null || runQueue.after === null
      ? null
      : pct(runQueue.after - runQueue.before)
  return {
    mainThread: pct(main),
    otherThreads: pct(helpers + pipeline),
    helperThreads: pct(helpers),
    pipelineThreads: pct(pipeline),
    loadGenerator: pct(loadCpu),
    mainWaiting: waited,
  }
}

/**
 * What the pipeline did while a Tessera run lasted: seconds it was asked to yield to the
 * request path (pipeline.yieldToIngest) and the store step's lag, in events, when it ended.
 */
async function pipelineDuring(url, run) {
  const yielded = await yieldedSince(url)
  const result = await run()
  const yieldedSeconds = await yielded()
  const storeLagAtEnd = await pipelineLag(url, ['store'])
  return { ...result, pipeline: { yieldedSeconds, storeLagAtEnd } }
}

async function load(url, request, pid) {
  const before = pid && existsSync(`/proc/${pid}/task`) ? threadCpu(pid) : null
  const waitedBefore = before ? mainRunQueueSeconds(pid) : null
  const ownBefore = process.cpuUsage()
  const started = performance.now()
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [request],
  })
  const seconds = (performance.now() - started) / 1000
  const own = process.cpuUsage(ownBefore)
  const after = before ? threadCpu(pid) : null
  const runQueue = { before: waitedBefore, after: after ? mainRunQueueSeconds(pid) : null }
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    cpu: cpuShares(pid, before, after, (own.user + own.system) / 1e6, seconds, runQueue),
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** Each CPU share's median over the rounds of one run kind (null off Linux). */
function medianCpu(runsOfKind) {
  const shares = runsOfKind.map((r) => r.cpu).filter(Boolean)
  if (shares.length === 0) return null
  return Object.fromEntries(
    Object.keys(shares[0]).map((k) => [k, median(shares.map((share) => share[k]))]),
  )
}

/** Accepted and duplicate events the store holds, from the admin stats API. */
async function storedCounts(url) {
  const stats = await fetchRetrying(`${url}/api/v1/stats/ingest?since=0`, {
    headers: { authorization: `Bearer ${ADMIN}` },
  }).then((r) => r.json())
  return {
    stored: stats.data.reduce((n, row) => n + row.accepted, 0),
    dupes: stats.data.reduce((n, row) => n + row.duplicates, 0),
  }
}

/**
 * Polls until the store holds at least `expected` events and every pipeline consumer has
 * reached the log head, or `timeoutMs` passed (the stats query itself waits up to 2 s for the
 * pipeline). Returns the counts and the seconds waited.
 */
async function waitForStore(url, expected, timeoutMs) {
  const started = Date.now()
  for (;;) {
    const counts = await storedCounts(url)
    const done = counts.stored >= expected && (await pipelineLag(url, null)) === 0
    if (done || Date.now() - started > timeoutMs) {
      return { ...counts, seconds: (Date.now() - started) / 1000 }
    }
    await new Promise((r) => setTimeout(r, 500))
  }
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-bench-'))
  const bare = await startBare()
  const tessera = await startTessera(dataDir)
  const runs = { a: [], b: [], c: [] }
  let okEvents = 0
  try {
    // Warm-up so JIT and page cache settle before the measured rounds.
    await autocannon({
      url: tessera.url,
      connections: 10,
      duration: 2,
      requests: [requests.single()],
    }).then((r) => (okEvents += r['2xx']))
    const settleSeconds = []
    const settle = async () => {
      if (!SETTLE) return
      const { seconds } = await waitForStore(tessera.url, okEvents, SETTLE_TIMEOUT_MS)
      settleSeconds.push(seconds)
    }
    for (let round = 1; round <= ROUNDS; round++) {
      await settle()
      const a = await load(bare.url, requests.single(), bare.child.pid)
      await settle()
      const b = await pipelineDuring(tessera.url, () =>
        load(tessera.url, requests.single(), tessera.child.pid),
      )
      okEvents += b.ok
      await settle()
      const c = await pipelineDuring(tessera.url, () =>
        load(tessera.url, requests.batch(), tessera.child.pid),
      )
      okEvents += c.ok * 100
      runs.a.push(a)
      runs.b.push(b)
      runs.c.push(c)
      console.error(
        `round ${round}: a ${a.requestsPerSecond.toFixed(0)} req/s, b ${b.requestsPerSecond.toFixed(0)} req/s (p99 ${b.p99} ms), c ${(c.requestsPerSecond * 100).toFixed(0)} events/s`,
      )
    }
    const rssByLastRun = peakRssMb(tessera.child.pid)
    // The store is fed from the log by the pipeline; wait until it has applied everything
    // (the stats query itself waits up to 2 s for the pipeline; poll a little longer).
    const final = await waitForStore(tessera.url, okEvents, SETTLE_TIMEOUT_MS)
    // The peak is often reached here, while the pipeline applies the last run's backlog.
    const rss = peakRssMb(tessera.child.pid)
    const { stored, dupes } = final
    const catchUpSeconds = final.seconds
    const summary = (key, perReq) => ({
      requestsPerSecond: Math.round(median(runs[key].map((r) => r.requestsPerSecond))),
      eventsPerSecond: Math.round(median(runs[key].map((r) => r.requestsPerSecond)) * perReq),
      p50Ms: median(runs[key].map((r) => r.p50)),
      p99Ms: median(runs[key].map((r) => r.p99)),
      non2xx: runs[key].reduce((n, r) => n + r.non2xx + r.errors, 0),
      cpuPercentOfOneCore: medianCpu(runs[key]),
      // Tessera runs: seconds the pipeline yielded to the request path, store lag at the end.
      pipeline: runs[key][0]?.pipeline
        ? {
            yieldedSeconds: median(runs[key].map((r) => r.pipeline.yieldedSeconds)),
            storeLagAtEnd: median(runs[key].map((r) => r.pipeline.storeLagAtEnd)),
          }
        : null,
    })
    const a = summary('a', 1)
    const b = summary('b', 1)
    const c = summary('c', 100)
    const ratio = b.requestsPerSecond / a.requestsPerSecond
    const result = {
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
      settings: {
        rounds: ROUNDS,
        durationSeconds: DURATION,
        connections: CONNECTIONS,
        settleBetweenRuns: SETTLE,
        pipelineYieldsToIngest: YIELD,
        pipelineMaxPauseMs: MAX_PAUSE_MS,
        nodeFlags: NODE_FLAGS.join(' '),
      },
      a_bare_http: a,
      b_track_durable: b,
      c_batch100_durable: c,
      ratio_b_over_a: Number(ratio.toFixed(3)),
      peakRssMb: Math.round(rss),
      peakRssByLastRunMb: Math.round(rssByLastRun),
      check: {
        acknowledgedEvents: okEvents,
        storedEvents: stored,
        duplicates: dupes,
        storeCatchUpSeconds: catchUpSeconds,
        // Seconds waited before each run for the pipeline to apply the earlier runs' events.
        settleSeconds,
      },
      targets: {
        'b/a >= 0.60': ratio >= 0.6,
        'c >= 100,000 events/s': c.eventsPerSecond >= 100_000,
        'b p99 <= 25 ms': b.p99Ms <= 25,
        'RSS <= 250 MB': rss <= 250,
        // Requests still in flight when a round's clock stopped are stored but not counted.
        'every acknowledged event stored': stored >= okEvents && dupes === 0,
      },
    }
    console.log(JSON.stringify(result, null, 2))
    console.log(
      '\n| run | req/s | events/s | p50 ms | p99 ms | CPU % main / helpers / pipeline workers / load generator | main waited for a core % | pipeline yielded s / store lag at end (events) |\n|---|---|---|---|---|---|---|---|',
    )
    for (const [name, r] of [
      ['(a) bare node:http', a],
      ['(b) /v1/track durable', b],
      ['(c) /v1/batch x100 durable', c],
    ]) {
      const cpu = r.cpuPercentOfOneCore
      const shares = cpu
        ? `${cpu.mainThread} / ${cpu.helperThreads} / ${cpu.pipelineThreads} / ${cpu.loadGenerator}`
        : 'n/a'
      const waited = cpu?.mainWaiting ?? 'n/a'
      const pipeline = r.pipeline
        ? `${r.pipeline.yieldedSeconds} / ${r.pipeline.storeLagAtEnd}`
        : 'n/a'
      console.log(
        `| ${name} | ${r.requestsPerSecond} | ${r.eventsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${shares} | ${waited} | ${pipeline} |`,
      )
    }
    console.log(
      `\nb/a = ${ratio.toFixed(3)}; peak RSS ${Math.round(rss)} MB (${Math.round(rssByLastRun)} MB by the end of the last run, before its backlog was applied); stored ${stored} (>= ${okEvents} acknowledged and counted), store caught up ${catchUpSeconds}s after load`,
    )
    mkdirSync(join(root, 'bench/results'), { recursive: true })
    writeFileSync(
      join(root, `bench/results/ingest-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
      JSON.stringify(result, null, 2),
    )
  } finally {
    bare.child.kill('SIGTERM')
    tessera.child.kill('SIGTERM')
    await new Promise((r) => tessera.child.once('exit', r))
    rmSync(dataDir, { recursive: true, force: true })
  }
}

await main()
