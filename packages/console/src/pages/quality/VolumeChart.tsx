import type { Anomaly, SeriesPoint } from '../../api/governance-types'
import { bucketLabel, type QualityRange } from './format'

const WIDTH = 720
const HEIGHT = 200
const PAD_TOP = 22
const PAD_BOTTOM = 20

const ANOMALY_LABEL: Record<Anomaly, string> = {
  drop: 'drop',
  spike: 'spike',
  silence: 'silence',
}

function pointTitle(p: SeriesPoint, bucket: QualityRange['bucket']): string {
  const expected = p.expected === null ? '' : `, expected ${Number(p.expected.toFixed(1))}`
  const anomaly = p.anomaly ? ` (${ANOMALY_LABEL[p.anomaly]})` : ''
  return `${bucketLabel(p.t, bucket)}: ${p.value ?? 0} events${expected}${anomaly}`
}

function Legend({ anomalies }: { anomalies: number }) {
  return (
    <figcaption className="legend">
      <span>
        <i className="swatch quality-volume" aria-hidden="true" /> events
      </span>
      <span>
        <i className="swatch quality-expected" aria-hidden="true" /> expected
      </span>
      <span>
        <i className="swatch quality-marker" aria-hidden="true" /> anomaly (drop, spike, silence):{' '}
        {anomalies}
      </span>
    </figcaption>
  )
}

/**
 * Events per bucket as bars, the detector's expected value as a line where it has one, and a
 * marker above every bucket it judged a drop, spike or silence.
 */
export function VolumeChart({
  points,
  bucket,
  title,
}: {
  points: SeriesPoint[]
  bucket: QualityRange['bucket']
  title: string
}) {
  const max = Math.max(1, ...points.map((p) => Math.max(p.value ?? 0, p.expected ?? 0)))
  const slot = WIDTH / Math.max(1, points.length)
  const plot = HEIGHT - PAD_BOTTOM
  const y = (v: number): number => plot - (v / max) * (plot - PAD_TOP)
  const expected = points
    .map((p, i) => (p.expected === null ? null : `${i * slot + slot / 2},${y(p.expected)}`))
    .filter((p): p is string => p !== null)
  const first = points[0]
  const last = points[points.length - 1]
  const anomalies = points.filter((p) => p.anomaly !== null).length
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={title}
        data-testid="volume-chart"
      >
        <line x1={0} y1={plot} x2={WIDTH} y2={plot} className="chart-axis" />
        {points.map((p, i) => (
          <g key={p.t} data-testid="volume-bucket" data-value={p.value ?? 0}>
            <title>{pointTitle(p, bucket)}</title>
            {(p.value ?? 0) > 0 && (
              <rect
                className={`bar quality-volume${p.anomaly ? ` ${p.anomaly}` : ''}`}
                x={i * slot + 0.5}
                y={y(p.value ?? 0)}
                width={Math.max(1, slot - 1)}
                height={plot - y(p.value ?? 0)}
              />
            )}
            {p.anomaly && (
              <path
                className={`quality-marker ${p.anomaly}`}
                data-testid={`anomaly-${p.anomaly}`}
                d={`M ${i * slot + slot / 2 - 5} 4 h 10 l -5 8 z`}
              />
            )}
          </g>
        ))}
        {expected.length > 1 && (
          <polyline className="quality-expected" points={expected.join(' ')} fill="none" />
        )}
        {first && (
          <text x={0} y={HEIGHT - 4} className="chart-label">
            {bucketLabel(first.t, bucket)}
          </text>
        )}
        {last && (
          <text x={WIDTH} y={HEIGHT - 4} textAnchor="end" className="chart-label">
            {bucketLabel(last.t, bucket)}
          </text>
        )}
        <text x={WIDTH} y={PAD_TOP - 6} textAnchor="end" className="chart-label">
          max {max}/{bucket}
        </text>
      </svg>
      <Legend anomalies={anomalies} />
    </figure>
  )
}
