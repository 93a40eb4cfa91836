import type { AlertSink, Transition } from './alert-events.js'
import type { AlertRules } from './alert-rules.js'
import { detect, optionsForBucket } from './detector.js'
import { MAX_POINTS, type QualityMetrics } from './metrics.js'
import type { AlertRule, Incident } from './model.js'
import type { QualityAlertStore } from './quality-store.js'

const MINUTE = 60_000
/** Incidents scanned per evaluation for alert events still to send. */
const PENDING_SCAN = 200

/** What one rule measured now: `violated` null when the metric could not be measured. */
export interface RuleState {
  violated: boolean | null
  observed: number | null
  expected: number | null
  /** `drop`, `spike`, `silence`, `below` or `above`. */
  condition: string
}

export interface EvaluatorDeps {
  rules: AlertRules
  store: QualityAlertStore
  metrics: QualityMetrics
  sink: AlertSink
  now: () => number
  /** Resolves once the counters include what was stored before the call (bounded). */
  catchUp?: () => Promise<void>
}

/**
 * Measures a rule at `now`. Threshold rules: the metric over the trailing window (the
 * `window` minutes up to and including the current one). Anomaly rules: the series in
 * buckets of `window` ending with the last complete bucket, judged by the detector against
 * its own history (README.md); the last bucket's verdict decides.
 */
export async function measureRule(
  metrics: QualityMetrics,
  rule: AlertRule,
  now: number,
): Promise<RuleState> {
  const scope = {
    metric: rule.metric,
    ...(rule.source === null ? {} : { sourceId: rule.source }),
    ...(rule.event === null ? {} : { event: rule.event }),
  }
  if (rule.condition.kind !== 'anomaly') {
    const to = Math.floor(now / MINUTE) * MINUTE + MINUTE
    const total = await metrics.total({ ...scope, from: to - rule.windowMs, to })
    const { kind, threshold } = rule.condition
    const violated =
      total.value === null
        ? null
        : kind === 'below'
          ? total.value < threshold
          : total.value > threshold
    return { violated, observed: total.value, expected: threshold, condition: kind }
  }
  const bucketMs = rule.windowMs
  const options = optionsForBucket(bucketMs, rule.metric === 'volume')
  const period = options.period ?? 0
  const points = Math.min(MAX_POINTS, Math.max(48, period * (options.seasons ?? 7) + 1))
  const to = Math.floor(now / bucketMs) * bucketMs
  const series = await metrics.series({ ...scope, bucketMs, from: to - points * bucketMs, to })
  const verdicts = detect(
    series.map((p) => p.value),
    options,
  )
  const last = verdicts.at(-1)
  const observed = series.at(-1)?.value ?? null
  if (!last || observed === null) {
    return { violated: null, observed, expected: null, condition: 'anomaly' }
  }
  const measured = last.expected !== null || last.anomaly !== null
  return {
    violated: measured ? last.anomaly !== null : null,
    observed,
    expected: last.expected,
    condition: last.anomaly ?? 'anomaly',
  }
}

/** Evaluates rules, opens and resolves incidents and sends their alert events. */
export class AlertEvaluator {
  private running: Promise<void> | null = null

  constructor(private readonly deps: EvaluatorDeps) {}

  /**
   * One evaluation of every rule (calls never overlap: a call during a run waits for it).
   * A rule whose metric is unknown (null) keeps its state. A rule failing to evaluate is
   * reported and the others still run. Then every incident transition not yet sent is
   * appended to its notify source's log; a failed append is retried at the next evaluation
   * (the message id is per transition, so nothing is delivered twice by the store).
   */
  evaluate(onError: (error: unknown) => void = () => undefined): Promise<void> {
    this.running ??= this.run(onError).finally(() => {
      this.running = null
    })
    return this.running
  }

  /** Resolves once the evaluation in progress (if any) has ended; never starts one. */
  async settled(): Promise<void> {
    await this.running?.catch(() => undefined)
  }

  private async run(onError: (error: unknown) => void): Promise<void> {
    const { store, metrics, now } = this.deps
    await this.deps.catchUp?.()
    const at = now()
    for (const rule of await this.deps.rules.list()) {
      try {
        const state = await measureRule(metrics, rule, at)
        const [open] = await store.incidents({ status: 'open', ruleId: rule.id, limit: 1 })
        if (state.violated === true && !open) {
          await store.saveIncident(openIncident(rule, state, at))
        }
        if (state.violated === false && open) {
          await store.saveIncident({
            ...open,
            status: 'resolved',
            resolvedAt: at,
            resolvedObserved: state.observed,
          })
        }
      } catch (error) {
        onError(error)
      }
    }
    await this.sendPending(onError)
  }

  private async sendPending(onError: (error: unknown) => void): Promise<void> {
    const { store } = this.deps
    const recent = await store.incidents({ limit: PENDING_SCAN })
    const open = await store.incidents({ status: 'open', limit: PENDING_SCAN })
    const byId = new Map([...recent, ...open].map((i) => [i.id, i]))
    // Oldest first, so an incident's opening is sent before its resolution.
    for (const incident of [...byId.values()].sort((a, b) => a.openedAt - b.openedAt)) {
      if (incident.notifySourceId === null) continue
      const transitions: Transition[] = []
      if (incident.openNotifiedAt === null) transitions.push('opened')
      if (incident.status === 'resolved' && incident.resolveNotifiedAt === null) {
        transitions.push('resolved')
      }
      let current = incident
      for (const transition of transitions) {
        try {
          await this.deps.sink.append(current, transition, incident.notifySourceId)
          const sentAt = this.deps.now()
          current =
            transition === 'opened'
              ? { ...current, openNotifiedAt: sentAt }
              : { ...current, resolveNotifiedAt: sentAt }
          await store.saveIncident(current)
        } catch (error) {
          onError(error)
          break
        }
      }
    }
  }
}

function openIncident(rule: AlertRule, state: RuleState, at: number): Incident {
  return {
    id: `${rule.id}-${at.toString(36)}`,
    ruleId: rule.id,
    ruleName: rule.name,
    metric: rule.metric,
    sourceId: rule.source,
    event: rule.event,
    severity: rule.severity,
    critical: rule.critical,
    condition: state.condition,
    threshold: rule.condition.kind === 'anomaly' ? null : rule.condition.threshold,
    notifySourceId: rule.notify?.sourceId ?? null,
    status: 'open',
    openedAt: at,
    resolvedAt: null,
    ackedAt: null,
    ackedBy: null,
    observed: state.observed,
    expected: state.expected,
    resolvedObserved: null,
    openNotifiedAt: null,
    resolveNotifiedAt: null,
  }
}
