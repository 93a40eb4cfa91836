import type { Identifier } from '../../api/identity-types'
import { idKey } from './format'

/** An identifier as a chip: its type, muted, then its value. */
export function IdChip({ id }: { id: Identifier }) {
  return (
    <span className="id-chip" title={idKey(id)}>
      <span className="id-chip-type">{id.type}</span>
      <span className="id-chip-value">{id.value}</span>
    </span>
  )
}

export function ErrorNote({ error }: { error: string | null }) {
  if (!error) return null
  return (
    <p className="error" role="alert">
      {error}
    </p>
  )
}

interface LoadMoreProps {
  hasMore: boolean
  loading: boolean
  onClick: () => void
  label?: string
}

/** "Load more" under a paged list, or a loading note while a page is on its way. */
export function LoadMore({ hasMore, loading, onClick, label = 'Load more' }: LoadMoreProps) {
  if (!hasMore) return loading ? <p className="muted">Loading…</p> : null
  return (
    <div className="load-more">
      <button type="button" className="button secondary" disabled={loading} onClick={onClick}>
        {loading ? 'Loading…' : label}
      </button>
    </div>
  )
}
