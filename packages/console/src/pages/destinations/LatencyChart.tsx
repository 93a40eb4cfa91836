import { formatDuration, minuteLabel } from './format'
import { LATENCY_SERIES, type Bucket } from './metricsModel'

const WIDTH = 720
const HEIGHT = 160
const PAD_BOTTOM = 20
const PAD_TOP = 16

const LABEL = { latencyP50Ms: 'p50', latencyP95Ms: 'p95', latencyP99Ms: 'p99' } as const

/** p50, p95 and p99 of the ingest-to-delivery latency, as lines over the buckets that have any. */
export function LatencyChart({ buckets }: { buckets: Bucket[] }) {
  const max = Math.max(1, ...buckets.flatMap((b) => LATENCY_SERIES.map((s) => b[s] ?? 0)))
  const slot = WIDTH / Math.max(1, buckets.length)
  const plot = HEIGHT - PAD_BOTTOM
  const x = (i: number): number => i * slot + slot / 2
  const y = (ms: number): number => plot - (ms / max) * (plot - PAD_TOP)
  const hasData = buckets.some((b) => b.latencyP50Ms !== null)
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label="Delivery latency"
        data-testid="latency-chart"
      >
        <line x1={0} y1={plot} x2={WIDTH} y2={plot} className="chart-axis" />
        {LATENCY_SERIES.map((series) => {
          const points = buckets.flatMap((b, i) => {
            const v = b[series]
            return v === null ? [] : [`${x(i).toFixed(1)},${y(v).toFixed(1)}`]
          })
          return points.length > 0 ? (
            <g key={series} className={`dest-line ${series}`}>
              <polyline points={points.join(' ')} />
              {points.map((p) => {
                const [cx, cy] = p.split(',')
                return <circle key={p} cx={cx} cy={cy} r={2.5} />
              })}
            </g>
          ) : null
        })}
        {!hasData && (
          <text x={WIDTH / 2} y={plot / 2} textAnchor="middle" className="chart-label">
            No deliveries in this range
          </text>
        )}
        {buckets[0] && (
          <text x={0} y={HEIGHT - 4} className="chart-label">
            {minuteLabel(buckets[0].start)}
          </text>
        )}
        <text x={0} y={12} className="chart-label">
          max {formatDuration(max)}
        </text>
      </svg>
      <figcaption className="legend">
        {LATENCY_SERIES.map((series) => (
          <span key={series}>
            <i className={`swatch dest-swatch ${series}`} aria-hidden="true" /> {LABEL[series]}
          </span>
        ))}
      </figcaption>
    </figure>
  )
}
