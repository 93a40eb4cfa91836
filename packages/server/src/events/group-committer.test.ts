import { describe, expect, it } from 'vitest'
import { buildEventItem } from '../testing/builders.js'
import type { AppendResult, EventLog, LogEntry, LogItem, PreparedItems } from './event-log.js'
import { createGroupCommitter } from './group-committer.js'

interface Deferred<T> {
  promise: Promise<T>
  resolve: (value: T) => void
  reject: (error: unknown) => void
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

interface AppendCall {
  items: readonly LogItem[]
  /** Completes the append with consecutive offsets (assigned when called, as a log does). */
  succeed: () => void
  fail: (error: unknown) => void
}

/** The fake log's prepared form: a copy of the items (the real logs encode them). */
class Copied implements PreparedItems {
  readonly count: number
  constructor(readonly items: readonly LogItem[]) {
    this.count = items.length
  }
}

/** An in-memory log whose appends complete only when the test says so. */
function fakeLog(): EventLog & { calls: AppendCall[]; prepared: number } {
  let next = 1
  const calls: AppendCall[] = []
  const log = {
    calls,
    prepared: 0,
    prepare(items: readonly LogItem[]): PreparedItems {
      if (items.some((item) => item.record.sourceId === 'unstorable')) {
        throw new Error('cannot encode this item')
      }
      log.prepared += 1
      return new Copied([...items])
    },
    appendPrepared(batches: readonly PreparedItems[]) {
      return log.append(batches.flatMap((batch) => (batch as Copied).items))
    },
    append(items: readonly LogItem[]) {
      const d = deferred<AppendResult>()
      const first = next
      next += items.length
      calls.push({
        items,
        succeed: () => d.resolve({ first, last: first + items.length - 1 }),
        fail: (error) => d.reject(error),
      })
      return d.promise
    },
    read: (): Promise<LogEntry[]> => Promise.resolve([]),
    head: () => Promise.resolve(next - 1),
    release: () => Promise.resolve(),
  }
  return log
}

/** Lets every pending promise callback and one event-loop turn run. */
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))
/** Runs pending promise callbacks without letting the event loop turn. */
async function microtasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve()
}

const items = (n: number): LogItem[] => Array.from({ length: n }, () => buildEventItem())

/** Tracks a promise's outcome without awaiting it. */
function track<T>(promise: Promise<T>): { state: () => 'pending' | 'resolved' | 'rejected' } {
  let state: 'pending' | 'resolved' | 'rejected' = 'pending'
  promise.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  )
  return { state: () => state }
}

