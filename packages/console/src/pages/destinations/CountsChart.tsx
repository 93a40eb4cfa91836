import { minuteLabel } from './format'
import { COUNT_SERIES, type Bucket } from './metricsModel'

const WIDTH = 720
const HEIGHT = 180
const PAD_BOTTOM = 20

const SERIES_LABEL = {
  delivered: 'delivered',
  retried: 'retried',
  failed: 'failed',
  deadLettered: 'dead-lettered',
} as const

/** Stacked bars per bucket: delivered, retried, failed, dead-lettered. */
export function CountsChart({
  buckets,
  bucketMinutes,
}: {
  buckets: Bucket[]
  bucketMinutes: number
}) {
  const total = (b: Bucket): number => COUNT_SERIES.reduce((n, s) => n + b[s], 0)
  const max = Math.max(1, ...buckets.map(total))
  const slot = WIDTH / Math.max(1, buckets.length)
  const plot = HEIGHT - PAD_BOTTOM
  const first = buckets[0]
  const last = buckets[buckets.length - 1]
  const per = bucketMinutes === 1 ? 'min' : `${bucketMinutes} min`
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`Deliveries per ${per}`}
        data-testid="counts-chart"
      >
        <line x1={0} y1={plot} x2={WIDTH} y2={plot} className="chart-axis" />
        {buckets.map((bucket, i) => {
          let y = plot
          return (
            <g key={bucket.start}>
              <title>
                {`${minuteLabel(bucket.start)}: ${COUNT_SERIES.map((s) => `${bucket[s]} ${SERIES_LABEL[s]}`).join(', ')}`}
              </title>
              {COUNT_SERIES.map((series) => {
                const h = (bucket[series] / max) * (plot - 8)
                y -= h
                return h > 0 ? (
                  <rect
                    key={series}
                    className={`dest-bar ${series}`}
                    x={i * slot + 0.5}
                    y={y}
                    width={Math.max(1, slot - 1)}
                    height={h}
                  />
                ) : null
              })}
            </g>
          )
        })}
        {first && (
          <text x={0} y={HEIGHT - 4} className="chart-label">
            {minuteLabel(first.start)}
          </text>
        )}
        {last && (
          <text x={WIDTH} y={HEIGHT - 4} textAnchor="end" className="chart-label">
            {minuteLabel(last.start)}
          </text>
        )}
        <text x={0} y={12} className="chart-label">
          max {max}/{per}
        </text>
      </svg>
      <figcaption className="legend">
        {COUNT_SERIES.map((series) => (
          <span key={series}>
            <i className={`swatch dest-swatch ${series}`} aria-hidden="true" />{' '}
            {SERIES_LABEL[series]}
          </span>
        ))}
      </figcaption>
    </figure>
  )
}
