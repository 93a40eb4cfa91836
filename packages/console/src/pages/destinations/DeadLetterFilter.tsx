import { useState } from 'react'

export interface DeadLetterQuery {
  errorCode: string
  /** `datetime-local` text. */
  from: string
  to: string
  includeReplayed: boolean
}

/** Error code, failure time range and whether to show replayed dead letters. */
export function DeadLetterFilter({
  initial,
  onApply,
}: {
  initial: DeadLetterQuery
  onApply: (q: DeadLetterQuery) => void
}) {
  const [query, setQuery] = useState(initial)
  const set = (patch: Partial<DeadLetterQuery>): void => setQuery({ ...query, ...patch })
  return (
    <form
      className="toolbar"
      aria-label="Filter dead letters"
      onSubmit={(e) => {
        e.preventDefault()
        onApply(query)
      }}
    >
      <div>
        <label htmlFor="dead-code">Error code</label>
        <input
          id="dead-code"
          placeholder="HTTP_400"
          value={query.errorCode}
          onChange={(e) => set({ errorCode: e.target.value })}
        />
      </div>
      <div>
        <label htmlFor="dead-from">Failed from</label>
        <input
          id="dead-from"
          type="datetime-local"
          value={query.from}
          onChange={(e) => set({ from: e.target.value })}
        />
      </div>
      <div>
        <label htmlFor="dead-to">until</label>
        <input
          id="dead-to"
          type="datetime-local"
          value={query.to}
          onChange={(e) => set({ to: e.target.value })}
        />
      </div>
      <label className="radio dest-check">
        <input
          type="checkbox"
          checked={query.includeReplayed}
          onChange={(e) => set({ includeReplayed: e.target.checked })}
        />
        Include replayed
      </label>
      <button type="submit" className="button secondary">
        Apply
      </button>
    </form>
  )
}
