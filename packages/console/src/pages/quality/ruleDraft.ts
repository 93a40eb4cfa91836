import type { AlertRule, AlertRuleInput } from '../../api/governance-types'

/** Metrics measured per event name. */
export const PER_EVENT = new Set(['volume', 'pass_share', 'completeness'])

export interface Draft {
  id: string
  name: string
  metric: AlertRuleInput['metric']
  source: string
  event: string
  condition: AlertRuleInput['condition']
  threshold: string
  window: string
  severity: AlertRuleInput['severity']
  critical: boolean
  notify: string
}

const NEW_RULE: Draft = {
  id: '',
  name: '',
  metric: 'volume',
  source: '',
  event: '',
  condition: 'anomaly',
  threshold: '',
  window: '1h',
  severity: 'warning',
  critical: false,
  notify: '',
}

/** The form's text of a rule (a new rule's defaults for null). */
export function toDraft(rule: AlertRule | null): Draft {
  if (rule === null) return NEW_RULE
  return {
    ...rule,
    source: rule.source ?? '',
    event: rule.event ?? '',
    threshold: rule.threshold === undefined ? '' : String(rule.threshold),
    notify: rule.notify?.sourceId ?? '',
  }
}

/** The API body of a draft; throws a readable error when the threshold is not a number. */
export function toInput(d: Draft): AlertRuleInput {
  const threshold = d.threshold.trim() === '' ? undefined : Number(d.threshold)
  if (threshold !== undefined && !Number.isFinite(threshold)) {
    throw new Error('The threshold must be a number.')
  }
  return {
    id: d.id.trim(),
    name: d.name.trim(),
    metric: d.metric,
    condition: d.condition,
    window: d.window.trim(),
    severity: d.severity,
    critical: d.critical,
    ...(d.source ? { source: d.source } : {}),
    ...(d.event.trim() && PER_EVENT.has(d.metric) ? { event: d.event.trim() } : {}),
    ...(d.condition !== 'anomaly' && threshold !== undefined ? { threshold } : {}),
    ...(d.notify ? { notify: { sourceId: d.notify } } : {}),
  }
}
