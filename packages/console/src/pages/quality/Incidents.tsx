import { useState } from 'react'
import type { Incident } from '../../api/governance-types'
import { useApi } from '../../auth'
import { ErrorNote } from '../../components/ErrorNote'
import { errorMessage, useLoad } from '../../components/useLoad'
import { formatMetric, formatTime, METRIC_LABEL } from './format'
import { qualityApi } from './qualityApi'

type StatusFilter = 'open' | 'resolved' | ''

function IncidentRow({ incident, onAck }: { incident: Incident; onAck: () => void }) {
  const { metric } = incident
  return (
    <tr data-testid="incident-row">
      <td>
        <span className={`quality-status ${incident.status}`}>{incident.status}</span>
      </td>
      <td>
        {incident.ruleName}
        <div className="muted small">
          {METRIC_LABEL[metric]} · {incident.condition}
          {incident.event ? ` · ${incident.event}` : ''}
        </div>
      </td>
      <td>
        <span className={`quality-severity ${incident.severity}`}>{incident.severity}</span>
      </td>
      <td className="num">
        {formatMetric(metric, incident.observed)}
        {incident.expected !== null && (
          <div className="muted small">expected {formatMetric(metric, incident.expected)}</div>
        )}
      </td>
      <td className="muted small">
        {formatTime(incident.openedAt)}
        {incident.resolvedAt !== null && <div>resolved {formatTime(incident.resolvedAt)}</div>}
      </td>
      <td>
        {incident.ackedAt !== null ? (
          <span className="muted small" title={formatTime(incident.ackedAt)}>
            acknowledged by {incident.ackedBy ?? '—'}
          </span>
        ) : (
          <button type="button" className="button secondary small" onClick={onAck}>
            Acknowledge
          </button>
        )}
      </td>
    </tr>
  )
}

/** Incidents of the alert rules, newest first, open or resolved; each can be acknowledged. */
export function Incidents({ generation }: { generation: number }) {
  const api = useApi()
  const [status, setStatus] = useState<StatusFilter>('open')
  const [error, setError] = useState<string | null>(null)
  const list = useLoad(() => qualityApi.incidents(api, status), [api, status, generation])
  const ack = (id: string): void => {
    setError(null)
    qualityApi.ack(api, id).then(list.reload, (err: unknown) => setError(errorMessage(err)))
  }
  const items = list.data?.data ?? []
  return (
    <div className="card">
      <div className="quality-section-head">
        <h2>Incidents</h2>
        <div>
          <label htmlFor="incident-status">Status</label>
          <select
            id="incident-status"
            value={status}
            onChange={(e) => setStatus(e.target.value as StatusFilter)}
          >
            <option value="open">Open</option>
            <option value="resolved">Resolved</option>
            <option value="">All</option>
          </select>
        </div>
      </div>
      <ErrorNote error={error ?? list.error} />
      {list.data && items.length === 0 && (
        <p className="muted" data-testid="no-incidents">
          No {status || ''} incidents.
        </p>
      )}
      {items.length > 0 && (
        <table className="table" aria-label="Incidents">
          <thead>
            <tr>
              <th>Status</th>
              <th>Rule</th>
              <th>Severity</th>
              <th className="num">Observed</th>
              <th>Opened</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((incident) => (
              <IncidentRow key={incident.id} incident={incident} onAck={() => ack(incident.id)} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
