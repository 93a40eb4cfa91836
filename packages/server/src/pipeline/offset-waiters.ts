/**
 * Promises that resolve when a consumer's position reaches an offset: `waitFor` resolves true
 * once `settle(position)` is called with `position >= offset`, or false after `timeoutMs`.
 * Used by the in-process runner and by the worker-thread host alike.
 */
export interface OffsetWaiters {
  waitFor(position: number, offset: number, timeoutMs: number): Promise<boolean>
  settle(position: number): void
}

export function createOffsetWaiters(): OffsetWaiters {
  const waiters: Array<{ offset: number; resolve: (ok: boolean) => void }> = []
  return {
    waitFor(position, offset, timeoutMs) {
      if (position >= offset) return Promise.resolve(true)
      return new Promise((resolve) => {
        const waiter = { offset, resolve }
        waiters.push(waiter)
        setTimeout(() => {
          const i = waiters.indexOf(waiter)
          if (i >= 0) {
            waiters.splice(i, 1)
            resolve(false)
          }
        }, timeoutMs).unref()
      })
    },
    settle(position) {
      for (let i = waiters.length - 1; i >= 0; i--) {
        const w = waiters[i]
        if (w && position >= w.offset) {
          waiters.splice(i, 1)
          w.resolve(true)
        }
      }
    },
  }
}
