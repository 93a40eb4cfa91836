import type { QualityMetric } from '../../api/governance-types'

export const METRIC_LABEL: Record<QualityMetric, string> = {
  volume: 'Volume',
  pass_share: 'Validation pass share',
  completeness: 'Completeness',
  duplicate_rate: 'Duplicate rate',
  identity_match_rate: 'Identity match rate',
}

/** A metric value: a count for volume, a percentage for shares, a dash when unknown. */
export function formatMetric(metric: QualityMetric, value: number | null): string {
  if (value === null) return '—'
  if (metric === 'volume') return value.toLocaleString()
  return `${Number((value * 100).toFixed(1))}%`
}

/** The time ranges the page offers: the summary's range and the chart's bucket. */
export const RANGES = [
  { id: '2h', label: 'Last 2 hours', bucket: 'minute', ms: 2 * 3_600_000 },
  { id: '24h', label: 'Last 24 hours', bucket: 'hour', ms: 24 * 3_600_000 },
  { id: '30d', label: 'Last 30 days', bucket: 'day', ms: 30 * 86_400_000 },
] as const
export type QualityRange = (typeof RANGES)[number]

/** A local date and time (epoch ms), or a dash. */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—'
  return new Date(ms).toLocaleString()
}

/** A bucket start as a label: time of minutes, date and time of hours, date of days. */
export function bucketLabel(ms: number, bucket: QualityRange['bucket']): string {
  const date = new Date(ms)
  const day = { month: 'short', day: 'numeric' } as const
  const time = { hour: '2-digit', minute: '2-digit' } as const
  if (bucket === 'day') return date.toLocaleDateString([], day)
  if (bucket === 'hour') return date.toLocaleString([], { ...day, ...time })
  return date.toLocaleTimeString([], time)
}
