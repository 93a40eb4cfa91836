import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ManualClock } from '../platform/clock.js'
import {
  buildIdentityEvent,
  MemoryIdentityStore,
  rulesWith,
} from '../testing/memory-identity-store.js'
import { startIdentityRunner, type IdentityRunner } from './identity-runner.js'
import type { IdentityStore } from './identity-store.js'
import type { ResolveBatchResult } from './resolve-batch.js'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const rules = rulesWith()

const events = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) =>
    buildIdentityEvent({
      messageId: `m${from + i}`,
      timestamp: T0 + from + i,
      userId: `u${(from + i) % 3}`,
    }),
  )

const IDLE_MS = 1_000

/** Lets the runner's promise chains progress (fake timers leave setImmediate real). */
async function settle(): Promise<void> {
  for (let i = 0; i < 40; i++) await new Promise((resolve) => setImmediate(resolve))
}

describe('identity runner', () => {
  let runner: IdentityRunner | undefined

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
  })
  afterEach(async () => {
    const stopped = runner?.stop()
    await vi.advanceTimersByTimeAsync(IDLE_MS)
    await stopped
    runner = undefined
    vi.useRealTimers()
  })

  const start = async (
    store: IdentityStore,
    extra: Partial<Parameters<typeof startIdentityRunner>[0]> = {},
  ) => {
    const errors: unknown[] = []
    const applied: ResolveBatchResult[] = []
    runner = await startIdentityRunner({
      store,
      rules: () => rules,
      consumer: 'identity',
      batchSize: 4,
      idleMs: IDLE_MS,
      coalesceMs: 0,
      clock: new ManualClock(T0),
      onApplied: (r) => applied.push(r),
      onError: (e) => errors.push(e),
      ...extra,
    })
    return { runner, errors, applied }
  }

  it('resolves what is stored, batch by batch, and then what is poked', async () => {
    const store = new MemoryIdentityStore()
    store.appendEvents(events(0, 10))
    const { runner, applied, errors } = await start(store)
    await settle()
    expect(runner.position()).toBe(10)
    expect(applied.map((r) => r.offset)).toEqual([4, 8, 10])
    store.appendEvents(events(10, 2))
    let reached: boolean | null = null
    void runner.waitFor(12, 5_000).then((ok) => (reached = ok))
    runner.poke(12)
    await settle()
    expect(reached).toBe(true)
    expect(runner.position()).toBe(12)
    expect(await store.transact((tx) => tx.offset('identity'))).toBe(12)
    expect(store.snapshot().profiles.size).toBe(3)
    expect(errors).toEqual([])
  })

  it('starts at the committed offset', async () => {
    const store = new MemoryIdentityStore()
    store.appendEvents(events(0, 6))
    await store.transact((tx) => tx.commitOffset('identity', 4))
    const { runner, applied } = await start(store)
    await settle()
    expect(runner.position()).toBe(6)
    expect(applied).toHaveLength(1)
    expect(applied[0]?.events).toBe(2)
  })

  it('finds new events by polling when nobody pokes', async () => {
    const store = new MemoryIdentityStore()
    const { runner } = await start(store)
    await settle()
    store.appendEvents(events(0, 3))
    await settle()
    expect(runner.position()).toBe(0)
    await vi.advanceTimersByTimeAsync(IDLE_MS)
    await settle()
    expect(runner.position()).toBe(3)
  })

  it('counts a poked head as reached when nothing is left to read', async () => {
    const store = new MemoryIdentityStore()
    store.appendEvents(events(0, 2))
    const { runner } = await start(store)
    await settle()
    runner.poke(5)
    await settle()
    expect(runner.position()).toBe(5)
    expect(await store.transact((tx) => tx.offset('identity'))).toBe(2)
  })

  it('times out a wait beyond what exists', async () => {
    const { runner } = await start(new MemoryIdentityStore())
    let result: boolean | null = null
    void runner.waitFor(1, 500).then((ok) => (result = ok))
    await vi.advanceTimersByTimeAsync(499)
    expect(result).toBeNull()
    await vi.advanceTimersByTimeAsync(1)
    expect(result).toBe(false)
  })

  it('retries a failed batch, never skipping it', async () => {
    const store = new MemoryIdentityStore()
    store.appendEvents(events(0, 3))
    let failures = 2
    const flaky: IdentityStore = {
      readEvents: (after, limit) => store.readEvents(after, limit),
      eventsHead: () => store.eventsHead(),
      getSetting: (key) => store.getSetting(key),
      putSetting: (key, value, actor) => store.putSetting(key, value, actor),
      transact: (fn) => store.transact((tx) => fn(tx)),
    }
    const original = flaky.readEvents
    flaky.readEvents = (after, limit) =>
      failures-- > 0 ? Promise.reject(new Error('store unavailable')) : original(after, limit)
    const { runner, errors, applied } = await start(flaky)
    await settle()
    expect(errors).toHaveLength(1)
    expect(runner.position()).toBe(0)
    await vi.advanceTimersByTimeAsync(IDLE_MS)
    await settle()
    expect(errors).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(IDLE_MS)
    await settle()
    expect(runner.position()).toBe(3)
    expect(errors.map((e) => (e as Error).message)).toEqual([
      'store unavailable',
      'store unavailable',
    ])
    expect(applied.map((r) => r.events)).toEqual([3])
  })

  it('finishes the batch in progress when stopped', async () => {
    const store = new MemoryIdentityStore()
    store.appendEvents(events(0, 4))
    const { runner } = await start(store)
    await runner.stop()
    const position = runner.position()
    expect(await store.transact((tx) => tx.offset('identity'))).toBe(position)
    store.appendEvents(events(4, 2))
    runner.poke(6)
    await vi.advanceTimersByTimeAsync(IDLE_MS * 3)
    await settle()
    expect(runner.position()).toBe(position)
  })
})
