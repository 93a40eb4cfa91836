import { useState } from 'react'
import type { MetricCounts } from '../../api/destination-types'
import { useApi } from '../../auth'
import { useLoad } from '../../components/useLoad'
import { CountsChart } from './CountsChart'
import { destinationsApi } from './destinationsApi'
import { ErrorSamples } from './ErrorSamples'
import { formatDuration } from './format'
import { LatencyChart } from './LatencyChart'
import { bucketSize, toBuckets } from './metricsModel'
import { ErrorNote } from './parts'

const RANGES = [
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { label: 'Last 24 hours', ms: 24 * 3_600_000 },
] as const

function Totals({ totals }: { totals: MetricCounts }) {
  const cards: Array<[string, string, string | number]> = [
    ['delivered', 'Delivered', totals.delivered],
    ['retried', 'Retried', totals.retried],
    ['failed', 'Failed', totals.failed],
    ['deadLettered', 'Dead-lettered', totals.deadLettered],
    ['filtered', 'Filtered', totals.filtered],
    [
      'latency',
      'Latency p50 / p95 / p99',
      [totals.latencyP50Ms, totals.latencyP95Ms, totals.latencyP99Ms]
        .map(formatDuration)
        .join(' / '),
    ],
  ]
  return (
    <div className="stat-cards dest-totals">
      {cards.map(([key, label, value]) => (
        <div key={key} className={`card stat-card dest-stat ${key}`} data-testid={`total-${key}`}>
          <div className="stat-label">{label}</div>
          <div className="stat-value">{value}</div>
        </div>
      ))}
    </div>
  )
}

/** Delivery counts and latency over time, and the recent errors. */
export function DeliveryTab({ id }: { id: string }) {
  const api = useApi()
  const [range, setRange] = useState<number>(RANGES[0].ms)
  const [refreshed, setRefreshed] = useState(0)
  const loaded = useLoad(async () => {
    const until = Date.now() + 60_000
    const [metrics, errors] = await Promise.all([
      destinationsApi.metrics(api, id, { since: until - range, until }),
      destinationsApi.errors(api, id),
    ])
    return { metrics, errors: errors.data }
  }, [api, id, range, refreshed])
  const metrics = loaded.data?.metrics
  const buckets = metrics ? toBuckets(metrics.minutes, metrics.since, metrics.until) : []
  return (
    <>
      <div className="toolbar">
        <div>
          <label htmlFor="delivery-range">Range</label>
          <select
            id="delivery-range"
            value={range}
            onChange={(e) => setRange(Number(e.target.value))}
          >
            {RANGES.map((r) => (
              <option key={r.ms} value={r.ms}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          className="button secondary"
          onClick={() => setRefreshed((n) => n + 1)}
        >
          Refresh
        </button>
      </div>
      <ErrorNote error={loaded.error} />
      {metrics && (
        <div className="dest-section">
          <Totals totals={metrics.totals} />
          <h3 className="dest-subhead">Events</h3>
          <CountsChart
            buckets={buckets}
            bucketMinutes={bucketSize(metrics.since, metrics.until) / 60_000}
          />
          <h3 className="dest-subhead">Latency (received to delivered)</h3>
          <LatencyChart buckets={buckets} />
        </div>
      )}
      {loaded.data && (
        <div className="dest-section">
          <h3 className="dest-subhead">Recent errors</h3>
          <ErrorSamples samples={loaded.data.errors} />
        </div>
      )}
    </>
  )
}
