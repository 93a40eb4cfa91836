import { useState } from 'react'
import type { DestinationRecord } from '../../api/destination-types'
import { useApi } from '../../auth'
import { errorMessage } from '../../components/useLoad'
import { destinationsApi } from './destinationsApi'
import { FilterEditor } from './FilterEditor'
import { newFilter, toDraft, toFilters, type FilterDraft } from './filterModel'
import { FilterPreviewBox } from './FilterPreviewBox'
import { ErrorNote } from './parts'

interface FiltersTabProps {
  record: DestinationRecord
  onSaved: () => void
}

/** Edits the destination's filters and previews them against a sample event. */
export function FiltersTab({ record, onSaved }: FiltersTabProps) {
  const api = useApi()
  const readOnly = record.managed
  const [drafts, setDrafts] = useState<FilterDraft[]>(() => record.config.filters.map(toDraft))
  const [notice, setNotice] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const save = (): void => {
    setError(null)
    setNotice(null)
    Promise.resolve()
      .then(() => ({ ...record.config, filters: toFilters(drafts) }))
      .then((config) => destinationsApi.replace(api, record.config.id, config))
      .then(() => {
        setNotice('Filters saved.')
        onSaved()
      })
      .catch((err: unknown) => setError(errorMessage(err)))
  }
  return (
    <>
      <p className="tab-intro muted">
        Filters run in order before delivery. When a filter’s condition matches (<code>all</code>{' '}
        matches every event), its actions drop the event, keep a sample, or remove properties.
        {readOnly && ' The config file manages this destination: filters are read-only here.'}
      </p>
      {drafts.length === 0 && <p className="muted">No filters: every event is sent.</p>}
      {drafts.map((draft, i) => (
        <FilterEditor
          key={i}
          index={i}
          draft={draft}
          readOnly={readOnly}
          onChange={(next) => setDrafts(drafts.map((d, j) => (j === i ? next : d)))}
          onRemove={() => setDrafts(drafts.filter((_, j) => j !== i))}
        />
      ))}
      {!readOnly && (
        <div className="dest-actions">
          <button
            type="button"
            className="button secondary"
            onClick={() => setDrafts([...drafts, newFilter()])}
          >
            Add filter
          </button>
          <button type="button" className="button" onClick={save}>
            Save filters
          </button>
        </div>
      )}
      {notice && <p className="dest-valid">{notice}</p>}
      <ErrorNote error={error} />
      <FilterPreviewBox drafts={drafts} />
    </>
  )
}
