// tessera_thread_heap_bytes on the real embedded platform: the main thread and every worker
// thread it runs (store, identity, followers; delivery only while a destination exists) report
// their V8 heap, and a stopped thread drops out.
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

/** `{thread: {used, total}}` from `/metrics`. */
async function heaps(platform: TestPlatform): Promise<Record<string, Record<string, number>>> {
  const text = await (await fetch(`${platform.url}/metrics`)).text()
  const found: Record<string, Record<string, number>> = {}
  for (const m of text.matchAll(
    /^tessera_thread_heap_bytes\{thread="([^"]+)",kind="([^"]+)"\} (\S+)$/gm,
  )) {
    const [, thread = '', kind = '', value = ''] = m
    found[thread] = { ...found[thread], [kind]: Number(value) }
  }
  return found
}

/** Polls until `check` holds of the heaps (at most `timeoutMs`), and returns them. */
async function heapsWhen(
  platform: TestPlatform,
  check: (found: Record<string, Record<string, number>>) => boolean,
  timeoutMs = 8000,
): Promise<Record<string, Record<string, number>>> {
  const started = Date.now()
  for (;;) {
    const found = await heaps(platform)
    if (check(found) || Date.now() - started > timeoutMs) return found
    await sleep(200)
  }
}

describe('tessera_thread_heap_bytes', () => {
  it('reports the heap of the main thread and of each pipeline worker', async () => {
    tp = await startTestPlatform()
    const found = await heapsWhen(tp, (h) =>
      ['store', 'identity', 'followers'].every((t) => h[t] !== undefined),
    )
    expect(Object.keys(found).sort()).toEqual(['followers', 'identity', 'main', 'store'])
    for (const [thread, heap] of Object.entries(found)) {
      expect(heap.used, thread).toBeGreaterThan(1_000_000)
      expect(heap.total, thread).toBeGreaterThanOrEqual(heap.used ?? Infinity)
    }
  })

  it('reports the delivery thread while a destination exists, and drops it after', async () => {
    tp = await startTestPlatform()
    const created = await tp.admin('/api/v1/destinations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'hook',
        name: 'Hook',
        type: 'webhook',
        settings: { url: 'https://hooks.example.com/tessera' },
      }),
    })
    expect(created.status).toBe(201)
    const running = await heapsWhen(tp, (h) => h.delivery !== undefined)
    expect(running.delivery?.used).toBeGreaterThan(1_000_000)
    expect((await tp.admin('/api/v1/destinations/hook', { method: 'DELETE' })).status).toBe(204)
    const after = await heapsWhen(tp, (h) => h.delivery === undefined)
    expect(after.delivery).toBeUndefined()
    expect(after.store).toBeDefined()
  })
})
