import type { StatsRow } from '../../api/types'

export interface MinuteBucket {
  /** Start of the minute, epoch ms. */
  minute: number
  accepted: number
  duplicates: number
  rejected: number
}

export interface Totals {
  accepted: number
  duplicates: number
  rejected: number
  bytes: number
}

const MINUTE = 60_000

/** Sums rows over sources into one bucket per minute for the `count` minutes up to `now`. */
export function bucketByMinute(rows: StatsRow[], now: number, count = 60): MinuteBucket[] {
  const last = Math.floor(now / MINUTE) * MINUTE
  const first = last - (count - 1) * MINUTE
  const buckets: MinuteBucket[] = []
  for (let i = 0; i < count; i++) {
    buckets.push({ minute: first + i * MINUTE, accepted: 0, duplicates: 0, rejected: 0 })
  }
  for (const row of rows) {
    if (row.minute === null) continue
    const bucket = buckets[(Date.parse(row.minute) - first) / MINUTE]
    if (!bucket) continue
    bucket.accepted += row.accepted
    bucket.duplicates += row.duplicates
    bucket.rejected += row.rejected
  }
  return buckets
}

export function totalsOf(rows: StatsRow[]): Totals {
  const totals: Totals = { accepted: 0, duplicates: 0, rejected: 0, bytes: 0 }
  for (const row of rows) {
    totals.accepted += row.accepted
    totals.duplicates += row.duplicates
    totals.rejected += row.rejected
    totals.bytes += row.bytes
  }
  return totals
}

/** Per-source totals, busiest first. */
export function totalsBySource(rows: StatsRow[]): Array<{ sourceId: string } & Totals> {
  const bySource = new Map<string, StatsRow[]>()
  for (const row of rows) bySource.set(row.sourceId, [...(bySource.get(row.sourceId) ?? []), row])
  return [...bySource.entries()]
    .map(([sourceId, list]) => ({ sourceId, ...totalsOf(list) }))
    .sort((a, b) => b.accepted - a.accepted)
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
