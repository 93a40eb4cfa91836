import { Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { heapOf, ownHeap, present } from './thread-heap.js'
import { registerThreadHeapMetrics } from './thread-heap-metrics.js'

describe('thread heaps', () => {
  it('reads a worker heap report and ignores every other message', () => {
    expect(heapOf('store', { type: 'heap', usedBytes: 10, totalBytes: 20 })).toEqual({
      thread: 'store',
      usedBytes: 10,
      totalBytes: 20,
    })
    expect(heapOf('store', { type: 'applied', offset: 3 })).toBeNull()
    expect(heapOf('store', { type: 'heap', usedBytes: '10', totalBytes: 20 })).toBeNull()
  })

  it('measures the calling thread', () => {
    const heap = ownHeap()
    expect(heap.usedBytes).toBeGreaterThan(0)
    expect(heap.totalBytes).toBeGreaterThanOrEqual(heap.usedBytes)
  })

  it('lists a report as zero or one', () => {
    expect(present(null)).toEqual([])
    expect(present({ thread: 'x', usedBytes: 1, totalBytes: 2 })).toHaveLength(1)
  })

  it('exports the main thread and the workers reported at scrape time, and forgets stopped ones', async () => {
    const registry = new Registry()
    let workers = [{ thread: 'identity', usedBytes: 5_000_000, totalBytes: 8_000_000 }]
    registerThreadHeapMetrics(registry, () => workers)
    const first = await registry.metrics()
    expect(first).toMatch(/^tessera_thread_heap_bytes\{thread="main",kind="used"\} [1-9]\d*$/m)
    expect(first).toContain('tessera_thread_heap_bytes{thread="identity",kind="used"} 5000000')
    expect(first).toContain('tessera_thread_heap_bytes{thread="identity",kind="total"} 8000000')
    workers = []
    const second = await registry.metrics()
    expect(second).not.toContain('thread="identity"')
    expect(second).toContain('thread="main"')
  })
})
