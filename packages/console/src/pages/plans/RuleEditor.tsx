import { useState } from 'react'
import { IssueList, Choice } from './parts'
import { schemaTemplate, takesKey, type Issue, type RuleDraft } from './ruleModel'
import { RULE_TYPES, type RuleType } from './types'

/** Type, event key and version of a rule. */
function RuleFields({
  draft,
  readOnly,
  onType,
  onChange,
}: {
  draft: RuleDraft
  readOnly: boolean
  onType: (type: RuleType) => void
  onChange: (patch: Partial<RuleDraft>) => void
}) {
  return (
    <div className="plan-fields">
      <Choice
        id="rule-type"
        label="Type"
        value={draft.type}
        options={RULE_TYPES}
        onChange={onType}
        disabled={readOnly}
      />
      <div className="plan-field">
        <label htmlFor="rule-key">Event key</label>
        <input
          id="rule-key"
          value={draft.key}
          disabled={readOnly || !takesKey(draft.type)}
          placeholder={draft.type === 'TRACK' ? 'Order Completed' : ''}
          onChange={(e) => onChange({ key: e.target.value })}
        />
      </div>
      <div className="plan-field">
        <label htmlFor="rule-version">Version</label>
        <input
          id="rule-version"
          inputMode="numeric"
          value={draft.version}
          placeholder="1"
          disabled={readOnly}
          onChange={(e) => onChange({ version: e.target.value })}
        />
      </div>
    </div>
  )
}

/**
 * The form of one rule: type, event key, version and the JSON Schema as text. `onSave`
 * resolves to the problems to show inline (none when the rule was saved).
 */
export function RuleEditor({
  initial,
  isNew,
  readOnly,
  onSave,
  onCancel,
}: {
  initial: RuleDraft
  isNew: boolean
  readOnly: boolean
  onSave: (draft: RuleDraft) => Promise<Issue[]>
  onCancel: () => void
}) {
  const [draft, setDraft] = useState(initial)
  const [issues, setIssues] = useState<Issue[]>([])
  const [busy, setBusy] = useState(false)
  const set = (patch: Partial<RuleDraft>): void => setDraft({ ...draft, ...patch })
  const changeType = (type: RuleType): void => {
    // A new rule gets the template of its type while its schema is still untouched.
    const untouched = draft.schemaText === JSON.stringify(schemaTemplate(draft.type), null, 2)
    set({
      type,
      ...(takesKey(type) ? {} : { key: '' }),
      ...(isNew && untouched ? { schemaText: JSON.stringify(schemaTemplate(type), null, 2) } : {}),
    })
  }
  const save = async (): Promise<void> => {
    setBusy(true)
    setIssues(await onSave(draft))
    setBusy(false)
  }
  return (
    <form
      className="plan-rule-editor"
      aria-label={isNew ? 'New rule' : 'Edit rule'}
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <RuleFields draft={draft} readOnly={readOnly} onType={changeType} onChange={set} />
      <label htmlFor="rule-schema">JSON Schema</label>
      <textarea
        id="rule-schema"
        className="plan-json"
        spellCheck={false}
        rows={16}
        value={draft.schemaText}
        readOnly={readOnly}
        onChange={(e) => set({ schemaText: e.target.value })}
      />
      <IssueList issues={issues} testId="rule-issues" />
      <div className="plan-actions">
        {!readOnly && (
          <button className="button" type="submit" disabled={busy}>
            {isNew ? 'Add rule' : 'Save rule'}
          </button>
        )}
        <button className="button secondary" type="button" onClick={onCancel}>
          {readOnly ? 'Close' : 'Cancel'}
        </button>
      </div>
    </form>
  )
}
