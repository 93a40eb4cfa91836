import { useState, type ReactNode } from 'react'
import type { DestinationRecord } from '../../api/destination-types'
import { useApi } from '../../auth'
import { errorMessage } from '../../components/useLoad'
import { navigate } from '../../router'
import { MANAGED_NOTE } from './DestinationIndex'
import { destinationsApi } from './destinationsApi'
import { destinationUrl, formatDuration, formatTime } from './format'
import { ErrorNote, StateBadge } from './parts'

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  )
}

function settingText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

function Summary({ record }: { record: DestinationRecord }) {
  const { config, status } = record
  const d = config.delivery
  return (
    <>
      <dl className="dest-facts">
        <Fact term="State">
          <StateBadge record={record} />
        </Fact>
        <Fact term="Lag">{status.lag ?? '—'}</Fact>
        <Fact term="Cursor">{status.cursor ?? '—'}</Fact>
        <Fact term="Sources">
          {config.sourceIds ? config.sourceIds.join(', ') || 'none' : 'all'}
        </Fact>
        <Fact term="Filters">{config.filters.length}</Fact>
        {config.subscriptions.length > 0 && (
          <Fact term="Subscriptions">{config.subscriptions.length}</Fact>
        )}
        <Fact term="Updated">{formatTime(record.updatedAt)}</Fact>
      </dl>
      {status.backoff && (
        <p className="error" data-testid="backoff-note">
          Every request fails ({status.backoff.attempts} attempts since{' '}
          {formatTime(status.backoff.firstFailureAt)}): {status.backoff.lastError.code}{' '}
          {status.backoff.lastError.message}. Next try {formatTime(status.backoff.nextAt)}.
        </p>
      )}
      <h3 className="dest-subhead">Settings</h3>
      <table className="table" aria-label="Settings">
        <tbody>
          {Object.entries(config.settings).map(([key, value]) => (
            <tr key={key}>
              <th scope="row">{key}</th>
              <td>
                <code>{settingText(value)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3 className="dest-subhead">Delivery</h3>
      <p className="muted small">
        batches of {d.batchSize} (≤ {d.batchBytes} bytes, wait {formatDuration(d.batchWaitMs)}) ·{' '}
        {d.concurrency} in flight ·{' '}
        {d.rateLimitPerSecond ? `${d.rateLimitPerSecond}/s` : 'no rate limit'} · timeout{' '}
        {formatDuration(d.timeoutMs)} · retries for {formatDuration(d.retryHorizonMs)}
        {d.orderByUser && ' · ordered by user'}
      </p>
    </>
  )
}

function Actions({ record }: { record: DestinationRecord }) {
  const api = useApi()
  const [confirming, setConfirming] = useState(false)
  const [error, setError] = useState<string | null>(null)
  if (record.managed) return <p className="dest-managed">{MANAGED_NOTE}</p>
  const remove = (): void => {
    destinationsApi.remove(api, record.config.id).then(
      () => navigate('/destinations'),
      (err: unknown) => setError(errorMessage(err)),
    )
  }
  return (
    <div className="danger-zone dest-section">
      <button
        type="button"
        className="button"
        onClick={() => navigate(destinationUrl(record.config.id, 'edit'))}
      >
        Edit
      </button>
      {confirming ? (
        <>
          <span>Delete “{record.config.name}” with its dead letters and metrics?</span>
          <button type="button" className="button danger" onClick={remove}>
            Yes, delete
          </button>
          <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </>
      ) : (
        <button type="button" className="button danger" onClick={() => setConfirming(true)}>
          Delete
        </button>
      )}
      <ErrorNote error={error} />
    </div>
  )
}

export function OverviewTab({ record }: { record: DestinationRecord }) {
  return (
    <>
      <Summary record={record} />
      <Actions record={record} />
    </>
  )
}
