import { useState } from 'react'
import { useApi } from '../../auth'
import { ErrorNote } from './parts'
import { plansApi } from './plansApi'
import { RuleEditor } from './RuleEditor'
import {
  emptyDraft,
  fromDraft,
  issuesForRule,
  issuesOf,
  planErrorText,
  ruleId,
  toDraft,
  type Issue,
  type RuleDraft,
} from './ruleModel'
import type { PlanRule, TrackingPlan } from './types'

/** Which rule the editor holds: an index of `plan.rules`, or a new one. */
type Editing = { index: number } | { index: 'new' } | null

function RuleTable({
  rules,
  readOnly,
  onEdit,
  onDelete,
}: {
  rules: PlanRule[]
  readOnly: boolean
  onEdit: (index: number) => void
  onDelete: (rule: PlanRule) => void
}) {
  return (
    <table className="table" aria-label="Rules">
      <thead>
        <tr>
          <th>Type</th>
          <th>Event key</th>
          <th className="num">Version</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {rules.map((rule, index) => (
          <tr key={ruleId(rule)} data-testid={`rule-row-${ruleId(rule)}`}>
            <td>
              <span className="badge">{rule.type}</span>
            </td>
            <td>{rule.key ?? '—'}</td>
            <td className="num">{rule.version ?? 1}</td>
            <td className="plan-row-actions">
              <button
                className="button secondary small"
                type="button"
                onClick={() => onEdit(index)}
              >
                {readOnly ? 'View' : 'Edit'}
              </button>
              {!readOnly && (
                <button
                  className="button danger small"
                  type="button"
                  onClick={() => onDelete(rule)}
                >
                  Delete
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/**
 * The plan's rules with an editor. A save sends the whole list with the edited rule in place
 * (`PUT …/rules`: one revision, validated in full by the server); its problems at
 * `rules.<index>` are shown inline. Managed plans are read-only.
 */
export function RulesTab({ plan, onSaved }: { plan: TrackingPlan; onSaved: () => void }) {
  const api = useApi()
  const [editing, setEditing] = useState<Editing>(null)
  const [error, setError] = useState<string | null>(null)
  const readOnly = plan.managed

  const save = async (draft: RuleDraft): Promise<Issue[]> => {
    if (!editing) return []
    const index = editing.index === 'new' ? plan.rules.length : editing.index
    const built = fromDraft(draft, plan.rules[index])
    if (!built.ok) return [built.issue]
    const rules = [...plan.rules]
    rules[index] = built.rule
    try {
      await plansApi.replaceRules(api, plan.id, rules)
    } catch (err) {
      const issues = issuesForRule(issuesOf(err), index)
      return issues.length > 0 ? issues : [{ path: '', message: planErrorText(err) }]
    }
    setEditing(null)
    onSaved()
    return []
  }

  const remove = async (rule: PlanRule): Promise<void> => {
    setError(null)
    try {
      const ref = {
        type: rule.type,
        ...(rule.key ? { key: rule.key } : {}),
        version: rule.version ?? 1,
      }
      await plansApi.deleteRules(api, plan.id, [ref])
      setEditing(null)
      onSaved()
    } catch (err) {
      setError(planErrorText(err))
    }
  }

  const current =
    editing === null ? null : editing.index === 'new' ? null : plan.rules[editing.index]
  return (
    <>
      <div className="plan-tab-head">
        <h2>Rules</h2>
        {!readOnly && (
          <button className="button" type="button" onClick={() => setEditing({ index: 'new' })}>
            New rule
          </button>
        )}
      </div>
      <ErrorNote error={error} />
      {plan.rules.length === 0 ? (
        <p className="muted">No rules yet: every event is unplanned.</p>
      ) : (
        <RuleTable
          rules={plan.rules}
          readOnly={readOnly}
          onEdit={(index) => setEditing({ index })}
          onDelete={(rule) => void remove(rule)}
        />
      )}
      {editing && (
        <RuleEditor
          key={String(editing.index)}
          initial={current ? toDraft(current) : emptyDraft()}
          isNew={editing.index === 'new'}
          readOnly={readOnly}
          onSave={save}
          onCancel={() => setEditing(null)}
        />
      )}
    </>
  )
}
