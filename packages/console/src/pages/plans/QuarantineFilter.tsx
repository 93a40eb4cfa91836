import { useState } from 'react'
import { Choice } from './parts'
import { QUARANTINE_STATUSES, VIOLATION_TYPES, type QuarantineStatus } from './types'

export interface QuarantineQuery {
  event: string
  /** A violation type, or empty for any. */
  violationType: string
  status: QuarantineStatus
}

export const INITIAL_QUERY: QuarantineQuery = {
  event: '',
  violationType: '',
  status: 'quarantined',
}

const ANY = 'any type'

/** Event name, violation type and status filters, applied on submit. */
export function QuarantineFilter({ onApply }: { onApply: (q: QuarantineQuery) => void }) {
  const [query, setQuery] = useState(INITIAL_QUERY)
  const set = (patch: Partial<QuarantineQuery>): void => setQuery({ ...query, ...patch })
  return (
    <form
      className="toolbar"
      aria-label="Filter quarantine"
      onSubmit={(e) => {
        e.preventDefault()
        onApply(query)
      }}
    >
      <div className="plan-field">
        <label htmlFor="quarantine-event">Event name</label>
        <input
          id="quarantine-event"
          value={query.event}
          onChange={(e) => set({ event: e.target.value })}
        />
      </div>
      <Choice
        id="quarantine-violation"
        label="Violation type"
        value={query.violationType || ANY}
        options={[ANY, ...VIOLATION_TYPES]}
        onChange={(v) => set({ violationType: v === ANY ? '' : v })}
      />
      <Choice
        id="quarantine-status"
        label="Status"
        value={query.status}
        options={QUARANTINE_STATUSES}
        onChange={(status) => set({ status })}
      />
      <button className="button secondary" type="submit">
        Apply
      </button>
    </form>
  )
}
