import { useState } from 'react'
import { useApi } from '../../auth'
import { saveJson } from '../../components/download'
import { ErrorNote } from '../../components/ErrorNote'
import { useFormSubmit } from '../../components/useFormSubmit'
import { parseIds, SUBJECT_TYPES } from './model'
import { requestsApi } from './requestsApi'

/** Downloads what Tessera holds about a person (right of access) as one JSON file. */
export function SubjectAccessExport() {
  const api = useApi()
  const [subjectType, setSubjectType] = useState<string>('USER_ID')
  const [ids, setIds] = useState('')
  const [done, setDone] = useState<string | null>(null)
  const form = useFormSubmit(async () => {
    setDone(null)
    const subjectIds = parseIds(ids)
    if (subjectIds.length === 0) throw new Error('Enter at least one subject id.')
    const data = await requestsApi.subjectAccess(api, { subjectType, subjectIds })
    const name = `subject-access-${new Date().toISOString().slice(0, 19).replaceAll(':', '')}.json`
    saveJson(data, name)
    setDone(name)
  })
  return (
    <div className="card">
      <h2>Subject access export</h2>
      <p className="help">
        Profiles, traits with their provenance, identifiers, merge history, events, suppressions and
        restrictions of the subject, as JSON. The export is recorded in the audit log.
      </p>
      <form className="toolbar" aria-label="Subject access export" onSubmit={form.onSubmit}>
        <div>
          <label htmlFor="access-type">Subject type</label>
          <input
            id="access-type"
            list="access-types"
            required
            value={subjectType}
            onChange={(e) => setSubjectType(e.target.value)}
          />
          <datalist id="access-types">
            {SUBJECT_TYPES.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </div>
        <div>
          <label htmlFor="access-ids">Subject ids</label>
          <input
            id="access-ids"
            required
            placeholder="user-1, user-2"
            value={ids}
            onChange={(e) => setIds(e.target.value)}
          />
        </div>
        <button type="submit" className="button secondary" disabled={form.busy}>
          {form.busy ? 'Exporting…' : 'Download export'}
        </button>
      </form>
      <ErrorNote error={form.error} />
      {done && (
        <p className="muted small" role="status" data-testid="access-done">
          Saved {done}.
        </p>
      )}
    </div>
  )
}
