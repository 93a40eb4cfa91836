import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type {
  ApplyResult,
  ConsumerOffsets,
  EventLog,
  EventStore,
  LogEntry,
} from '../events/index.js'
import { buildEventItem, buildLogEntries } from '../testing/builders.js'
import { startPipelineRunner, type PipelineRunner } from './pipeline-runner.js'

/** An in-memory log holding `count` entries at offsets 1..count. */
function fakeLog(count: number): EventLog & { entries: LogEntry[]; reads: number[] } {
  const entries = buildLogEntries(
    1,
    Array.from({ length: count }, () => buildEventItem()),
  )
  const reads: number[] = []
  return {
    entries,
    reads,
    append: () => Promise.reject(new Error('not used')),
    prepare: () => {
      throw new Error('not used')
    },
    appendPrepared: () => Promise.reject(new Error('not used')),
    read(after, limit) {
      reads.push(after)
      return Promise.resolve(entries.filter((e) => e.offset > after).slice(0, limit))
    },
    head: () => Promise.resolve(entries.at(-1)?.offset ?? 0),
    release: () => Promise.resolve(),
  }
}

/** Offsets in a map; the store commits through it as a real store does in its transaction. */
function fakeOffsets(initial: Record<string, number> = {}): ConsumerOffsets & {
  committed: Map<string, number>
} {
  const committed = new Map(Object.entries(initial))
  return {
    committed,
    get: (consumer) => Promise.resolve(committed.get(consumer) ?? 0),
    commit(consumer, offset) {
      if (offset > (committed.get(consumer) ?? 0)) committed.set(consumer, offset)
      return Promise.resolve()
    },
  }
}

/** A store recording every batch; `failures` makes the next calls throw. */
function fakeStore(offsets: ConsumerOffsets & { committed: Map<string, number> }): EventStore & {
  batches: number[][]
  failures: number
} {
  const store = {
    batches: [] as number[][],
    failures: 0,
    async apply(consumer: string, entries: readonly LogEntry[]): Promise<ApplyResult> {
      if (store.failures > 0) {
        store.failures -= 1
        throw new Error('store unavailable')
      }
      store.batches.push(entries.map((e) => e.offset))
      const last = entries.at(-1)?.offset ?? 0
      await offsets.commit(consumer, last)
      return {
        stored: entries.length,
        duplicates: 0,
        quarantined: 0,
        rejected: 0,
        skipped: 0,
        offset: offsets.committed.get(consumer) ?? 0,
      }
    },
  }
  return store
}

