/**
 * Shapes of the governance admin API's JSON: data quality (packages/server/src/api/
 * quality-routes.ts), privacy (privacy-routes.ts), regulations and subject access
 * (regulation-routes.ts, subject-access-routes.ts) and the audit log (audit-routes.ts).
 */

export const QUALITY_METRICS = [
  'volume',
  'pass_share',
  'completeness',
  'duplicate_rate',
  'identity_match_rate',
] as const
export type QualityMetric = (typeof QUALITY_METRICS)[number]

export interface MetricSummary {
  metric: QualityMetric
  /** null: not measurable (e.g. no tracking plan). Shares are 0 to 1. */
  value: number | null
  previous: number | null
  change: number | null
  denominator: number
}

export interface QualitySummary {
  from: number
  to: number
  sourceId: string | null
  openIncidents: number
  metrics: MetricSummary[]
}

export type Anomaly = 'drop' | 'spike' | 'silence'

export interface SeriesPoint {
  /** Bucket start, epoch ms. */
  t: number
  value: number | null
  denominator: number
  expected: number | null
  anomaly: Anomaly | null
}

export interface Series {
  metric: QualityMetric
  source: string | null
  event: string | null
  bucket: 'minute' | 'hour' | 'day'
  data: SeriesPoint[]
}

export const ALERT_CONDITIONS = ['anomaly', 'below', 'above'] as const
export const SEVERITIES = ['info', 'warning', 'critical'] as const
export type Severity = (typeof SEVERITIES)[number]

/** An alert rule as the API takes it (and returns it, with `managed`). */
export interface AlertRuleInput {
  id: string
  name: string
  metric: QualityMetric
  source?: string
  event?: string
  condition: (typeof ALERT_CONDITIONS)[number]
  threshold?: number
  window: string
  severity: Severity
  critical: boolean
  notify?: { sourceId: string }
}

export interface AlertRule extends AlertRuleInput {
  managed: boolean
}

export interface Incident {
  id: string
  ruleId: string
  ruleName: string
  metric: QualityMetric
  sourceId: string | null
  event: string | null
  severity: Severity
  critical: boolean
  condition: string
  threshold: number | null
  status: 'open' | 'resolved'
  openedAt: number
  resolvedAt: number | null
  ackedAt: number | null
  ackedBy: string | null
  observed: number | null
  expected: number | null
}

/** One event of a source's observed schema (only what the console reads). */
export interface ObservedEvent {
  type: string
  name: string
  count: number
}

export const PII_CLASSES = ['restricted', 'sensitive', 'personal'] as const
export type PiiClass = (typeof PII_CLASSES)[number]

export interface InventoryRow {
  sourceId: string
  eventType: string
  event: string
  field: string
  class: PiiClass | null
  kind: string | null
  count: number
  firstSeen: string
  lastSeen: string
}

export interface PiiRuleView {
  class: PiiClass
  action: 'block' | 'hash' | 'mask' | 'allow'
  scope: 'global' | 'destinations'
  destinations: string[] | null
  /** False for global rules: the store step does not apply them yet. */
  /** `ingest`: global, applied before storing; `delivery`: in the named destinations' lanes. */
  stage: 'ingest' | 'delivery'
}

export interface Matcher {
  id: string
  source: 'default' | 'custom'
  on: 'key' | 'value'
  kind: string
  class: PiiClass | 'none'
  matches: string[]
}

export interface Classification {
  field: string
  kind: string
  class: PiiClass
  by: 'key' | 'value'
  matcher: string
}

export const REGULATION_TYPES = [
  'SUPPRESS_ONLY',
  'SUPPRESS_WITH_DELETE',
  'DELETE_ONLY',
  'DELETE_INTERNAL',
  'SUPPRESS_WITH_DELETE_INTERNAL',
  'UNSUPPRESS',
] as const
export type RegulationType = (typeof REGULATION_TYPES)[number]

export interface RegulationSummary {
  id: string
  overallStatus: string
  regulationType: RegulationType
  subjectType: string
  subjectIds: string[]
  createdAt: string | null
  finishedAt: string | null
}

export interface RegulationTask {
  name: string
  id: string
  status: string
  errString: string | null
  finishedAt: string | null
}

export interface Regulation extends RegulationSummary {
  profiles: string[]
  stores: RegulationTask[]
  destinations: RegulationTask[]
}

export interface RegulationReport {
  regulateId: string
  regulationType: RegulationType
  status: string
  subject: { profiles: number; identifiers: number }
  createdAt: string | null
  finishedAt: string | null
  durationMs: number | null
  queuedMs: number | null
  totals: Record<string, number>
  steps: Array<{
    kind: string
    name: string
    id: string
    status: string
    removed: Record<string, number>
    durationMs: number | null
    errString: string | null
  }>
}

export interface AuditEntry {
  id: number
  at: string
  actor: string
  action: string
  target: { type: string; id: string | null }
  outcome: 'ok' | 'denied' | 'failed'
  requestId: string | null
  ip: string | null
  details: Record<string, unknown>
}

export interface AuditVerification {
  intact: boolean
  checked: number
  firstBrokenId: number | null
  reason: 'hash' | 'link' | 'gap' | null
}
