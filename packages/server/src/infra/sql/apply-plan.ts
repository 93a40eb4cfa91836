import type { ApplyResult, LogEntry } from '../../events/index.js'
import type { LogRecord, RejectedRecord } from '../../protocol/index.js'

/** An event to insert, with its log offset (which becomes its `seq`). */
export interface PlannedEvent {
  offset: number
  record: LogRecord
}

/** What an {@link EventStore.apply} call has to write, after skipping applied entries. */
export interface ApplyPlan {
  events: PlannedEvent[]
  rejections: RejectedRecord[]
  skipped: number
  /** The consumer's offset after this apply. */
  offset: number
}

/**
 * Splits entries into events and rejections, dropping those at or below `committed` (already
 * applied by an earlier call). Adapters use it so every store skips the same way.
 */
export function planApply(entries: readonly LogEntry[], committed: number): ApplyPlan {
  const plan: ApplyPlan = { events: [], rejections: [], skipped: 0, offset: committed }
  for (const entry of entries) {
    if (entry.offset <= committed) {
      plan.skipped += 1
      continue
    }
    if (entry.kind === 'event') plan.events.push({ offset: entry.offset, record: entry.record })
    else plan.rejections.push(entry.record)
    if (entry.offset > plan.offset) plan.offset = entry.offset
  }
  return plan
}

/** The {@link ApplyResult} of a plan, given which of its events were newly stored. */
export function applyResult(
  plan: ApplyPlan,
  stored: readonly boolean[],
  quarantined = 0,
): ApplyResult {
  const storedCount = stored.filter(Boolean).length
  return {
    stored: storedCount,
    duplicates: stored.length - storedCount,
    quarantined,
    rejected: plan.rejections.length,
    skipped: plan.skipped,
    offset: plan.offset,
  }
}
