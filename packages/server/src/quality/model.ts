/** The metrics this domain computes (see README.md for their exact definitions). */
export const QUALITY_METRICS = [
  'volume',
  'pass_share',
  'completeness',
  'duplicate_rate',
  'identity_match_rate',
] as const
export type QualityMetric = (typeof QUALITY_METRICS)[number]

/** Bucket sizes of a series. */
export const BUCKETS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const
export type Bucket = keyof typeof BUCKETS

/** The event name counters use for events without one (identify, group, alias, unnamed page). */
export const NO_NAME = ''
/** The event name counted in place of names past a source's cardinality cap. */
export const OTHER_NAME = '(other)'

/** Events counted per source, minute, event type and name (the `quality_volume` table). */
export interface VolumeRow {
  sourceId: string
  /** Start of the minute, epoch ms. */
  minute: number
  eventType: string
  eventName: string
  count: number
}

/** Required-property presence per source, minute, event name and property. */
export interface CompletenessRow {
  sourceId: string
  minute: number
  eventName: string
  property: string
  /** Events of that name checked for the property. */
  checked: number
  /** Of those, events carrying the property (present and not null). */
  present: number
}

/** Tracking-plan outcomes per source, minute and event (from plan enforcement). */
export interface PlanOutcomeRow {
  sourceId: string
  minute: number
  eventType: string
  eventName: string
  checked: number
  passed: number
}

/** Anonymous visitors first seen in a bucket, and how many of them are known now. */
export interface IdentityMatchRow {
  /** Start of the bucket, epoch ms. */
  bucket: number
  anonymous: number
  known: number
}

/** One point of a metric series: `value` is null when nothing was measured in the bucket. */
export interface SeriesPoint {
  /** Start of the bucket, epoch ms. */
  t: number
  value: number | null
  /** What the share is of (events checked, events accepted …); the count itself for volume. */
  denominator: number
}

export type AlertCondition =
  { kind: 'anomaly' } | { kind: 'below'; threshold: number } | { kind: 'above'; threshold: number }

export type Severity = 'info' | 'warning' | 'critical'

/** An alert rule, from the config file or the API. */
export interface AlertRule {
  id: string
  name: string
  metric: QualityMetric
  source: string | null
  event: string | null
  condition: AlertCondition
  /** Length of the evaluated window, ms (a whole number of minutes). */
  windowMs: number
  severity: Severity
  critical: boolean
  notify: { sourceId: string } | null
}

export type IncidentStatus = 'open' | 'resolved'

/** One firing of a rule, from open to resolved. */
export interface Incident {
  id: string
  ruleId: string
  ruleName: string
  metric: QualityMetric
  sourceId: string | null
  event: string | null
  severity: Severity
  critical: boolean
  /** What fired: `drop`, `spike`, `silence` (anomaly rules), `below` or `above`. */
  condition: string
  threshold: number | null
  /** Where the alert events go (the rule's `notify.sourceId` when it opened). */
  notifySourceId: string | null
  status: IncidentStatus
  openedAt: number
  resolvedAt: number | null
  ackedAt: number | null
  ackedBy: string | null
  /** The value that opened it (and, once resolved, the one that resolved it). */
  observed: number | null
  expected: number | null
  resolvedObserved: number | null
  /** When the opening / resolving event was appended to the log (null: still to send). */
  openNotifiedAt: number | null
  resolveNotifiedAt: number | null
}
