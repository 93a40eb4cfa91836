import { Gauge, type Registry } from 'prom-client'
import { ownHeap, type ThreadHeap } from './thread-heap.js'

/**
 * `tessera_thread_heap_bytes{thread, kind="used"|"total"}`: the V8 heap of every thread of the
 * process, the main thread's read at scrape time, each worker's as it last reported it (every
 * `HEAP_REPORT_MS`, so up to that old; a worker busy with a long batch reports after it).
 * `workers` lists the running workers' reports; a stopped worker is absent. The process's
 * resident memory is `tessera_process_process_resident_memory_bytes`; the difference is native
 * memory (SQLite page caches, buffers) and code.
 */
export function registerThreadHeapMetrics(registry: Registry, workers: () => ThreadHeap[]): void {
  new Gauge({
    name: 'tessera_thread_heap_bytes',
    help: 'V8 heap of each thread of the process (used and total), workers as last reported.',
    labelNames: ['thread', 'kind'],
    registers: [registry],
    collect() {
      this.reset()
      for (const heap of [{ thread: 'main', ...ownHeap() }, ...workers()]) {
        this.set({ thread: heap.thread, kind: 'used' }, heap.usedBytes)
        this.set({ thread: heap.thread, kind: 'total' }, heap.totalBytes)
      }
    },
  })
}
