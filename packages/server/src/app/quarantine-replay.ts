import type { GroupCommitter, LogItem } from '../events/index.js'
import { toLogRecord, type QuarantinedEvent, type QuarantineStore } from '../plans/index.js'
import type { Clock } from '../platform/clock.js'

/** What one replay did. */
export interface ReplayResult {
  /** Events appended to the log and marked `replayed`. */
  replayed: number
  /** Events left quarantined because they are no longer a valid event, with the reason. */
  failed: Array<{ id: number; code: string; reason: string }>
}

/** Replays quarantined events through the log (see {@link createQuarantineReplayer}). */
export interface QuarantineReplayer {
  replay(events: readonly QuarantinedEvent[]): Promise<ReplayResult>
}

/**
 * Replays quarantined events: each (still `quarantined`) is normalized again as ingest does,
 * keeps its `messageId`, gets `context.protocols.replayed_from_quarantine = true` and its
 * original `receivedAt`, and is appended to the log through the group committer, the path
 * ingest uses, so the store step checks it against the plan current at that time. Statuses
 * become `replayed` only after the append is durable: a crash in between leaves them
 * quarantined and a second replay appends them again, which the store's dedupe by `messageId`
 * absorbs. An event blocked again by the current plan comes back as a new quarantined row (with
 * the violations of that plan); the row it was replayed from is marked `replayed`.
 * `refreshPlans` runs first, so a plan fixed just before the replay applies to it.
 */
export function createQuarantineReplayer(deps: {
  quarantine: QuarantineStore
  committer: GroupCommitter
  clock: Clock
  refreshPlans: () => Promise<void>
}): QuarantineReplayer {
  return {
    async replay(events) {
      const items: LogItem[] = []
      const ids: number[] = []
      const failed: ReplayResult['failed'] = []
      for (const event of events) {
        if (event.status !== 'quarantined') continue
        const result = toLogRecord(event.payload, {
          sourceId: event.sourceId,
          receivedAt: event.receivedAt,
          markReplayed: true,
        })
        if (!result.ok) {
          failed.push({ id: event.id, code: result.code, reason: result.reason })
          continue
        }
        items.push({ kind: 'event', record: result.record })
        ids.push(event.id)
      }
      if (items.length === 0) return { replayed: 0, failed }
      await deps.refreshPlans()
      // The status moves only after the append is durable: a failed append leaves every
      // event quarantined.
      await deps.committer.submit(items)
      const replayed = await deps.quarantine.setStatus(ids, 'replayed', deps.clock.now())
      return { replayed, failed }
    },
  }
}
