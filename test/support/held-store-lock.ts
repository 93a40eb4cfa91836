// Holds the embedded store's write lock from another connection, as a long store batch or a
// checkpoint's fsync would, while a test works, and measures the longest stop of this thread's
// event loop meanwhile. A write that waits for the lock on the main thread stops the event
// loop (and the test's own timers) for as long, up to the busy timeout (5 s).
import { join } from 'node:path'
import Database from 'better-sqlite3'

/**
 * Runs `work` while another connection holds `<dataDir>/tessera.db`'s write lock, releases it
 * (also when `work` throws), and returns what `work` resolved to and the longest gap between
 * 10 ms ticks of the event loop seen while the lock was held, in milliseconds. To start
 * something that can only finish once the lock is free, resolve to an object holding its
 * promise (a promise resolved directly would be awaited with the lock still held).
 */
export async function holdingStoreLock<T>(
  dataDir: string,
  work: () => Promise<T>,
): Promise<{ value: T; worstGap: number }> {
  const db = new Database(join(dataDir, 'tessera.db'))
  let worstGap = 0
  let value: T
  try {
    db.exec('BEGIN IMMEDIATE')
    let last = performance.now()
    const ticks = setInterval(() => {
      const now = performance.now()
      worstGap = Math.max(worstGap, now - last)
      last = now
    }, 10)
    try {
      value = await work()
    } finally {
      clearInterval(ticks)
    }
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK')
    db.close()
  }
  return { value, worstGap }
}
