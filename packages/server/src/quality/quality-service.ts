import type { AlertEvaluator } from './alert-evaluator.js'
import type { AlertRules } from './alert-rules.js'
import { detect, optionsForBucket, type AnomalyKind } from './detector.js'
import { QualityErrors } from './errors.js'
import type { QualityMetrics, SeriesQuery } from './metrics.js'
import { QUALITY_METRICS, type Incident, type QualityMetric, type SeriesPoint } from './model.js'
import type { QualityAlertStore } from './quality-store.js'

/** A series point with the detector's verdict. */
export interface FlaggedPoint extends SeriesPoint {
  expected: number | null
  anomaly: AnomalyKind | null
}

/** One metric in the summary: over the range and over the range before it. */
export interface MetricSummary {
  metric: QualityMetric
  value: number | null
  previous: number | null
  /** `value − previous`; null when either is unknown. */
  change: number | null
  denominator: number
}

export interface QualitySummary {
  from: number
  to: number
  sourceId: string | null
  metrics: MetricSummary[]
  openIncidents: number
}

export interface QualityServiceDeps {
  metrics: QualityMetrics
  rules: AlertRules
  store: QualityAlertStore
  evaluator: AlertEvaluator
  now: () => number
  /** Resolves once the counters include what was stored before the call (bounded). */
  catchUp: () => Promise<void>
}

const MINUTE = 60_000

/** The data-quality API's logic: metrics, series with anomaly flags, rules, incidents. */
export class QualityService {
  constructor(private readonly deps: QualityServiceDeps) {}

  get rules(): AlertRules {
    return this.deps.rules
  }

  /** Every metric over the `rangeMs` up to now, with the range before it for the trend. */
  async summary(options: {
    sourceId?: string | undefined
    rangeMs: number
  }): Promise<QualitySummary> {
    await this.deps.catchUp()
    const to = Math.floor(this.deps.now() / MINUTE) * MINUTE + MINUTE
    const from = to - options.rangeMs
    const scope = options.sourceId === undefined ? {} : { sourceId: options.sourceId }
    const metrics: MetricSummary[] = []
    for (const metric of QUALITY_METRICS) {
      const now = await this.deps.metrics.total({ metric, ...scope, from, to })
      const before = await this.deps.metrics.total({
        metric,
        ...scope,
        from: from - options.rangeMs,
        to: from,
      })
      metrics.push({
        metric,
        value: now.value,
        previous: before.value,
        change: now.value === null || before.value === null ? null : now.value - before.value,
        denominator: now.denominator,
      })
    }
    const open = await this.deps.store.incidents({ status: 'open', limit: 1000 })
    return {
      from,
      to,
      sourceId: options.sourceId ?? null,
      metrics,
      openIncidents: open.filter(
        (i) =>
          options.sourceId === undefined || i.sourceId === null || i.sourceId === options.sourceId,
      ).length,
    }
  }

  /** The series with each point judged by the anomaly detector against the points before it. */
  async series(query: SeriesQuery): Promise<FlaggedPoint[]> {
    await this.deps.catchUp()
    const points = await this.deps.metrics.series(query)
    const verdicts = detect(
      points.map((p) => p.value),
      optionsForBucket(query.bucketMs, query.metric === 'volume'),
    )
    return points.map((p, i) => ({
      ...p,
      expected: verdicts[i]?.expected ?? null,
      anomaly: verdicts[i]?.anomaly ?? null,
    }))
  }

  incidents(filter: {
    status?: 'open' | 'resolved'
    ruleId?: string
    limit: number
  }): Promise<Incident[]> {
    return this.deps.store.incidents(filter)
  }

  async incident(id: string): Promise<Incident> {
    const incident = await this.deps.store.incident(id)
    if (!incident) throw QualityErrors.incidentNotFound(undefined, { details: { id } })
    return incident
  }

  /** Marks an incident seen by `actor`; acknowledging twice keeps the first. */
  async ack(id: string, actor: string): Promise<Incident> {
    const incident = await this.incident(id)
    if (incident.ackedAt !== null) return incident
    const acked = { ...incident, ackedAt: this.deps.now(), ackedBy: actor }
    await this.deps.store.saveIncident(acked)
    return acked
  }

  /** Runs an evaluation now (the schedule also runs them). */
  evaluate(): Promise<void> {
    return this.deps.evaluator.evaluate()
  }
}
