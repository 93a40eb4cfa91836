import { setTimeout as sleep } from 'node:timers/promises'
import { inspect } from 'node:util'
import { Analytics } from '@segment/analytics-node'
import type { DemoCall } from './demo-call.js'

export interface SendOptions {
  /** Base URL of Tessera, e.g. http://127.0.0.1:8080 (analytics-node's `host`). */
  url: string
  writeKey: string
  calls: readonly DemoCall[]
  /** Calls handed to the library per second. */
  rate: number
  /** Receives progress lines. */
  log: (line: string) => void
  progressEveryMs?: number
}

export interface SendSummary {
  /** Events the server acknowledged. */
  sent: number
  /** Events the library gave up on (after its retries) or that were still unsent at the end. */
  failed: number
  seconds: number
  /** Distinct failure reasons, at most five. */
  errors: string[]
}

type Done = (error?: unknown) => void

function dispatch(analytics: Analytics, call: DemoCall, done: Done): void {
  switch (call.type) {
    case 'identify':
      return analytics.identify(call.params, done)
    case 'track':
      return analytics.track(call.params, done)
    case 'page':
      return analytics.page(call.params, done)
    case 'screen':
      return analytics.screen(call.params, done)
    case 'group':
      return analytics.group(call.params, done)
    case 'alias':
      return analytics.alias(call.params, done)
  }
}

/**
 * Sends the calls through `@segment/analytics-node`, exactly as a customer's backend would,
 * paced at `rate` per second, printing progress. Resolves once every event is acknowledged
 * or failed; never rejects for delivery failures (they are counted).
 */
export async function sendTraffic(options: SendOptions): Promise<SendSummary> {
  const { calls, rate, log } = options
  const analytics = new Analytics({
    writeKey: options.writeKey,
    host: options.url,
    // Small batches at low rates so events show up live; bigger ones when sending fast.
    flushAt: Math.min(100, Math.max(1, Math.round(rate / 5))),
    flushInterval: 500,
    maxRetries: 3,
  })
  let sent = 0
  let failed = 0
  const errors = new Set<string>()
  const done: Done = (error) => {
    if (error === undefined) {
      sent += 1
      return
    }
    failed += 1
    if (errors.size < 5) errors.add(error instanceof Error ? error.message : inspect(error))
  }
  const progress = (): void =>
    log(`  ${sent + failed}/${calls.length} delivered (${failed} failed)`)
  const timer = setInterval(progress, options.progressEveryMs ?? 1_000)
  timer.unref()
  const started = Date.now()
  try {
    for (const [i, call] of calls.entries()) {
      const wait = started + (i * 1_000) / rate - Date.now()
      if (wait > 1) await sleep(wait)
      dispatch(analytics, call, done)
    }
    await analytics.closeAndFlush({ timeout: 60_000 })
  } finally {
    clearInterval(timer)
  }
  // Calls still pending when closeAndFlush timed out never reached the server.
  failed += calls.length - sent - failed
  return { sent, failed, seconds: (Date.now() - started) / 1_000, errors: [...errors] }
}
