// Helpers shared by the benchmark scripts: starting Tessera, waiting for a started server,
// reading the pipeline's lag from its metrics, and quantiles of measured latencies.
import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname

/** A field of `/proc/<pid>/status` given in kB (`VmRSS`, `VmHWM`, …), in MB; 0 when absent. */
export function procStatusMb(pid, field) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024
}

/** The `f` quantile of ascending `sorted` (NaN when empty). */
export const quantile = (sorted, f) =>
  sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))] ?? NaN

/** Resolves with the match once `child` prints a line matching `pattern`; rejects if it exits. */
export function waitForLine(child, pattern) {
  return new Promise((resolve, reject) => {
    let buf = ''
    const onData = (d) => {
      buf += d.toString()
      const m = pattern.exec(buf)
      if (m) {
        child.stdout.off('data', onData)
        child.stderr.off('data', onData)
        resolve(m)
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${buf}`)))
  })
}

/**
 * `fetch`, tried again (up to three times, 200 ms apart) when the request fails before an
 * answer: a keep-alive socket the server closed as it was reused resets the connection.
 */
export async function fetchRetrying(url, init) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init)
    } catch (error) {
      if (attempt >= 3) throw error
      await new Promise((r) => setTimeout(r, 200))
    }
  }
}

/**
 * Entries appended to the log but not yet applied, summed over `consumers` (default: the store
 * step and identity resolution; null: every consumer, the store's followers included).
 */
export async function pipelineLag(url, consumers = ['store', 'identity']) {
  const text = await fetchRetrying(`${url}/metrics`).then((r) => r.text())
  const lags = [...text.matchAll(/^tessera_log_consumer_lag_events\{consumer="([^"]*)"\} (\d+)/gm)]
  return lags
    .filter((m) => consumers === null || consumers.includes(m[1]))
    .reduce((n, m) => n + Number(m[2]), 0)
}

/** The value of an unlabelled metric of `url`'s `/metrics` (null when absent). */
async function metricValue(url, name) {
  const text = await fetchRetrying(`${url}/metrics`).then((r) => r.text())
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text)
  return match ? Number(match[1]) : null
}

/**
 * Starts counting the seconds the pipeline of `url` yields to the request path
 * (`tessera_pipeline_yield_seconds_total`, ADR 0010); the function returned reads how many
 * have passed since, to a tenth of a second.
 */
export async function yieldedSince(url) {
  const before = (await metricValue(url, 'tessera_pipeline_yield_seconds_total')) ?? 0
  return async () => {
    const now = (await metricValue(url, 'tessera_pipeline_yield_seconds_total')) ?? 0
    return Math.round((now - before) * 10) / 10
  }
}

/**
 * Extra node flags for every Tessera process a benchmark starts, from `BENCH_NODE_FLAGS`, e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/p` to profile every thread of the server, or
 * `--max-semi-space-size=4`.
 */
export const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean)

/**
 * Starts `tessera start` with `<dir>/bench.yaml` holding `configLines`; resolves with its URL
 * and process id once it listens, and a `stop()` that ends it with SIGTERM.
 */
export async function startTessera(dir, configLines) {
  const config = join(dir, 'bench.yaml')
  writeFileSync(config, [...configLines, ''].join('\n'))
  const child = spawn(
    process.execPath,
    [...NODE_FLAGS, join(root, 'packages/server/bin/tessera.js'), 'start', '--config', config],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const m = await waitForLine(child, /running at (http:\/\/[\d.:]+)/)
  // Keep the tail of what the server prints, and say so if it dies during the run.
  let output = ''
  const keep = (d) => (output = (output + d.toString()).slice(-16_384))
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  let stopping = false
  child.once('exit', (code, signal) => {
    if (!stopping)
      console.error(`server ${m[1]} exited (${code ?? signal}) during the run:\n${output}`)
  })
  return {
    url: m[1],
    pid: child.pid,
    output: () => output,
    async stop() {
      stopping = true
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
    },
  }
}
