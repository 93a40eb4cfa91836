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

interface RulesTableProps {
  rules: AlertRule[]
  sourceName: (id: string) => string
  onEdit: (rule: AlertRule) => void
  onDelete: (rule: AlertRule) => void
}

function RulesTable({ rules, sourceName, onEdit, onDelete }: RulesTableProps) {
  return (
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
        {rules.map((rule) => (
          <RuleRow
            key={rule.id}
            rule={rule}
            sourceName={sourceName}
            onEdit={() => onEdit(rule)}
            onDelete={() => onDelete(rule)}
          />
        ))}
      </tbody>
    </table>
  )
}

function RulesHead({
  managed,
  showNew,
  onNew,
}: {
  managed: boolean
  showNew: boolean
  onNew: () => void
}) {
  return (
    <>
      <div className="quality-section-head">
        <h2>Alert rules</h2>
        {!managed && showNew && (
          <button type="button" className="button" onClick={onNew}>
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
    </>
  )
}

/** The form shown: for a new rule (`rule: null`) or an existing one; null when closed. */
type Editing = { rule: AlertRule | null } | null

/** Alert rules: list, create, edit and delete (read-only when the config file manages them). */
export function AlertRules({ sources, onChange }: { sources: Source[]; onChange: () => void }) {
  const api = useApi()
  const rules = useLoad(() => qualityApi.rules(api), [api])
  const [editing, setEditing] = useState<Editing>(null)
  const [error, setError] = useState<string | null>(null)
  const sourceName = (id: string): string => sources.find((s) => s.id === id)?.name ?? id
  const managed = rules.data?.managed ?? false
  const save = async (input: AlertRuleInput): Promise<void> => {
    if (editing?.rule) await qualityApi.replaceRule(api, editing.rule.id, input)
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
      <RulesHead
        managed={managed}
        showNew={editing === null}
        onNew={() => setEditing({ rule: null })}
      />
      {editing !== null && (
        <AlertRuleForm
          key={editing.rule?.id ?? 'new'}
          rule={editing.rule}
          sources={sources}
          onSave={save}
          onCancel={() => setEditing(null)}
        />
      )}
      <ErrorNote error={error ?? rules.error} />
      {rules.data && list.length === 0 && <p className="muted">No alert rules yet.</p>}
      {list.length > 0 && (
        <RulesTable
          rules={list}
          sourceName={sourceName}
          onEdit={(rule) => setEditing({ rule })}
          onDelete={remove}
        />
      )}
    </div>
  )
}
