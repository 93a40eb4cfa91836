import { useState } from 'react'
import { EMPTY_FILTER, type AuditFilter } from './auditApi'

/** `datetime-local` text (local time) as ISO, or empty. */
function toIso(local: string): string {
  if (!local) return ''
  const date = new Date(local)
  return Number.isNaN(date.getTime()) ? '' : date.toISOString()
}

const TEXT_FIELDS = [
  { key: 'actor', label: 'Actor', placeholder: 'admin:1a2b3c4d*' },
  { key: 'action', label: 'Action', placeholder: 'regulations' },
  { key: 'targetType', label: 'Resource type', placeholder: 'destination' },
  { key: 'targetId', label: 'Resource id', placeholder: '' },
] as const

/** Actor (a trailing `*` matches a prefix), action prefix, resource, outcome and time range. */
export function AuditFilters({ onApply }: { onApply: (filter: AuditFilter) => void }) {
  // The draft holds `datetime-local` text in from/to; applying turns them into ISO times.
  const [draft, setDraft] = useState<AuditFilter>(EMPTY_FILTER)
  const set = (patch: Partial<AuditFilter>): void => setDraft({ ...draft, ...patch })
  return (
    <form
      className="toolbar audit-filters"
      aria-label="Filter the audit log"
      onSubmit={(e) => {
        e.preventDefault()
        onApply({ ...draft, from: toIso(draft.from), to: toIso(draft.to) })
      }}
    >
      {TEXT_FIELDS.map((f) => (
        <div key={f.key}>
          <label htmlFor={`audit-${f.key}`}>{f.label}</label>
          <input
            id={`audit-${f.key}`}
            placeholder={f.placeholder}
            value={draft[f.key]}
            onChange={(e) => set({ [f.key]: e.target.value })}
          />
        </div>
      ))}
      <div>
        <label htmlFor="audit-outcome">Outcome</label>
        <select
          id="audit-outcome"
          value={draft.outcome}
          onChange={(e) => set({ outcome: e.target.value })}
        >
          <option value="">Any</option>
          <option value="ok">ok</option>
          <option value="denied">denied</option>
          <option value="failed">failed</option>
        </select>
      </div>
      <div>
        <label htmlFor="audit-from">From</label>
        <input
          id="audit-from"
          type="datetime-local"
          value={draft.from}
          onChange={(e) => set({ from: e.target.value })}
        />
      </div>
      <div>
        <label htmlFor="audit-to">Until</label>
        <input
          id="audit-to"
          type="datetime-local"
          value={draft.to}
          onChange={(e) => set({ to: e.target.value })}
        />
      </div>
      <button type="submit" className="button secondary">
        Apply
      </button>
    </form>
  )
}
