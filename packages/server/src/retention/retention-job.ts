import type { RetentionConfig } from './config.js'
import { compileRetention, quarantinedCutoff, rejectedCutoff } from './policy.js'
import type { RetentionStore } from './retention-store.js'

/** What one run deleted, and when it ran. */
export interface RetentionRunReport {
  startedAt: number
  finishedAt: number
  durationMs: number
  /** Raw events deleted per policy label. */
  events: Record<string, number>
  /** Dead letters deleted per policy label. */
  deadLetters: Record<string, number>
  rejected: number
  /** Quarantined events deleted (blocked by a plan or PII rule; any status). */
  quarantined: number
  orphanRetries: number
  /** Received time of the oldest raw event left, or null when none is. */
  oldestEventAt: number | null
}

const yieldToOthers = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** Repeats `batch` until it deletes fewer than `limit` rows, yielding between batches. */
async function drain(batch: () => Promise<number>, limit: number): Promise<number> {
  let total = 0
  for (;;) {
    const deleted = await batch()
    total += deleted
    if (deleted < limit) return total
    await yieldToOthers()
  }
}

/**
 * One retention run at `now`: for each policy in order (then the default), deletes its raw
 * events and dead letters older than its cutoff, batch by batch; then rejected events; then
 * quarantined events; then retries whose event is gone. Aggregates (ingest and delivery stats, profiles, traits, the
 * identity graph) are never touched. Stops at the first store failure (rejects; what was
 * deleted stays deleted, the next run goes on). Idempotent.
 */
export async function runRetention(
  store: RetentionStore,
  config: RetentionConfig,
  now: () => number,
): Promise<RetentionRunReport> {
  const startedAt = now()
  const limit = config.schedule.batchSize
  const events: Record<string, number> = {}
  const deadLetters: Record<string, number> = {}
  for (const rule of compileRetention(config, startedAt)) {
    events[rule.label] = await drain(() => store.deleteEvents(rule, limit), limit)
    deadLetters[rule.label] = await drain(() => store.deleteDeadLetters(rule, limit), limit)
  }
  const cutoff = rejectedCutoff(config, startedAt)
  const rejected =
    cutoff === null ? 0 : await drain(() => store.deleteRejected(cutoff, limit), limit)
  const quarantineCut = quarantinedCutoff(config, startedAt)
  const quarantined =
    quarantineCut === null
      ? 0
      : await drain(() => store.deleteQuarantined(quarantineCut, limit), limit)
  const orphanRetries = await drain(() => store.deleteOrphanRetries(limit), limit)
  const oldestEventAt = await store.oldestEventAt()
  const finishedAt = now()
  return {
    startedAt,
    finishedAt,
    durationMs: finishedAt - startedAt,
    events,
    deadLetters,
    rejected,
    quarantined,
    orphanRetries,
    oldestEventAt,
  }
}
