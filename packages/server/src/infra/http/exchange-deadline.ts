/**
 * One exchange's abort signal: aborted when `timeoutMs` passes or the caller's signal aborts,
 * whichever comes first. Built by hand rather than with `AbortSignal.any([timeout, caller])`:
 * the caller's signal lives as long as the delivery engine, and `any` registers a dependant on
 * it per request that Node releases only after GC (nodejs/node#55351); here `dispose()`
 * removes the listener and the timer as soon as the exchange ends.
 */
export interface ExchangeDeadline {
  signal: AbortSignal
  /** True once the deadline, not the caller, aborted the exchange. */
  readonly timedOut: boolean
  /** True once the caller's signal aborted. */
  readonly callerAborted: boolean
  dispose(): void
}

export function startDeadline(timeoutMs: number, caller?: AbortSignal): ExchangeDeadline {
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort(new DOMException('exchange timed out', 'TimeoutError'))
  }, timeoutMs)
  const onAbort = (): void => controller.abort(caller?.reason)
  if (caller?.aborted) onAbort()
  else caller?.addEventListener('abort', onAbort, { once: true })
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut
    },
    get callerAborted() {
      return caller?.aborted ?? false
    },
    dispose() {
      clearTimeout(timer)
      caller?.removeEventListener('abort', onAbort)
    },
  }
}
