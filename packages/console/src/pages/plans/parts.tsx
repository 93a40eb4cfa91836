import type { Issue } from './ruleModel'

export function ErrorNote({ error, testId }: { error: string | null; testId?: string }) {
  if (!error) return null
  return (
    <p className="error" role="alert" data-testid={testId}>
      {error}
    </p>
  )
}

/** Validation problems, each at its path. */
export function IssueList({ issues, testId }: { issues: Issue[]; testId?: string }) {
  if (issues.length === 0) return null
  return (
    <ul className="error plan-issues" role="alert" data-testid={testId}>
      {issues.map((issue, i) => (
        <li key={i}>
          {issue.path && <code>{issue.path}</code>} {issue.message}
        </li>
      ))}
    </ul>
  )
}

/** A `<select>` of fixed string options with its label. */
export function Choice<T extends string>({
  id,
  label,
  value,
  options,
  onChange,
  disabled,
}: {
  id: string
  label: string
  value: T
  options: readonly T[]
  onChange: (value: T) => void
  disabled?: boolean
}) {
  return (
    <div className="plan-field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value as T)}
      >
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </div>
  )
}
