import { getHeapStatistics } from 'node:v8'

/** The size of a V8 heap. */
export interface HeapSize {
  usedBytes: number
  totalBytes: number
}

/** The V8 heap of one thread of the process, as it last reported it. */
export interface ThreadHeap extends HeapSize {
  /** `main`, or the worker's name (`store`, `identity`, `followers`, `delivery`). */
  thread: string
}

/** How often a worker thread reports its heap to the main thread. */
export const HEAP_REPORT_MS = 2000

/** The heap of the calling thread's isolate. */
export function ownHeap(): HeapSize {
  const stats = getHeapStatistics()
  return { usedBytes: stats.used_heap_size, totalBytes: stats.total_heap_size }
}

/** The report as a list of zero or one, for concatenating the threads of several hosts. */
export function present(heap: ThreadHeap | null): ThreadHeap[] {
  return heap === null ? [] : [heap]
}

/** Reads a `{type:'heap', usedBytes, totalBytes}` message of a worker, or null for any other. */
export function heapOf(thread: string, message: Record<string, unknown>): ThreadHeap | null {
  if (message.type !== 'heap') return null
  const { usedBytes, totalBytes } = message
  if (typeof usedBytes !== 'number' || typeof totalBytes !== 'number') return null
  return { thread, usedBytes, totalBytes }
}