describe('createGroupCommitter', () => {
  it('puts submissions of one tick into one append, in submission order', async () => {
    const log = fakeLog()
    const committer = createGroupCommitter(log)
    const a = items(3)
    const b = items(2)
    const c = items(1)
    const pa = committer.submit(a)
    const pb = committer.submit(b)
    const pc = committer.submit(c)
    expect(log.calls).toHaveLength(0) // not synchronously
    expect(committer.pending()).toBe(6)
    await tick()
    expect(log.calls).toHaveLength(1)
    expect(log.calls[0]?.items).toEqual([...a, ...b, ...c])
    expect(committer.pending()).toBe(0)
    log.calls[0]?.succeed()
    // Each submitter gets its own range inside the append.
    expect(await pa).toEqual({ first: 1, last: 3 })
    expect(await pb).toEqual({ first: 4, last: 5 })
    expect(await pc).toEqual({ first: 6, last: 6 })
  })

  it('reports each flush to the observer with its item count and offsets', async () => {
    const log = fakeLog()
    const flushes: Array<{ count: number; result: AppendResult }> = []
    const committer = createGroupCommitter(log, {
      onFlush: (info) => flushes.push({ count: info.count, result: info.result }),
    })
    const p = committer.submit(items(4))
    await tick()
    expect(flushes).toEqual([])
    log.calls[0]?.succeed()
    await p
    expect(flushes).toEqual([{ count: 4, result: { first: 1, last: 4 } }])
  })

  it('with maxInFlight 2 starts a second append while the first is pending, not a third', async () => {
    const log = fakeLog()
    const committer = createGroupCommitter(log, undefined, 2)
    const p1 = committer.submit(items(1))
    await tick()
    expect(log.calls).toHaveLength(1)
    const p2 = committer.submit(items(2))
    await tick()
    expect(log.calls).toHaveLength(2)
    const p3 = committer.submit(items(3))
    const p4 = committer.submit(items(1))
    await tick()
    await tick()
    expect(log.calls).toHaveLength(2)
    expect(committer.pending()).toBe(4)

    // As soon as the first ends, what arrived meanwhile goes out, without a timed wait.
    log.calls[0]?.succeed()
    await microtasks()
    expect(log.calls).toHaveLength(3)
    expect(log.calls[2]?.items).toHaveLength(4)
    expect(await p1).toEqual({ first: 1, last: 1 })

    log.calls[1]?.succeed()
    log.calls[2]?.succeed()
    expect(await p2).toEqual({ first: 2, last: 3 })
    expect(await p3).toEqual({ first: 4, last: 6 })
    expect(await p4).toEqual({ first: 7, last: 7 })
  })

  it('with maxInFlight 1 sends what arrived during an append right after it ends', async () => {
    const log = fakeLog()
    const committer = createGroupCommitter(log, undefined, 1)
    const p1 = committer.submit(items(1))
    await tick()
    const p2 = committer.submit(items(1))
    const p3 = committer.submit(items(2))
    await tick()
    expect(log.calls).toHaveLength(1)
    log.calls[0]?.succeed()
    await microtasks()
    expect(log.calls).toHaveLength(2)
    expect(log.calls[1]?.items).toHaveLength(3)
    log.calls[1]?.succeed()
    expect(await Promise.all([p1, p2, p3])).toEqual([
      { first: 1, last: 1 },
      { first: 2, last: 2 },
      { first: 3, last: 4 },
    ])
  })

  it('rejects exactly the submitters of a failed append; later submissions still work', async () => {
    const log = fakeLog()
    const committer = createGroupCommitter(log, undefined, 2)
    const a = track(committer.submit(items(1)))
    await tick()
    const failing1 = committer.submit(items(1))
    const failing2 = committer.submit(items(2))
    const f1 = track(failing1)
    const f2 = track(failing2)
    await tick()
    expect(log.calls).toHaveLength(2)
    const boom = new Error('disk full')
    log.calls[1]?.fail(boom)
    await expect(failing1).rejects.toBe(boom)
    await expect(failing2).rejects.toBe(boom)
    expect(a.state()).toBe('pending')
    log.calls[0]?.succeed()
    await microtasks()
    expect(a.state()).toBe('resolved')
    expect(f1.state()).toBe('rejected')
    expect(f2.state()).toBe('rejected')

    const later = committer.submit(items(2))
    await tick()
    expect(log.calls).toHaveLength(3)
    log.calls[2]?.succeed()
    const result = await later
    expect(result.last - result.first).toBe(1)
    await committer.drain()
  })

  it('prepares each submission when it is submitted, not at the flush', () => {
    const log = fakeLog()
    const committer = createGroupCommitter(log)
    void committer.submit(items(2))
    void committer.submit(items(1))
    // Both are in the log's own form before any append started.
    expect(log.prepared).toBe(2)
    expect(log.calls).toHaveLength(0)
    expect(committer.pending()).toBe(3)
  })

  it('rejects only the submission the log cannot prepare; the others are appended', async () => {
    const log = fakeLog()
    const committer = createGroupCommitter(log)
    const good = committer.submit(items(2))
    const bad = committer.submit([buildEventItem({ sourceId: 'unstorable' })])
    await expect(bad).rejects.toThrow('cannot encode this item')
    await tick()
    expect(log.calls).toHaveLength(1)
    expect(log.calls[0]?.items).toHaveLength(2)
    log.calls[0]?.succeed()
    await expect(good).resolves.toEqual({ first: 1, last: 2 })
  })

  it('drain() resolves only after everything submitted is appended', async () => {
    const log = fakeLog()
    const committer = createGroupCommitter(log, undefined, 1)
    await committer.drain() // idle: at once
    void committer.submit(items(1))
    const drained = track(committer.drain())
    await tick()
    void committer.submit(items(2)) // waits behind the first append
    await tick()
    expect(drained.state()).toBe('pending')
    log.calls[0]?.succeed()
    await microtasks()
    await tick()
    expect(log.calls).toHaveLength(2)
    expect(drained.state()).toBe('pending')
    log.calls[1]?.succeed()
    await microtasks()
    expect(drained.state()).toBe('resolved')
  })

  it('drain() resolves even when the last append failed', async () => {
    const log = fakeLog()
    const committer = createGroupCommitter(log)
    const p = committer.submit(items(1))
    p.catch(() => undefined)
    const drained = track(committer.drain())
    await tick()
    log.calls[0]?.fail(new Error('nope'))
    await microtasks()
    expect(drained.state()).toBe('resolved')
  })
})
