import { useState } from 'react'
import { useApi } from '../../auth'
import { ErrorNote } from './parts'
import { plansApi } from './plansApi'
import { planErrorText } from './ruleModel'
import type { QuarantinedEvent } from './types'

/**
 * The payload of one quarantined event as JSON text. Saving sends it with `PATCH`: the server
 * checks it as ingest would (its answer is shown here when it refuses) and keeps the
 * messageId. An event no longer quarantined is shown read-only.
 */
export function QuarantineEditor({
  event,
  onSaved,
  onClose,
}: {
  event: QuarantinedEvent
  onSaved: () => void
  onClose: () => void
}) {
  const api = useApi()
  const [text, setText] = useState(JSON.stringify(event.event, null, 2))
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const editable = event.status === 'quarantined'
  const save = async (): Promise<void> => {
    setError(null)
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (err) {
      setError(`Not JSON: ${err instanceof Error ? err.message : String(err)}`)
      return
    }
    setBusy(true)
    try {
      await plansApi.editQuarantined(api, event.id, parsed)
      onSaved()
    } catch (err) {
      setError(planErrorText(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form
      className="plan-quarantine-editor"
      aria-label={`Quarantined event ${event.id}`}
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <h3>
        Event {event.id} <span className="muted small">{event.messageId}</span>
      </h3>
      <ul className="plan-violations">
        {event.violations.map((v, i) => (
          <li key={i}>
            <strong>{v.type}</strong> <code>{v.field || '—'}</code> {v.description}
          </li>
        ))}
      </ul>
      <label htmlFor="quarantine-json">Payload</label>
      <textarea
        id="quarantine-json"
        className="plan-json"
        spellCheck={false}
        rows={18}
        value={text}
        readOnly={!editable}
        onChange={(e) => setText(e.target.value)}
      />
      <ErrorNote error={error} testId="quarantine-edit-error" />
      <div className="plan-actions">
        {editable && (
          <button className="button" type="submit" disabled={busy}>
            Save payload
          </button>
        )}
        <button className="button secondary" type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  )
}
