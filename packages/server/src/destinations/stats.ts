/**
 * Accumulates a lane step's counters per minute, in the shape the store adds up
 * ({@link DeliveryStatsDelta}).
 */
import { LATENCY_BUCKETS_MS, type DeliveryStatsDelta } from './delivery-store.js'

type Counter = 'delivered' | 'retried' | 'failed' | 'filtered' | 'deadLettered'

const CAUSE_COUNTER = {
  consent: 'filteredConsent',
  preference: 'filteredPreference',
  restriction: 'filteredRestriction',
} as const

export class StatsAccumulator {
  private readonly byMinute = new Map<number, DeliveryStatsDelta>()

  private row(at: number): DeliveryStatsDelta {
    const minute = at - (at % 60_000)
    let row = this.byMinute.get(minute)
    if (!row) {
      row = {
        minute,
        delivered: 0,
        retried: 0,
        failed: 0,
        filtered: 0,
        filteredConsent: 0,
        filteredPreference: 0,
        filteredRestriction: 0,
        deadLettered: 0,
        latency: new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0),
      }
      this.byMinute.set(minute, row)
    }
    return row
  }

  count(counter: Counter, at: number, n = 1): void {
    if (n > 0) this.row(at)[counter] += n
  }

  /** Counts an event routing discarded; a privacy cause is also counted on its own. */
  filtered(at: number, cause?: keyof typeof CAUSE_COUNTER): void {
    const row = this.row(at)
    row.filtered++
    if (cause !== undefined) row[CAUSE_COUNTER[cause]]++
  }

  /** Counts a delivery and its ingest-to-delivery latency. */
  delivered(at: number, latencyMs: number): void {
    const row = this.row(at)
    row.delivered++
    row.latency[latencyBucket(latencyMs)]!++
  }

  /** The rows, and resets. */
  drain(): DeliveryStatsDelta[] {
    const rows = [...this.byMinute.values()]
    this.byMinute.clear()
    return rows
  }
}

/** Delivery counters and latency buckets, without their minute. */
export type DeliveryCounts = Omit<DeliveryStatsDelta, 'minute'>

/** The sum of counter rows (latency buckets added bucket by bucket). */
export function sumStats(rows: readonly DeliveryCounts[]): DeliveryCounts {
  const sum: DeliveryCounts = {
    delivered: 0,
    retried: 0,
    failed: 0,
    filtered: 0,
    filteredConsent: 0,
    filteredPreference: 0,
    filteredRestriction: 0,
    deadLettered: 0,
    latency: new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0),
  }
  for (const row of rows) {
    sum.delivered += row.delivered
    sum.retried += row.retried
    sum.failed += row.failed
    sum.filtered += row.filtered
    sum.filteredConsent += row.filteredConsent
    sum.filteredPreference += row.filteredPreference
    sum.filteredRestriction += row.filteredRestriction
    sum.deadLettered += row.deadLettered
    row.latency.forEach((n, i) => (sum.latency[i] = (sum.latency[i] ?? 0) + n))
  }
  return sum
}

export function latencyBucket(ms: number): number {
  for (let i = 0; i < LATENCY_BUCKETS_MS.length; i++) if (ms <= LATENCY_BUCKETS_MS[i]!) return i
  return LATENCY_BUCKETS_MS.length
}

/**
 * The `q` quantile (0..1) of bucketed latencies, as the upper bound of the bucket that holds
 * it (null when there is nothing; `Infinity` when it falls in the open bucket).
 */
export function latencyQuantile(buckets: readonly number[], q: number): number | null {
  const total = buckets.reduce((a, b) => a + b, 0)
  if (total === 0) return null
  const rank = Math.ceil(q * total)
  let seen = 0
  for (let i = 0; i < buckets.length; i++) {
    seen += buckets[i]!
    if (seen >= rank) return LATENCY_BUCKETS_MS[i] ?? Infinity
  }
  return Infinity
}
