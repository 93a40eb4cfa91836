import type { LogRecord, RejectedRecord } from '../../protocol/index.js'

/** Per-source, per-minute counter increments for one commit. */
export interface StatsIncrement {
  sourceId: string
  minute: number
  accepted: number
  duplicates: number
  rejected: number
  bytes: number
}

/**
 * Sums a commit's outcome into counter increments, keyed by source and minute. `bytes` counts
 * the UTF-8 size of stored payloads (accepted records only).
 */
export function summarizeCommit(
  records: readonly LogRecord[],
  stored: readonly boolean[],
  rejected: readonly RejectedRecord[],
): StatsIncrement[] {
  const byKey = new Map<string, StatsIncrement>()
  const bucket = (sourceId: string, receivedAt: number): StatsIncrement => {
    const minute = receivedAt - (receivedAt % 60_000)
    const key = `${sourceId}\u0000${minute}`
    let inc = byKey.get(key)
    if (!inc) {
      inc = { sourceId, minute, accepted: 0, duplicates: 0, rejected: 0, bytes: 0 }
      byKey.set(key, inc)
    }
    return inc
  }
  records.forEach((record, i) => {
    const inc = bucket(record.sourceId, record.receivedAt)
    if (stored[i]) {
      inc.accepted += 1
      inc.bytes += Buffer.byteLength(record.payload)
    } else {
      inc.duplicates += 1
    }
  })
  for (const r of rejected) bucket(r.sourceId, r.receivedAt).rejected += 1
  return [...byKey.values()]
}
