import { useState } from 'react'
import type { FilterPreview } from '../../api/destination-types'
import { useApi } from '../../auth'
import { errorMessage } from '../../components/useLoad'
import { destinationsApi } from './destinationsApi'
import { SAMPLE_EVENT, toFilters, type FilterDraft } from './filterModel'
import { parseObject, prettyJson } from './format'
import { ErrorNote, Problems } from './parts'

function PreviewResult({ preview }: { preview: FilterPreview }) {
  return (
    <div className="dest-section" data-testid="filter-preview">
      <Problems problems={preview.problems} />
      {preview.kept ? (
        <>
          <p className="dest-valid">Kept. The destination receives:</p>
          <pre className="dest-pre">{prettyJson(preview.event)}</pre>
        </>
      ) : (
        <p className="error">Dropped ({preview.reason}).</p>
      )}
    </div>
  )
}

/** Runs the filters being edited (saved or not) on a sample event. */
export function FilterPreviewBox({ drafts }: { drafts: FilterDraft[] }) {
  const api = useApi()
  const [eventText, setEventText] = useState(() => JSON.stringify(SAMPLE_EVENT, null, 2))
  const [preview, setPreview] = useState<FilterPreview | null>(null)
  const [error, setError] = useState<string | null>(null)
  const run = async (): Promise<void> => {
    const event = parseObject(eventText, 'The sample event')
    const filters = toFilters(drafts)
    setPreview(
      filters.length === 0
        ? { kept: true, event, problems: [] }
        : await destinationsApi.previewFilters(api, filters, event),
    )
  }
  const onPreview = (): void => {
    setError(null)
    setPreview(null)
    run().catch((err: unknown) => setError(errorMessage(err)))
  }
  return (
    <>
      <h3 className="dest-subhead">Preview</h3>
      <label htmlFor="filter-event">Sample event (JSON)</label>
      <textarea
        id="filter-event"
        className="dest-code dest-json"
        rows={10}
        spellCheck={false}
        value={eventText}
        onChange={(e) => setEventText(e.target.value)}
      />
      <div className="dest-actions">
        <button type="button" className="button secondary" onClick={onPreview}>
          Preview
        </button>
      </div>
      <ErrorNote error={error} />
      {preview && <PreviewResult preview={preview} />}
    </>
  )
}
