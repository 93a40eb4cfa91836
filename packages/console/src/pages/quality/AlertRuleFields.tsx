import type { ReactNode } from 'react'
import { ALERT_CONDITIONS, QUALITY_METRICS, SEVERITIES } from '../../api/governance-types'
import { METRIC_LABEL } from './format'
import { PER_EVENT, type Draft } from './ruleDraft'

function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="quality-field">
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  )
}

export interface FieldsProps {
  d: Draft
  set: (patch: Partial<Draft>) => void
  /** `<option>`s of the sources. */
  sourceOptions: ReactNode
  /** Editing an existing rule: its id is fixed. */
  editing: boolean
}

/** What a rule watches: id, name, metric, source and event. */
export function ScopeFields({ d, set, sourceOptions, editing }: FieldsProps) {
  return (
    <>
      <Field id="rule-id" label="Id">
        <input
          id="rule-id"
          required
          value={d.id}
          disabled={editing}
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
    </>
  )
}

/** When a rule fires and where it says so: condition, threshold, window, severity, notify. */
export function ConditionFields({ d, set, sourceOptions }: FieldsProps) {
  return (
    <>
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
    </>
  )
}
