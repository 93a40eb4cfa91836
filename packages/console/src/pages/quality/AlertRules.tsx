import { useState } from 'react'
import type { AlertRule, AlertRuleInput } from '../../api/governance-types'
import type { Source } from '../../api/types'
import { useApi } from '../../auth'
import { ErrorNote } from '../../components/ErrorNote'
import { errorMessage, useLoad } from '../../components/useLoad'
import { AlertRuleForm } from './AlertRuleForm'
import { METRIC_LABEL } from './format'
import { qualityApi } from './qualityApi'

function conditionText(rule: AlertRule): string {
  if (rule.condition === 'anomaly') return `anomaly over ${rule.window}`
  return `${rule.condition} ${rule.threshold ?? '?'} over ${rule.window}`
}

interface RuleRowProps {
  rule: AlertRule
  sourceName: (id: string) => string
  onEdit: () => void
  onDelete: () => void
}

function RuleRow({ rule, sourceName, onEdit, onDelete }: RuleRowProps) {
  return (
    <tr data-testid={`alert-rule-${rule.id}`}>
      <td>
        {rule.name} {rule.critical && <span className="badge warn">critical event</span>}
        <div className="muted small">
          <code>{rule.id}</code>
        </div>
      </td>
      <td>
        {METRIC_LABEL[rule.metric]}
        {rule.event && <span className="muted"> · {rule.event}</span>}
      </td>
      <td>{rule.source ? sourceName(rule.source) : 'every source'}</td>
      <td>{conditionText(rule)}</td>
      <td>
        <span className={`quality-severity ${rule.severity}`}>{rule.severity}</span>
      </td>
      <td className="quality-row-actions">
        {!rule.managed && (
          <>
            <button type="button" className="button secondary small" onClick={onEdit}>
              Edit
            </button>
            <button type="button" className="button danger small" onClick={onDelete}>
              Delete
            </button>
          </>
        )}
      </td>
    </tr>
  )
}

type Editing = { kind: 'new' } | { kind: 'edit'; rule: AlertRule } | null

/** Alert rules: list, create, edit and delete (read-only when the config file manages them). */
export function AlertRules({ sources, onChange }: { sources: Source[]; onChange: () => void }) {
  const api = useApi()
  const rules = useLoad(() => qualityApi.rules(api), [api])
  const [editing, setEditing] = useState<Editing>(null)
  const [error, setError] = useState<string | null>(null)
  const sourceName = (id: string): string => sources.find((s) => s.id === id)?.name ?? id
  const managed = rules.data?.managed ?? false
  const save = async (input: AlertRuleInput): Promise<void> => {
    if (editing?.kind === 'edit') await qualityApi.replaceRule(api, editing.rule.id, input)
    else await qualityApi.createRule(api, input)
    setEditing(null)
    rules.reload()
    onChange()
  }
  const remove = (rule: AlertRule): void => {
    if (!window.confirm(`Delete the alert rule “${rule.name}”? Its incidents stay.`)) return
    setError(null)
    qualityApi.deleteRule(api, rule.id).then(
      () => {
        rules.reload()
        onChange()
      },
      (err: unknown) => setError(errorMessage(err)),
    )
  }
  const list = rules.data?.data ?? []
  return (
    <div className="card">
      <div className="quality-section-head">
        <h2>Alert rules</h2>
        {!managed && editing === null && (
          <button type="button" className="button" onClick={() => setEditing({ kind: 'new' })}>
            New rule
          </button>
        )}
      </div>
      {managed && (
        <p className="help" data-testid="rules-managed">
          <span className="badge">managed</span> The config file defines the rules
          (dataQuality.alerts): edit it to change them.
        </p>
      )}
      {editing !== null && (
        <AlertRuleForm
          key={editing.kind === 'edit' ? editing.rule.id : 'new'}
          rule={editing.kind === 'edit' ? editing.rule : null}
          sources={sources}
          onSave={save}
          onCancel={() => setEditing(null)}
        />
      )}
      <ErrorNote error={error ?? rules.error} />
      {rules.data && list.length === 0 && <p className="muted">No alert rules yet.</p>}
      {list.length > 0 && (
        <table className="table" aria-label="Alert rules">
          <thead>
            <tr>
              <th>Rule</th>
              <th>Metric</th>
              <th>Source</th>
              <th>Condition</th>
              <th>Severity</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((rule) => (
              <RuleRow
                key={rule.id}
                rule={rule}
                sourceName={sourceName}
                onEdit={() => setEditing({ kind: 'edit', rule })}
                onDelete={() => remove(rule)}
              />
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
