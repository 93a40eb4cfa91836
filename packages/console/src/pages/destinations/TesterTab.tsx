import { useState } from 'react'
import type { TestResult } from '../../api/destination-types'
import { useApi } from '../../auth'
import { errorMessage } from '../../components/useLoad'
import { destinationsApi } from './destinationsApi'
import { SAMPLE_EVENT } from './filterModel'
import { parseObject } from './format'
import { ErrorNote, ExchangeView } from './parts'

function outcomeText(result: TestResult): string {
  const { outcome } = result
  switch (outcome.status) {
    case 'delivered':
      return 'Delivered'
    case 'retry':
      return `Would be retried: ${outcome.error.code} ${outcome.error.message}`
    case 'failed':
      return `Failed: ${outcome.error.code} ${outcome.error.message}`
    case 'skipped':
      return `Skipped: ${outcome.reason}`
  }
}

function Result({ result }: { result: TestResult }) {
  const ok = result.outcome.status === 'delivered'
  return (
    <div className="dest-section" data-testid="test-result">
      <p className={ok ? 'dest-valid' : 'error'} data-testid="test-outcome">
        {outcomeText(result)} <span className="muted small">in {result.durationMs} ms</span>
      </p>
      {!result.routing.kept && (
        <p className="muted">
          Routing would not send this event ({result.routing.reason}); the tester sends it anyway.
        </p>
      )}
      {result.exchanges.length === 0 && <p className="muted">No request was made.</p>}
      {result.exchanges.map((exchange, i) => (
        <ExchangeView key={i} sample={exchange} />
      ))}
    </div>
  )
}

/** Sends one event to the destination now and shows each request with its response. */
export function TesterTab({ id }: { id: string }) {
  const api = useApi()
  const [text, setText] = useState(() => JSON.stringify(SAMPLE_EVENT, null, 2))
  const [result, setResult] = useState<TestResult | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const send = (): void => {
    setBusy(true)
    setError(null)
    setResult(null)
    Promise.resolve()
      .then(() => destinationsApi.test(api, id, parseObject(text, 'The event')))
      .then(setResult, (err: unknown) => setError(errorMessage(err)))
      .finally(() => setBusy(false))
  }
  return (
    <>
      <p className="tab-intro muted">
        Sends the event to the destination at once, without filters, and shows what was sent and
        answered. A messageId, timestamp and receivedAt are added when missing.
      </p>
      <label htmlFor="tester-event">Event (JSON)</label>
      <textarea
        id="tester-event"
        className="dest-code dest-json"
        rows={12}
        spellCheck={false}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <div className="dest-actions">
        <button type="button" className="button" disabled={busy} onClick={send}>
          {busy ? 'Sending…' : 'Send test event'}
        </button>
      </div>
      <ErrorNote error={error} />
      {result && <Result result={result} />}
    </>
  )
}
