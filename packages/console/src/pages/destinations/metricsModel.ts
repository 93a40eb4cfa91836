import type { MetricMinute } from '../../api/destination-types'

export const COUNT_SERIES = ['delivered', 'retried', 'failed', 'deadLettered'] as const
export type CountSeries = (typeof COUNT_SERIES)[number]

export const LATENCY_SERIES = ['latencyP50Ms', 'latencyP95Ms', 'latencyP99Ms'] as const
export type LatencySeries = (typeof LATENCY_SERIES)[number]

export type Bucket = { start: number } & Record<CountSeries, number> &
  Record<LatencySeries, number | null>

const MINUTE = 60_000
/** At most this many bars, so a day stays readable (10-minute buckets). */
const MAX_BUCKETS = 144

/** The bucket length for a range: whole minutes, at most {@link MAX_BUCKETS} buckets. */
export function bucketSize(since: number, until: number): number {
  const minutes = Math.max(1, Math.ceil((until - since) / MINUTE))
  return Math.ceil(minutes / MAX_BUCKETS) * MINUTE
}

function empty(start: number): Bucket {
  return {
    start,
    delivered: 0,
    retried: 0,
    failed: 0,
    deadLettered: 0,
    latencyP50Ms: null,
    latencyP95Ms: null,
    latencyP99Ms: null,
  }
}

const worst = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.max(a, b)

/**
 * Minutes gathered into buckets covering [since, until), empty ones included. Counts add up;
 * a bucket's latency percentile is its worst minute's (percentiles do not add up).
 */
export function toBuckets(minutes: MetricMinute[], since: number, until: number): Bucket[] {
  const size = bucketSize(since, until)
  const first = Math.floor(since / size) * size
  const buckets: Bucket[] = []
  for (let start = first; start < until; start += size) buckets.push(empty(start))
  for (const m of minutes) {
    const bucket = buckets[Math.floor((m.minute - first) / size)]
    if (!bucket) continue
    for (const s of COUNT_SERIES) bucket[s] += m[s]
    for (const s of LATENCY_SERIES) bucket[s] = worst(bucket[s], m[s])
  }
  return buckets
}
