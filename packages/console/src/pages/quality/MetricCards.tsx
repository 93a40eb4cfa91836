import type { QualitySummary } from '../../api/governance-types'
import { formatMetric, METRIC_LABEL } from './format'

/** Change against the range before (`value − previous`): events, or percentage points. */
function changeText(metric: QualitySummary['metrics'][number]): string | null {
  if (metric.change === null) return null
  const sign = metric.change > 0 ? '+' : ''
  if (metric.metric === 'volume') return `${sign}${metric.change.toLocaleString()} vs before`
  return `${sign}${Number((metric.change * 100).toFixed(1))} pts vs before`
}

/** One card per metric over the range, with the change against the range before. */
export function MetricCards({ summary }: { summary: QualitySummary }) {
  return (
    <div className="stat-cards" aria-label="Quality metrics">
      {summary.metrics.map((m) => {
        const change = changeText(m)
        return (
          <div
            key={m.metric}
            className="card stat-card quality-card"
            data-testid={`metric-${m.metric}`}
          >
            <div className="stat-label">{METRIC_LABEL[m.metric]}</div>
            <div className="stat-value">{formatMetric(m.metric, m.value)}</div>
            <div className="muted small">
              {m.value === null ? 'not measurable' : (change ?? 'no earlier data')}
            </div>
          </div>
        )
      })}
      <div className="card stat-card quality-card" data-testid="open-incidents">
        <div className="stat-label">Open incidents</div>
        <div className="stat-value">{summary.openIncidents}</div>
      </div>
    </div>
  )
}
