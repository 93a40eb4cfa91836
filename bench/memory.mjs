// npm run bench:memory — resident memory of the platform: idle, during a burst of /v1/batch
// traffic, and while the pipeline catches up with it; beside a bare node:http server under the
// same load (the floor of any Node server here), measured in the same run.
//
// The peak is reached after the burst, while the store, identity and followers threads apply
// the backlog; so the run waits until every consumer's lag is 0, sampling RSS meanwhile, and
// reports how fast the store step and identity resolution went through the backlog.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { pipelineLag, procStatusMb, startTessera, waitForLine } from './process.mjs'
import { trackRequests } from './track-events.mjs'

const DURATION = Number(process.env.BENCH_DURATION ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)
const CATCH_UP_TIMEOUT_MS = 600_000
const WRITE_KEY = 'bench_write_key_000001'
const root = new URL('..', import.meta.url).pathname
const requests = trackRequests(WRITE_KEY)

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** `DURATION` seconds of /v1/batch requests of 100 events; events/s accepted. */
async function burst(url) {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [requests.batch()],
  })
  return { eventsPerSecond: Math.round(result.requests.average * 100), p99: result.latency.p99 }
}

async function measureBare() {
  const child = spawn(process.execPath, [join(root, 'bench/bare-server.mjs'), '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const m = await waitForLine(child, /listening (\d+)/)
  await sleep(1000)
  const idle = procStatusMb(child.pid, 'VmRSS')
  const load = await burst(`http://127.0.0.1:${m[1]}`)
  const peak = procStatusMb(child.pid, 'VmHWM')
  child.kill('SIGTERM')
  await new Promise((r) => child.once('exit', r))
  return { idleMb: Math.round(idle), peakMb: Math.round(peak), ...load }
}

/**
 * Samples `tessera_thread_heap_bytes` (kind "total") of `url` every second until `stop()`,
 * which returns the largest total seen per thread, in MB.
 */
function sampleThreadHeaps(url) {
  const peaks = {}
  const timer = setInterval(() => {
    fetch(`${url}/metrics`)
      .then((r) => r.text())
      .then((text) => {
        const pattern = /^tessera_thread_heap_bytes\{thread="([^"]+)",kind="total"\} (\S+)$/gm
        for (const [, thread, bytes] of text.matchAll(pattern)) {
          peaks[thread] = Math.max(peaks[thread] ?? 0, Math.round(Number(bytes) / 1048576))
        }
      })
      .catch(() => undefined)
  }, 1000)
  return () => {
    clearInterval(timer)
    return peaks
  }
}

async function measureTessera(dir) {
  const tessera = await startTessera(dir, [
    'server: { port: 0, logLevel: warn }',
    `storage: { dataDir: ${join(dir, 'store')} }`,
    'adminTokens: [bench-admin-token-000000000001]',
    'sources:',
    `  - { id: bench, name: Bench, writeKey: ${WRITE_KEY} }`,
  ])
  try {
    await sleep(3000)
    const idle = procStatusMb(tessera.pid, 'VmRSS')
    const stopSampling = sampleThreadHeaps(tessera.url)
    const load = await burst(tessera.url)
    const afterBurst = procStatusMb(tessera.pid, 'VmHWM')
    const storeLag = await pipelineLag(tessera.url, ['store'])
    const identityLag = await pipelineLag(tessera.url, ['identity'])
    const started = Date.now()
    let storeSeconds = null
    for (;;) {
      if (Date.now() - started > CATCH_UP_TIMEOUT_MS)
        throw new Error('the pipeline did not catch up')
      if (storeSeconds === null && (await pipelineLag(tessera.url, ['store'])) === 0)
        storeSeconds = (Date.now() - started) / 1000
      if ((await pipelineLag(tessera.url, null)) === 0) break
      await sleep(250)
    }
    const catchUpSeconds = (Date.now() - started) / 1000
    const heapPeaksMb = stopSampling()
    return {
      idleMb: Math.round(idle),
      peakAfterBurstMb: Math.round(afterBurst),
      peakMb: Math.round(procStatusMb(tessera.pid, 'VmHWM')),
      caughtUpMb: Math.round(procStatusMb(tessera.pid, 'VmRSS')),
      ...load,
      backlogEvents: storeLag,
      catchUpSeconds,
      storeStepEventsPerSecond: Math.round(storeLag / Math.max(storeSeconds, 0.001)),
      identityEventsPerSecond: Math.round(identityLag / Math.max(catchUpSeconds, 0.001)),
      heapPeaksMb,
    }
  } finally {
    await tessera.stop()
  }
}

const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-memory-'))
try {
  const bare = await measureBare()
  const tessera = await measureTessera(dir)
  const result = {
    bench: 'memory',
    at: new Date().toISOString(),
    node: process.version,
    durationSeconds: DURATION,
    connections: CONNECTIONS,
    bare,
    tessera,
    ratios: {
      idleOverBare: Math.round((tessera.idleMb / bare.idleMb) * 10) / 10,
      peakOverBare: Math.round((tessera.peakMb / bare.peakMb) * 10) / 10,
    },
    targets: { 'RSS <= 250 MB': tessera.peakMb <= 250 },
  }
  console.log(JSON.stringify(result, null, 2))
  console.log(
    [
      '',
      '| | idle MB | peak MB (burst / with catch-up) | after catch-up MB | events/s, p99 ms |',
      '|---|---|---|---|---|',
      `| bare node:http | ${bare.idleMb} | ${bare.peakMb} | n/a | ${bare.eventsPerSecond}, ${bare.p99} |`,
      `| Tessera | ${tessera.idleMb} | ${tessera.peakAfterBurstMb} / ${tessera.peakMb} | ${tessera.caughtUpMb} | ${tessera.eventsPerSecond}, ${tessera.p99} |`,
      '',
      `largest V8 heap per thread (MB, sampled every second): ${Object.entries(tessera.heapPeaksMb)
        .map(([thread, mb]) => `${thread} ${mb}`)
        .join(', ')}`,
      `backlog ${tessera.backlogEvents} events applied in ${tessera.catchUpSeconds} s: store step ${tessera.storeStepEventsPerSecond} events/s, identity ${tessera.identityEventsPerSecond} events/s`,
    ].join('\n'),
  )
  mkdirSync(join(root, 'bench/results'), { recursive: true })
  writeFileSync(
    join(root, `bench/results/memory-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
    JSON.stringify(result, null, 2),
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