/** Lets the runner's promise chains progress (fake timers leave setImmediate real). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve))
}

const IDLE_MS = 1000

describe('startPipelineRunner', () => {
  let runner: PipelineRunner | null = null

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
  })
  afterEach(async () => {
    const r = runner
    runner = null
    if (r) {
      const stopped = r.stop()
      await vi.advanceTimersByTimeAsync(IDLE_MS)
      await stopped
    }
    vi.useRealTimers()
  })

  async function start(
    count: number,
    options: { committed?: number; batchSize?: number; durableHead?: number } = {},
  ) {
    const log = fakeLog(count)
    const offsets = fakeOffsets({ store: options.committed ?? 0 })
    const store = fakeStore(offsets)
    const errors: unknown[] = []
    const applied: number[] = []
    runner = await startPipelineRunner({
      log,
      store,
      offsets,
      consumer: 'store',
      batchSize: options.batchSize ?? 4,
      idleMs: IDLE_MS,
      coalesceMs: 0,
      ...(options.durableHead === undefined ? {} : { durableHead: options.durableHead }),
      onError: (error) => errors.push(error),
      onApplied: (info) => applied.push(info.offset),
    })
    return { log, offsets, store, errors, applied, runner }
  }

  it('starts from the committed offset and applies batches of batchSize in order', async () => {
    const { store, offsets, applied, runner, log } = await start(10, { committed: 3 })
    await settle()
    expect(log.reads[0]).toBe(3)
    expect(store.batches).toEqual([
      [4, 5, 6, 7],
      [8, 9, 10],
    ])
    expect(runner.position()).toBe(10)
    expect(offsets.committed.get('store')).toBe(10)
    expect(applied).toEqual([7, 10])
  })

  it('never applies beyond durableHead until poked higher', async () => {
    const { store, runner } = await start(10, { durableHead: 5 })
    await settle()
    expect(store.batches.flat()).toEqual([1, 2, 3, 4, 5])
    await vi.advanceTimersByTimeAsync(IDLE_MS * 5)
    await settle()
    expect(runner.position()).toBe(5)
    expect(store.batches.flat()).toEqual([1, 2, 3, 4, 5])

    runner.poke(4) // lower: ignored
    runner.poke(8)
    await settle()
    expect(store.batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(runner.position()).toBe(8)
    runner.poke(10)
    await settle()
    expect(store.batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  })

  it('waitFor resolves true once reached and false on timeout', async () => {
    const { runner } = await start(10, { durableHead: 2, batchSize: 100 })
    await settle()
    expect(await runner.waitFor(2, 10)).toBe(true) // already there
    let reached: boolean | null = null
    void runner.waitFor(7, 5000).then((ok) => (reached = ok))
    let timedOut: boolean | null = null
    void runner.waitFor(50, 500).then((ok) => (timedOut = ok))
    await settle()
    expect(reached).toBeNull()
    runner.poke(7)
    await settle()
    expect(reached).toBe(true)
    expect(timedOut).toBeNull()
    await vi.advanceTimersByTimeAsync(499)
    expect(timedOut).toBeNull()
    await vi.advanceTimersByTimeAsync(1)
    expect(timedOut).toBe(false)
  })

  it('retries a failing apply after idleMs and skips nothing', async () => {
    const log = fakeLog(6)
    const offsets = fakeOffsets()
    const store = fakeStore(offsets)
    store.failures = 2
    const errors: unknown[] = []
    runner = await startPipelineRunner({
      log,
      store,
      offsets,
      consumer: 'store',
      batchSize: 4,
      idleMs: IDLE_MS,
      coalesceMs: 0,
      onError: (error) => errors.push(error),
    })
    await settle()
    expect(errors).toHaveLength(1)
    expect(store.batches).toEqual([])
    expect(runner.position()).toBe(0)
    await vi.advanceTimersByTimeAsync(IDLE_MS)
    await settle()
    expect(errors).toHaveLength(2)
    expect(store.batches).toEqual([])
    await vi.advanceTimersByTimeAsync(IDLE_MS)
    await settle()
    expect(store.batches).toEqual([
      [1, 2, 3, 4],
      [5, 6],
    ])
    expect(runner.position()).toBe(6)
    expect((errors[0] as Error).message).toBe('store unavailable')
  })

  it('picks up entries appended later on its own when no durableHead is given', async () => {
    const { log, store, runner } = await start(2)
    await settle()
    expect(store.batches.flat()).toEqual([1, 2])
    log.entries.push(...buildLogEntries(3, [buildEventItem(), buildEventItem()]))
    await vi.advanceTimersByTimeAsync(IDLE_MS)
    await settle()
    expect(store.batches.flat()).toEqual([1, 2, 3, 4])
    expect(runner.position()).toBe(4)
  })

  it('stop() ends the loop: nothing is applied afterwards', async () => {
    const { store, runner: r } = await start(10, { durableHead: 3 })
    await settle()
    expect(store.batches.flat()).toEqual([1, 2, 3])
    runner = null
    await r.stop()
    r.poke(10)
    await vi.advanceTimersByTimeAsync(IDLE_MS * 3)
    await settle()
    expect(store.batches.flat()).toEqual([1, 2, 3])
    expect(r.position()).toBe(3)
  })
})
