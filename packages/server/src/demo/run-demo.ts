import type { DemoCall } from './demo-call.js'
import { generateTraffic } from './generate-traffic.js'
import { getJson, type HttpGet } from './http.js'
import {
  checkWriteKey,
  firstSourceWriteKey,
  readAdminToken,
  type Outcome,
} from './resolve-write-key.js'
import { sendTraffic } from './send-traffic.js'

export interface DemoOptions {
  /** Base URL of a running Tessera. */
  url: string
  /** The source to send to; when absent, the first source of the server (needs an admin token). */
  writeKey: string | undefined
  /** Admin token for finding the source; else read from `<dataDir>/admin-token`. */
  adminToken: string | undefined
  dataDir: string
  users: number
  events: number
  /** Calls per second. */
  rate: number
  seed: number | string
  out: (line: string) => void
  err: (line: string) => void
  /** Replaces the HTTP GET used for the checks (tests). */
  get?: HttpGet
}

async function resolveWriteKey(options: DemoOptions, get: HttpGet): Promise<Outcome<string>> {
  if (options.writeKey !== undefined) {
    const check = await checkWriteKey(options.url, options.writeKey, get)
    return check.ok ? { ok: true, value: options.writeKey } : check
  }
  const token = readAdminToken({ token: options.adminToken, dataDir: options.dataDir })
  if (!token.ok) return token
  const source = await firstSourceWriteKey(options.url, token.value, get)
  if (!source.ok) return source
  options.out(`Using source "${source.value.sourceName}".`)
  return { ok: true, value: source.value.writeKey }
}

/** Counts calls by kind for the summary: `page 220, Order Completed 11, …`, most frequent first. */
export function describeCalls(calls: readonly DemoCall[]): string {
  const counts = new Map<string, number>()
  for (const call of calls) {
    const key = call.type === 'track' ? call.params.event : call.type
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([key, count]) => `${key} ${count}`)
    .join(', ')
}

/**
 * `tessera demo`: finds the write key, generates the traffic for the seed and sends it,
 * printing progress and a summary. Returns the exit code: 0 when every event was
 * acknowledged, 1 otherwise.
 */
export async function runDemo(options: DemoOptions): Promise<number> {
  const writeKey = await resolveWriteKey(options, options.get ?? getJson)
  if (!writeKey.ok) {
    options.err(writeKey.message)
    return 1
  }
  const calls = generateTraffic({
    seed: options.seed,
    users: options.users,
    events: options.events,
    endTime: Date.now(),
  })
  options.out(
    `Sending ${calls.length} events from ${options.users} simulated people to ${options.url} ` +
      `at ${options.rate}/s (seed ${String(options.seed)}; repeat with --seed ${String(options.seed)}).`,
  )
  const summary = await sendTraffic({
    url: options.url,
    writeKey: writeKey.value,
    calls,
    rate: options.rate,
    log: options.out,
  })
  options.out(
    `Done in ${summary.seconds.toFixed(1)} s: ${summary.sent} events sent, ${summary.failed} failed.`,
  )
  options.out(`  ${describeCalls(calls)}`)
  for (const reason of summary.errors) options.err(`  failure: ${reason}`)
  if (summary.failed === 0) options.out(`See them live in the console: ${options.url}/`)
  return summary.failed === 0 ? 0 : 1
}
