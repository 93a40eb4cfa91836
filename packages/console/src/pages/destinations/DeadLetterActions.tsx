export type BulkKind = 'replay' | 'delete'

interface BulkActionsProps {
  busy: boolean
  selected: number
  hasItems: boolean
  onBulk: (kind: BulkKind, scope: 'selected' | 'matching') => void
}

/** Replay or delete the selected dead letters, or every one matching the filter. */
export function BulkActions({ busy, selected, hasItems, onBulk }: BulkActionsProps) {
  return (
    <div className="dest-actions dest-section">
      <button
        type="button"
        className="button"
        disabled={busy || selected === 0}
        onClick={() => onBulk('replay', 'selected')}
      >
        Replay selected ({selected})
      </button>
      <button
        type="button"
        className="button danger"
        disabled={busy || selected === 0}
        onClick={() => onBulk('delete', 'selected')}
      >
        Delete selected
      </button>
      <button
        type="button"
        className="button secondary"
        disabled={busy || !hasItems}
        onClick={() => onBulk('replay', 'matching')}
      >
        Replay all matching
      </button>
      <button
        type="button"
        className="button secondary"
        disabled={busy || !hasItems}
        onClick={() => onBulk('delete', 'matching')}
      >
        Delete all matching
      </button>
    </div>
  )
}
