import { afterEach, describe, expect, it, vi } from 'vitest'
import { ManualClock } from '../platform/clock.js'
import { createAuditRecorder } from './audit-recorder.js'
import type { AuditStore, ChainedAuditEntry } from './audit-store.js'
import { chainHash, GENESIS_HASH } from './chain.js'
import type { AuditRecord } from './audit-recorder.js'
import type { NewAuditEntry } from './model.js'
import { DeniedThrottle, TokenUseTracker } from './throttles.js'
import { verifyAuditChain } from './verify-chain.js'

/** An in-memory AuditStore that can be told to fail, for the recorder's buffering. */
class MemoryAuditStore implements AuditStore {
  rows: ChainedAuditEntry[] = []
  batches: number[] = []
  failing = false

  append(entries: readonly NewAuditEntry[]): Promise<void> {
    if (this.failing) return Promise.reject(new Error('store down'))
    this.batches.push(entries.length)
    for (const entry of entries) {
      const prevHash = this.rows.at(-1)?.hash ?? GENESIS_HASH
      const stored = { ...entry, id: this.rows.length + 1 }
      this.rows.push({ ...stored, prevHash, hash: chainHash(prevHash, stored) })
    }
    return Promise.resolve()
  }
  query(): Promise<never[]> {
    return Promise.resolve([])
  }
  scan(afterId: number, limit: number): Promise<ChainedAuditEntry[]> {
    return Promise.resolve(this.rows.filter((r) => r.id > afterId).slice(0, limit))
  }
}

const record = (action: string): AuditRecord => ({
  actor: 'system',
  action,
  target: { type: 't', id: null },
  outcome: 'ok',
  requestId: null,
  ip: null,
  details: {},
})

afterEach(() => {
  vi.useRealTimers()
})

describe('createAuditRecorder', () => {
  it('buffers without waiting and appends in order, in batches, on the timer', async () => {
    vi.useFakeTimers()
    const store = new MemoryAuditStore()
    const recorder = createAuditRecorder({
      store,
      clock: new ManualClock(1000),
      onError: () => undefined,
      batchSize: 2,
      flushEveryMs: 100,
    })
    for (const action of ['a', 'b', 'c']) recorder.record(record(action))
    expect(store.rows).toHaveLength(0)
    expect(recorder.pending()).toBe(3)
    await vi.advanceTimersByTimeAsync(100)
    expect(store.rows.map((r) => r.action)).toEqual(['a', 'b', 'c'])
    expect(store.batches).toEqual([2, 1])
    expect(store.rows[0]?.at).toBe(1000)
    await recorder.close()
  })

  it('keeps entries when the store fails and appends them once it is back', async () => {
    const store = new MemoryAuditStore()
    const errors: unknown[] = []
    const recorder = createAuditRecorder({
      store,
      clock: new ManualClock(),
      onError: (e) => errors.push(e),
      flushEveryMs: 60_000,
    })
    store.failing = true
    recorder.record(record('a'))
    await recorder.flush()
    expect(errors).toHaveLength(1)
    expect(recorder.pending()).toBe(1)
    store.failing = false
    recorder.record(record('b'))
    await recorder.close()
    expect(store.rows.map((r) => r.action)).toEqual(['a', 'b'])
    expect((await verifyAuditChain(store)).intact).toBe(true)
  })

  it('drops the oldest entries beyond maxBuffered, and counts them', async () => {
    const store = new MemoryAuditStore()
    let dropped = 0
    const recorder = createAuditRecorder({
      store,
      clock: new ManualClock(),
      onError: () => undefined,
      observer: { onAppended: () => undefined, onDropped: (n) => (dropped += n) },
      maxBuffered: 2,
      flushEveryMs: 60_000,
    })
    for (const action of ['a', 'b', 'c']) recorder.record(record(action))
    await recorder.close()
    expect(dropped).toBe(1)
    expect(store.rows.map((r) => r.action)).toEqual(['b', 'c'])
  })

  it('flushes on close, and appends what is recorded after it', async () => {
    const store = new MemoryAuditStore()
    const recorder = createAuditRecorder({
      store,
      clock: new ManualClock(),
      onError: () => undefined,
      flushEveryMs: 60_000,
    })
    recorder.record(record('a'))
    await recorder.close()
    expect(store.rows).toHaveLength(1)
    recorder.record(record('late'))
    await recorder.flush()
    expect(store.rows.map((r) => r.action)).toEqual(['a', 'late'])
  })
})

describe('DeniedThrottle', () => {
  it('records the first failure per address per window and summarizes the rest', () => {
    const throttle = new DeniedThrottle(60_000)
    expect(throttle.hit('1.1.1.1', 0)).toBe(true)
    expect(throttle.hit('1.1.1.1', 10_000)).toBe(false)
    expect(throttle.hit('1.1.1.1', 20_000)).toBe(false)
    expect(throttle.hit('2.2.2.2', 20_000)).toBe(true)
    expect(throttle.closed(30_000)).toEqual([])
    expect(throttle.closed(60_000)).toEqual([{ ip: '1.1.1.1', count: 3, from: 0 }])
    // A window with one failure needs no summary; a new window records again.
    expect(throttle.closed(80_000)).toEqual([])
    expect(throttle.hit('1.1.1.1', 90_000)).toBe(true)
    expect(throttle.hit('1.1.1.1', 91_000)).toBe(false)
    expect(throttle.closed(91_000, true)).toEqual([{ ip: '1.1.1.1', count: 2, from: 90_000 }])
  })

  it('summarizes a window closed by the next failure of the same address', () => {
    const throttle = new DeniedThrottle(60_000)
    throttle.hit('1.1.1.1', 0)
    throttle.hit('1.1.1.1', 1000)
    expect(throttle.hit('1.1.1.1', 70_000)).toBe(true)
    expect(throttle.closed(70_000)).toEqual([{ ip: '1.1.1.1', count: 2, from: 0 }])
  })
})

describe('TokenUseTracker', () => {
  it('says yes once per token per hour', () => {
    const tracker = new TokenUseTracker()
    expect(tracker.firstUse('admin:a', 0)).toBe(true)
    expect(tracker.firstUse('admin:a', 3_599_999)).toBe(false)
    expect(tracker.firstUse('admin:b', 10)).toBe(true)
    expect(tracker.firstUse('admin:a', 3_600_000)).toBe(true)
  })
})
