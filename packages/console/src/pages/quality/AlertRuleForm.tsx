import { useState, type ReactNode } from 'react'
import {
  ALERT_CONDITIONS,
  QUALITY_METRICS,
  SEVERITIES,
  type AlertRule,
  type AlertRuleInput,
} from '../../api/governance-types'
import type { Source } from '../../api/types'
import { ErrorNote } from '../../components/ErrorNote'
import { useFormSubmit } from '../../components/useFormSubmit'
import { METRIC_LABEL } from './format'

const PER_EVENT = new Set(['volume', 'pass_share', 'completeness'])

interface Draft {
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

function toDraft(rule: AlertRule | null): Draft {
  return {
    id: rule?.id ?? '',
    name: rule?.name ?? '',
    metric: rule?.metric ?? 'volume',
    source: rule?.source ?? '',
    event: rule?.event ?? '',
    condition: rule?.condition ?? 'anomaly',
    threshold: rule?.threshold === undefined ? '' : String(rule.threshold),
    window: rule?.window ?? '1h',
    severity: rule?.severity ?? 'warning',
    critical: rule?.critical ?? false,
    notify: rule?.notify?.sourceId ?? '',
  }
}

/** The API body of a draft; throws a readable error when the threshold is not a number. */
function toInput(d: Draft): AlertRuleInput {
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

function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="quality-field">
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  )
}

interface AlertRuleFormProps {
  /** The rule edited, or null to create one. */
  rule: AlertRule | null
  sources: Source[]
  onSave: (input: AlertRuleInput) => Promise<void>
  onCancel: () => void
}

/** Creates or edits an alert rule; the API checks it (threshold with below/above, …). */
export function AlertRuleForm({ rule, sources, onSave, onCancel }: AlertRuleFormProps) {
  const [d, setDraft] = useState(() => toDraft(rule))
  const set = (patch: Partial<Draft>): void => setDraft({ ...d, ...patch })
  const form = useFormSubmit(() => onSave(toInput(d)))
  const sourceOptions = sources.map((s) => (
    <option key={s.id} value={s.id}>
      {s.name}
    </option>
  ))
  return (
    <form
      className="quality-rule-form"
      aria-label={rule ? `Edit rule ${rule.id}` : 'New alert rule'}
      onSubmit={form.onSubmit}
    >
      <Field id="rule-id" label="Id">
        <input
          id="rule-id"
          required
          value={d.id}
          disabled={rule !== null}
          pattern="[A-Za-z0-9_\-]{1,64}"
          onChange={(e) => set({ id: e.target.value })}
        />
      </Field>
      <Field id="rule-name" label="Name">
        <input
          id="rule-name"
          required
          value={d.name}
          onChange={(e) => set({ name: e.target.value })}
        />
      </Field>
      <Field id="rule-metric" label="Metric">
        <select
          id="rule-metric"
          value={d.metric}
          onChange={(e) => set({ metric: e.target.value as Draft['metric'] })}
        >
          {QUALITY_METRICS.map((m) => (
            <option key={m} value={m}>
              {METRIC_LABEL[m]}
            </option>
          ))}
        </select>
      </Field>
      <Field id="rule-source" label="Source">
        <select id="rule-source" value={d.source} onChange={(e) => set({ source: e.target.value })}>
          <option value="">Every source</option>
          {sourceOptions}
        </select>
      </Field>
      <Field id="rule-event" label="Event">
        <input
          id="rule-event"
          value={d.event}
          disabled={!PER_EVENT.has(d.metric)}
          placeholder="every event"
          onChange={(e) => set({ event: e.target.value })}
        />
      </Field>
      <Field id="rule-condition" label="Condition">
        <select
          id="rule-condition"
          value={d.condition}
          onChange={(e) => set({ condition: e.target.value as Draft['condition'] })}
        >
          {ALERT_CONDITIONS.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </Field>
      <Field id="rule-threshold" label="Threshold">
        <input
          id="rule-threshold"
          inputMode="decimal"
          value={d.threshold}
          disabled={d.condition === 'anomaly'}
          placeholder={d.metric === 'volume' ? 'events' : 'share, 0 to 1'}
          onChange={(e) => set({ threshold: e.target.value })}
        />
      </Field>
      <Field id="rule-window" label="Window">
        <input
          id="rule-window"
          required
          value={d.window}
          onChange={(e) => set({ window: e.target.value })}
        />
      </Field>
      <Field id="rule-severity" label="Severity">
        <select
          id="rule-severity"
          value={d.severity}
          onChange={(e) => set({ severity: e.target.value as Draft['severity'] })}
        >
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </Field>
      <Field id="rule-send-alert-events-to" label="Send alert events to">
        <select
          id="rule-send-alert-events-to"
          value={d.notify}
          onChange={(e) => set({ notify: e.target.value })}
        >
          <option value="">Nowhere</option>
          {sourceOptions}
        </select>
      </Field>
      <label className="radio">
        <input
          type="checkbox"
          checked={d.critical}
          onChange={(e) => set({ critical: e.target.checked })}
        />
        Business-critical
      </label>
      <div className="quality-form-actions">
        <button type="submit" className="button" disabled={form.busy}>
          {rule ? 'Save rule' : 'Create rule'}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ErrorNote error={form.error} />
    </form>
  )
}
