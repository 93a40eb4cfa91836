import type { MinuteBucket } from './stats'

const WIDTH = 720
const HEIGHT = 180
const PAD_BOTTOM = 20
const SERIES = ['accepted', 'duplicates', 'rejected'] as const

function timeLabel(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
}

/** Stacked bars per minute: accepted, duplicates, rejected. */
export function StatsChart({ buckets }: { buckets: MinuteBucket[] }) {
  const max = Math.max(1, ...buckets.map((b) => b.accepted + b.duplicates + b.rejected))
  const slot = WIDTH / Math.max(1, buckets.length)
  const plot = HEIGHT - PAD_BOTTOM
  const first = buckets[0]
  const last = buckets[buckets.length - 1]
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label="Events per minute over the last hour"
        data-testid="stats-chart"
      >
        <line x1={0} y1={plot} x2={WIDTH} y2={plot} className="chart-axis" />
        {buckets.map((bucket, i) => {
          let y = plot
          return (
            <g key={bucket.minute}>
              <title>
                {`${timeLabel(bucket.minute)}: ${bucket.accepted} accepted, ${bucket.duplicates} duplicates, ${bucket.rejected} rejected`}
              </title>
              {SERIES.map((series) => {
                const h = (bucket[series] / max) * (plot - 8)
                y -= h
                return h > 0 ? (
                  <rect
                    key={series}
                    className={`bar ${series}`}
                    x={i * slot + 1}
                    y={y}
                    width={Math.max(1, slot - 2)}
                    height={h}
                  />
                ) : null
              })}
            </g>
          )
        })}
        {first && (
          <text x={0} y={HEIGHT - 4} className="chart-label">
            {timeLabel(first.minute)}
          </text>
        )}
        {last && (
          <text x={WIDTH} y={HEIGHT - 4} textAnchor="end" className="chart-label">
            {timeLabel(last.minute)}
          </text>
        )}
        <text x={WIDTH} y={12} textAnchor="end" className="chart-label">
          max {max}/min
        </text>
      </svg>
      <figcaption className="legend">
        {SERIES.map((series) => (
          <span key={series}>
            <i className={`swatch ${series}`} aria-hidden="true" /> {series}
          </span>
        ))}
      </figcaption>
    </figure>
  )
}
