/**
 * Sends a window of events to one destination: cuts it into batches (events and bytes),
 * sends up to `concurrency` batches at once under the rate limit, and returns one outcome
 * per event with the attempt it made. A driver that throws gets `retry` / `DRIVER_ERROR` for
 * its whole batch; nothing here throws for a delivery failure.
 */
import type { DeliveryOptions, DeliveryEvent } from './model.js'
import type { AttemptRecord } from './delivery-store.js'
import type { DeliveryOutcome, DestinationDriver } from './driver.js'
import type { TokenBucket } from './rate-limit.js'

export interface SentEvent {
  event: DeliveryEvent
  outcome: DeliveryOutcome
  attempt: AttemptRecord
}

export interface SendWindowOptions {
  driver: DestinationDriver
  delivery: DeliveryOptions
  /** Largest batch the destination type takes. */
  maxBatchSize: number
  attempt: number
  signal: AbortSignal
  now: () => number
  limiter: TokenBucket | null
  sleep: (ms: number) => Promise<void>
}

/** Splits events into batches of at most `size` events and about `bytes` bytes, in order. */
export function cutBatches(
  events: readonly DeliveryEvent[],
  size: number,
  bytes: number,
): DeliveryEvent[][] {
  const batches: DeliveryEvent[][] = []
  let current: DeliveryEvent[] = []
  let currentBytes = 0
  for (const event of events) {
    const length = event.json?.length ?? JSON.stringify(event.event).length
    if (current.length > 0 && (current.length >= size || currentBytes + length > bytes)) {
      batches.push(current)
      current = []
      currentBytes = 0
    }
    current.push(event)
    currentBytes += length
  }
  if (current.length > 0) batches.push(current)
  return batches
}

function attemptRecord(at: number, durationMs: number, outcome: DeliveryOutcome): AttemptRecord {
  const error = outcome.status === 'retry' || outcome.status === 'failed' ? outcome.error : null
  return {
    at,
    durationMs,
    code: error?.code ?? null,
    httpStatus: error?.httpStatus ?? null,
    message: error?.message ?? null,
  }
}

async function sendBatch(batch: DeliveryEvent[], options: SendWindowOptions): Promise<SentEvent[]> {
  if (options.limiter) await options.limiter.take(batch.length, options.sleep)
  const started = options.now()
  let outcomes: DeliveryOutcome[]
  try {
    outcomes = await options.driver.deliver(batch, {
      attempt: options.attempt,
      signal: options.signal,
      timeoutMs: options.delivery.timeoutMs,
    })
    if (outcomes.length !== batch.length) {
      throw new Error(`driver returned ${outcomes.length} outcomes for ${batch.length} events`)
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    outcomes = batch.map(() => ({ status: 'retry', error: { code: 'DRIVER_ERROR', message } }))
  }
  const ended = options.now()
  return batch.map((event, i) => ({
    event,
    outcome: outcomes[i]!,
    attempt: attemptRecord(started, ended - started, outcomes[i]!),
  }))
}

/** Sends every event of the window; results are in the window's order. */
export async function sendWindow(
  events: readonly DeliveryEvent[],
  options: SendWindowOptions,
): Promise<SentEvent[]> {
  const size = Math.max(1, Math.min(options.delivery.batchSize, options.maxBatchSize))
  const batches = cutBatches(events, size, options.delivery.batchBytes)
  const results: SentEvent[][] = new Array<SentEvent[]>(batches.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const index = next++
      results[index] = await sendBatch(batches[index]!, options)
    }
  }
  const workers = Math.min(options.delivery.concurrency, batches.length)
  await Promise.all(Array.from({ length: workers }, worker))
  return results.flat()
}
