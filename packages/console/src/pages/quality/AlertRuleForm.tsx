import { useState } from 'react'
import type { AlertRule, AlertRuleInput } from '../../api/governance-types'
import type { Source } from '../../api/types'
import { ErrorNote } from '../../components/ErrorNote'
import { useFormSubmit } from '../../components/useFormSubmit'
import { ConditionFields, ScopeFields } from './AlertRuleFields'
import { toDraft, toInput, type Draft } from './ruleDraft'

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
  const fieldsProps = { d, set, sourceOptions, editing: rule !== null }
  return (
    <form
      className="quality-rule-form"
      aria-label={rule ? `Edit rule ${rule.id}` : 'New alert rule'}
      onSubmit={form.onSubmit}
    >
      <ScopeFields {...fieldsProps} />
      <ConditionFields {...fieldsProps} />
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
