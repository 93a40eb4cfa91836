import { useEffect, useState, type FormEvent } from 'react'
import type { DeliveryTrace, TraceEntry } from '../../api/destination-types'
import { useApi } from '../../auth'
import { errorMessage } from '../../components/useLoad'
import { Link } from '../../router'
import { destinationsApi } from './destinationsApi'
import { destinationUrl, formatTime } from './format'
import { ErrorNote } from './parts'

function attemptCount(entry: TraceEntry): number | null {
  if (entry.attempts === undefined) return null
  return Array.isArray(entry.attempts) ? entry.attempts.length : entry.attempts
}

function detail(entry: TraceEntry): string {
  const parts: string[] = []
  if (entry.reason) parts.push(entry.reason)
  if (entry.error) parts.push(`${entry.error.code}: ${entry.error.message}`)
  const attempts = attemptCount(entry)
  if (attempts !== null) parts.push(`${attempts} attempt${attempts === 1 ? '' : 's'}`)
  if (entry.nextAttemptAt) parts.push(`next ${formatTime(entry.nextAttemptAt)}`)
  return parts.join(' · ')
}

function TraceTable({ trace }: { trace: DeliveryTrace }) {
  if (trace.destinations.length === 0) {
    return <p className="muted">There are no destinations.</p>
  }
  return (
    <table className="table" aria-label="Deliveries of the event">
      <thead>
        <tr>
          <th>Destination</th>
          <th>Status</th>
          <th>Details</th>
        </tr>
      </thead>
      <tbody>
        {trace.destinations.map((entry) => (
          <tr key={entry.destinationId} data-testid={`trace-${entry.destinationId}`}>
            <td>
              <Link to={destinationUrl(entry.destinationId)}>{entry.name}</Link>
            </td>
            <td>
              <span className={`trace-status ${entry.status}`}>{entry.status}</span>
            </td>
            <td className="muted small">{detail(entry)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function initialMessageId(): string {
  return new URLSearchParams(window.location.search).get('messageId') ?? ''
}

/** "Where did this event go?": every destination's status for one messageId. */
export function TraceBox() {
  const api = useApi()
  const [messageId, setMessageId] = useState(initialMessageId)
  const [trace, setTrace] = useState<DeliveryTrace | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const run = (id: string): void => {
    setBusy(true)
    setError(null)
    setTrace(null)
    destinationsApi
      .trace(api, id)
      .then(setTrace, (err: unknown) => setError(errorMessage(err)))
      .finally(() => setBusy(false))
  }
  // Opened from an event (`?messageId=`): trace it at once.
  useEffect(() => {
    const initial = initialMessageId()
    if (initial) run(initial)
  }, [])
  const onSubmit = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault()
    run(messageId.trim())
  }
  return (
    <div className="card" data-testid="trace-box">
      <h2>Where did this event go?</h2>
      <form className="toolbar" aria-label="Trace an event" onSubmit={onSubmit}>
        <div className="grow">
          <label htmlFor="trace-message-id">Message id</label>
          <input
            id="trace-message-id"
            className="dest-wide-input"
            required
            value={messageId}
            onChange={(e) => setMessageId(e.target.value)}
            placeholder="the event's messageId"
          />
        </div>
        <button type="submit" className="button" disabled={busy}>
          Trace
        </button>
      </form>
      <ErrorNote error={error} />
      {trace && (
        <div className="dest-section">
          <p className="muted small">
            Event #{trace.seq} from source <code>{trace.sourceId}</code>
          </p>
          <TraceTable trace={trace} />
        </div>
      )}
    </div>
  )
}
