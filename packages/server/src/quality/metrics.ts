import { QualityErrors } from './errors.js'
import type { QualityMetric, SeriesPoint } from './model.js'
import type { IdentityMatch, PlanOutcomes, QualityCounters } from './quality-store.js'

/** Most points one series may have. */
export const MAX_POINTS = 5000

/** What a series is asked for: `[from, to)` cut in buckets of `bucketMs` (aligned to epoch). */
export interface SeriesQuery {
  metric: QualityMetric
  sourceId?: string | undefined
  event?: string | undefined
  bucketMs: number
  from: number
  to: number
}

/** A metric's total over a range: `value` null when nothing was measured. */
export interface MetricTotal {
  value: number | null
  numerator: number
  denominator: number
}

export interface MetricsDeps {
  counters: QualityCounters
  plans: PlanOutcomes
  identity: IdentityMatch
}

const MINUTE = 60_000

/** Accumulates numerator/denominator per bucket. */
class Buckets {
  readonly num = new Map<number, number>()
  readonly den = new Map<number, number>()
  constructor(private readonly bucketMs: number) {}
  add(t: number, numerator: number, denominator: number): void {
    const b = Math.floor(t / this.bucketMs) * this.bucketMs
    this.num.set(b, (this.num.get(b) ?? 0) + numerator)
    this.den.set(b, (this.den.get(b) ?? 0) + denominator)
  }
}

/** Aligns `[from, to)` to whole buckets; throws `QUALITY_INVALID_QUERY` when too long. */
export function alignRange(
  from: number,
  to: number,
  bucketMs: number,
): { from: number; to: number } {
  const start = Math.floor(from / bucketMs) * bucketMs
  const end = Math.ceil(to / bucketMs) * bucketMs
  if (end <= start) throw QualityErrors.invalidQuery('`to` must be after `from`.')
  if ((end - start) / bucketMs > MAX_POINTS) {
    throw QualityErrors.invalidQuery(
      `At most ${MAX_POINTS} points per series: use a larger bucket.`,
    )
  }
  return { from: start, to: end }
}

/**
 * Computes metric series and totals from the counters (see README.md for each definition).
 * Shares are `numerator / denominator` per bucket, null where the denominator is 0; volume
 * is the count itself (0 where nothing arrived). Reads only; never waits for consumers.
 */
export class QualityMetrics {
  constructor(private readonly deps: MetricsDeps) {}

  /** Numerator and denominator per bucket, or null when the metric cannot be measured. */
  private async collect(q: SeriesQuery): Promise<Buckets | null> {
    const { counters } = this.deps
    const b = new Buckets(q.bucketMs)
    const filter = {
      since: q.from,
      until: q.to,
      ...(q.sourceId === undefined ? {} : { sourceId: q.sourceId }),
      ...(q.event === undefined ? {} : { eventName: q.event }),
    }
    switch (q.metric) {
      case 'volume':
        for (const r of await counters.volume(filter)) b.add(r.minute, r.count, r.count)
        return b
      case 'completeness':
        for (const r of await counters.completeness(filter)) b.add(r.minute, r.present, r.checked)
        return b
      case 'pass_share': {
        const rows = await this.deps.plans.outcomes(filter)
        if (rows === null) return null
        for (const r of rows) b.add(r.minute, r.passed, r.checked)
        return b
      }
      case 'duplicate_rate': {
        const { eventName: _ignored, ...perSource } = filter
        for (const r of await counters.duplicates(perSource)) {
          b.add(r.minute, r.duplicates, r.accepted + r.duplicates)
        }
        return b
      }
      case 'identity_match_rate': {
        const rows = await this.deps.identity.matchRate({
          since: q.from,
          until: q.to,
          bucketMs: Math.max(MINUTE, q.bucketMs),
          ...(q.sourceId === undefined ? {} : { sourceId: q.sourceId }),
        })
        for (const r of rows) b.add(r.bucket, r.known, r.anonymous)
        return b
      }
    }
  }

  /** The series over `q` (aligned to whole buckets), one point per bucket. */
  async series(q: SeriesQuery): Promise<SeriesPoint[]> {
    const range = alignRange(q.from, q.to, q.bucketMs)
    const aligned = { ...q, ...range }
    const b = await this.collect(aligned)
    const points: SeriesPoint[] = []
    for (let t = range.from; t < range.to; t += q.bucketMs) {
      const num = b?.num.get(t) ?? 0
      const den = b?.den.get(t) ?? 0
      const value = b === null ? null : q.metric === 'volume' ? num : den === 0 ? null : num / den
      points.push({ t, value, denominator: den })
    }
    return points
  }

  /** The metric over the whole of `[from, to)` (not aligned). */
  async total(q: Omit<SeriesQuery, 'bucketMs'>): Promise<MetricTotal> {
    const span = Math.max(MINUTE, q.to - q.from)
    const b = await this.collect({ ...q, bucketMs: span * 4 })
    if (b === null) return { value: null, numerator: 0, denominator: 0 }
    let numerator = 0
    let denominator = 0
    for (const v of b.num.values()) numerator += v
    for (const v of b.den.values()) denominator += v
    const value =
      q.metric === 'volume' ? numerator : denominator === 0 ? null : numerator / denominator
    return { value, numerator, denominator }
  }
}
