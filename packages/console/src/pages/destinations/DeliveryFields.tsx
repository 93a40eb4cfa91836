import { DELIVERY_NUMBERS, type DeliveryNumber, type FormState } from './formModel'

const LABELS: Record<DeliveryNumber, { label: string; help: string }> = {
  batchSize: { label: 'Batch size', help: 'Events per request when the type takes batches.' },
  batchBytes: { label: 'Batch bytes', help: 'Largest serialized batch.' },
  batchWaitMs: { label: 'Batch wait (ms)', help: 'How long a short batch waits for more events.' },
  concurrency: { label: 'Concurrency', help: 'Requests in flight at once.' },
  rateLimitPerSecond: { label: 'Rate limit (events/s)', help: 'Empty: no limit.' },
  retryHorizonMs: {
    label: 'Retry horizon (ms)',
    help: 'Retries stop this long after the first attempt; the event is then dead-lettered.',
  },
  timeoutMs: { label: 'Timeout (ms)', help: 'Per request.' },
}

interface DeliveryFieldsProps {
  state: FormState
  onChange: (state: FormState) => void
}

/** Delivery options, folded away under "Advanced". */
export function DeliveryFields({ state, onChange }: DeliveryFieldsProps) {
  return (
    <details className="dest-advanced">
      <summary>Advanced: delivery options</summary>
      <div className="dest-fields">
        {DELIVERY_NUMBERS.map((key) => (
          <div key={key} className="dest-field">
            <label htmlFor={`delivery-${key}`}>{LABELS[key].label}</label>
            <input
              id={`delivery-${key}`}
              type="number"
              min={0}
              value={state.delivery[key]}
              onChange={(e) =>
                onChange({ ...state, delivery: { ...state.delivery, [key]: e.target.value } })
              }
            />
            <p className="help">{LABELS[key].help}</p>
          </div>
        ))}
        <div className="dest-field boolean">
          <label htmlFor="delivery-orderByUser">Order by user</label>
          <input
            id="delivery-orderByUser"
            type="checkbox"
            checked={state.orderByUser}
            onChange={(e) => onChange({ ...state, orderByUser: e.target.checked })}
          />
          <p className="help">An event waits while an earlier event of its user is retried.</p>
        </div>
      </div>
    </details>
  )
}
