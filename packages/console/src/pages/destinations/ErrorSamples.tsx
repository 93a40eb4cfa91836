import type { ErrorSample } from '../../api/destination-types'
import { formatTime } from './format'
import { Expandable, ExchangeView } from './parts'

/** Recent failed requests, newest first, each with its request and response when kept. */
export function ErrorSamples({ samples }: { samples: ErrorSample[] }) {
  if (samples.length === 0) return <p className="muted">No recent errors.</p>
  return (
    <ul className="dest-samples" aria-label="Recent errors">
      {samples.map((sample) => (
        <li key={sample.id} data-testid="error-sample">
          <div className="dest-sample-head">
            <span className="muted small">{formatTime(sample.at)}</span>
            <strong>{sample.error.code}</strong>
            <span>{sample.error.message}</span>
            {sample.messageId && <code className="muted small">{sample.messageId}</code>}
          </div>
          {sample.error.sample && (
            <Expandable label="Request and response">
              <ExchangeView sample={sample.error.sample} />
            </Expandable>
          )}
        </li>
      ))}
    </ul>
  )
}
