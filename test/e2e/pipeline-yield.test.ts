// The pipeline yields to the tracking API under pressure (pipeline.yieldToIngest): the signal is
// raised while events arrive, the store step still moves (each batch waits at most maxPauseMs),
// every acknowledged event is stored, and ordinary traffic never raises it.
import { afterEach, describe, expect, it } from 'vitest'
import {
  startTestPlatform,
  type TestPlatform,
} from '../../packages/server/src/testing/test-platform.js'

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

let tp: TestPlatform | undefined
afterEach(async () => {
  await tp?.close()
  tp = undefined
})

async function metric(platform: TestPlatform, name: string): Promise<number> {
  const text = await (await fetch(`${platform.url}/metrics`)).text()
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text)
  if (!match) throw new Error(`metric ${name} not found`)
  return Number(match[1])
}

async function track(platform: TestPlatform, event: string, i: number): Promise<void> {
  const response = await fetch(`${platform.url}/v1/track`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${platform.writeKey}:`).toString('base64')}`,
    },
    body: JSON.stringify({ userId: `u-${i % 7}`, event, messageId: `${event}-${i}` }),
  })
  expect(response.status).toBe(200)
}

async function stored(platform: TestPlatform, event: string): Promise<number> {
  const response = await platform.admin(`/api/v1/events?event=${event}&limit=1000`)
  expect(response.status).toBe(200)
  return ((await response.json()) as { data: unknown[] }).data.length
}

/** Sends `count` events, one every `everyMs`; returns the yielding gauge read midway. */
async function stream(
  platform: TestPlatform,
  event: string,
  count: number,
  everyMs: number,
): Promise<number[]> {
  const gauge: number[] = []
  for (let i = 0; i < count; i++) {
    await track(platform, event, i)
    if (i % 10 === 5) gauge.push(await metric(platform, 'tessera_pipeline_yielding'))
    await sleep(everyMs)
  }
  return gauge
}

describe('pipeline.yieldToIngest', () => {
  it('raises the signal under pressure and stores every acknowledged event', async () => {
    // Thresholds low enough that a steady trickle counts as pressure.
    tp = await startTestPlatform({
      pipeline: { yieldToIngest: { minEventsPerSecond: 10, utilization: 0, maxPauseMs: 150 } },
    })
    const gauge = await stream(tp, 'Yield Test', 120, 10)
    expect(gauge).toContain(1)
    expect(await metric(tp, 'tessera_pipeline_yield_seconds_total')).toBeGreaterThan(0)
    // Once the stream stops the signal falls and the store has every acknowledged event.
    const started = Date.now()
    while ((await metric(tp, 'tessera_pipeline_yielding')) !== 0 && Date.now() - started < 5000) {
      await sleep(50)
    }
    expect(await metric(tp, 'tessera_pipeline_yielding')).toBe(0)
    expect(await stored(tp, 'Yield%20Test')).toBe(120)
  })

  it('never raises it for ordinary traffic with the default thresholds', async () => {
    tp = await startTestPlatform()
    const gauge = await stream(tp, 'Quiet Test', 60, 10)
    expect(gauge.every((value) => value === 0)).toBe(true)
    expect(await metric(tp, 'tessera_pipeline_yield_seconds_total')).toBe(0)
    expect(await stored(tp, 'Quiet%20Test')).toBe(60)
  })

  it('rejects settings out of range at start', async () => {
    await expect(
      startTestPlatform({ pipeline: { yieldToIngest: { utilization: 1.5, maxPauseMs: -1 } } }),
    ).rejects.toThrow(/utilization|maxPauseMs/)
  })
})
