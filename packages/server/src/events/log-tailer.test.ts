import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { buildEventItem, buildLogEntries, buildRejectionItem } from '../testing/builders.js'
import type { EventLog, LogEntry } from './event-log.js'
import { createLogTailer, type LogTailer } from './log-tailer.js'

function fakeLog(): EventLog & { add: (n: number) => LogEntry[] } {
  const entries: LogEntry[] = []
  return {
    add(n) {
      const added = buildLogEntries(
        entries.length + 1,
        Array.from({ length: n }, (_, i) => (i % 2 ? buildRejectionItem() : buildEventItem())),
      )
      entries.push(...added)
      return added
    },
    append: () => Promise.reject(new Error('not used')),
    prepare: () => {
      throw new Error('not used')
    },
    appendPrepared: () => Promise.reject(new Error('not used')),
    read: (after, limit) =>
      Promise.resolve(entries.filter((e) => e.offset > after).slice(0, limit)),
    head: () => Promise.resolve(entries.at(-1)?.offset ?? 0),
    release: () => Promise.resolve(),
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve))
}

const offsets = (batches: LogEntry[][]): number[] => batches.flat().map((e) => e.offset)

describe('createLogTailer', () => {
  let tailer: LogTailer | null = null
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
  })
  afterEach(() => {
    tailer?.stop()
    tailer = null
    vi.useRealTimers()
  })

  it('delivers entries appended after subscription, in order, on poke and on the interval', async () => {
    const log = fakeLog()
    log.add(3) // before the tailer: never delivered
    const errors: unknown[] = []
    tailer = createLogTailer(log, { intervalMs: 500, onError: (e) => errors.push(e) })
    await settle()
    expect(tailer.position()).toBe(3)
    const got: LogEntry[][] = []
    tailer.subscribe((entries) => got.push(entries))
    const first = log.add(2)
    tailer.poke()
    await settle()
    expect(got).toEqual([first])
    log.add(3) // another process: found by the interval, without a poke
    await settle()
    expect(offsets(got)).toEqual([4, 5])
    await vi.advanceTimersByTimeAsync(500)
    await settle()
    expect(offsets(got)).toEqual([4, 5, 6, 7, 8])
    expect(tailer.position()).toBe(8)
    expect(errors).toEqual([])
  })

  it('does not replay entries appended while nobody was subscribed', async () => {
    const log = fakeLog()
    tailer = createLogTailer(log, { intervalMs: 500, onError: () => undefined })
    await settle()
    log.add(2)
    tailer.poke()
    await settle()
    const got: LogEntry[][] = []
    tailer.subscribe((entries) => got.push(entries))
    log.add(1)
    tailer.poke()
    await settle()
    expect(offsets(got)).toEqual([3])
  })

  it('removes a subscriber that throws, reports it, and keeps serving the others', async () => {
    const log = fakeLog()
    const errors: unknown[] = []
    tailer = createLogTailer(log, { intervalMs: 500, onError: (e) => errors.push(e) })
    await settle()
    let badCalls = 0
    tailer.subscribe(() => {
      badCalls += 1
      throw new Error('socket gone')
    })
    const good: LogEntry[][] = []
    tailer.subscribe((entries) => good.push(entries))
    log.add(1)
    tailer.poke()
    await settle()
    log.add(2)
    tailer.poke()
    await settle()
    expect(badCalls).toBe(1)
    expect(errors).toHaveLength(1)
    expect((errors[0] as Error).message).toBe('socket gone')
    expect(offsets(good)).toEqual([1, 2, 3])
  })

  it('stops delivering after unsubscribe', async () => {
    const log = fakeLog()
    tailer = createLogTailer(log, { intervalMs: 500, onError: () => undefined })
    await settle()
    const got: LogEntry[][] = []
    const off = tailer.subscribe((entries) => got.push(entries))
    const keep: LogEntry[][] = []
    tailer.subscribe((entries) => keep.push(entries))
    log.add(1)
    tailer.poke()
    await settle()
    off()
    log.add(1)
    tailer.poke()
    await settle()
    expect(offsets(got)).toEqual([1])
    expect(offsets(keep)).toEqual([1, 2])
  })
})

describe('createLogTailer without subscribers', () => {
  afterEach(() => vi.useRealTimers())

  it('reads nothing on pokes and ticks, and the first subscriber starts from the head', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
    const log = fakeLog()
    const head = vi.spyOn(log, 'head')
    const read = vi.spyOn(log, 'read')
    const tailer = createLogTailer(log, { intervalMs: 500, onError: () => undefined })
    await settle()
    expect(head).toHaveBeenCalledTimes(1)
    for (let i = 0; i < 10; i++) {
      log.add(1)
      tailer.poke()
    }
    await vi.advanceTimersByTimeAsync(2000)
    await settle()
    expect(head).toHaveBeenCalledTimes(1)
    expect(read).not.toHaveBeenCalled()

    const got: LogEntry[][] = []
    tailer.subscribe((entries) => got.push(entries))
    log.add(2)
    tailer.poke()
    await settle()
    expect(head).toHaveBeenCalledTimes(2)
    expect(offsets(got)).toEqual([11, 12])
    tailer.stop()
  })
})
