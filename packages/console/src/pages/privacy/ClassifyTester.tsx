import { useState } from 'react'
import type { Classification } from '../../api/governance-types'
import { useApi } from '../../auth'
import { ErrorNote } from '../../components/ErrorNote'
import { useFormSubmit } from '../../components/useFormSubmit'
import { ClassBadge } from './parts'
import { privacyApi } from './privacyApi'

const SAMPLE = JSON.stringify(
  { properties: { email: 'jane@example.com', plan: 'pro' }, context: { ip: '203.0.113.7' } },
  null,
  2,
)

function parsePayload(text: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new Error(`The payload is not valid JSON: ${err instanceof Error ? err.message : ''}`, {
      cause: err,
    })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('The payload must be a JSON object.')
  }
  return value as Record<string, unknown>
}

/** Classifies the fields of a sample payload with the matchers in force (nothing is stored). */
export function ClassifyTester() {
  const api = useApi()
  const [text, setText] = useState(SAMPLE)
  const [result, setResult] = useState<Classification[] | null>(null)
  const form = useFormSubmit(async () => {
    setResult(null)
    setResult((await privacyApi.classify(api, parsePayload(text))).data)
  })
  return (
    <div className="card">
      <h2>Classify a value</h2>
      <p className="help">
        Paste an event’s properties, traits or context: each field is classified by its key and
        value as the inventory would.
      </p>
      <form aria-label="Classify a payload" onSubmit={form.onSubmit}>
        <label htmlFor="classify-payload">Payload (JSON)</label>
        <textarea
          id="classify-payload"
          className="privacy-payload"
          rows={7}
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="button" disabled={form.busy}>
          Classify
        </button>
      </form>
      <ErrorNote error={form.error} />
      {result && result.length === 0 && (
        <p className="muted" data-testid="classify-none" role="status">
          No field holds PII.
        </p>
      )}
      {result && result.length > 0 && (
        <table className="table" aria-label="Classification">
          <thead>
            <tr>
              <th>Field</th>
              <th>Class</th>
              <th>Kind</th>
              <th>Found by</th>
            </tr>
          </thead>
          <tbody>
            {result.map((c) => (
              <tr key={c.field} data-testid={`classified-${c.field}`}>
                <td>
                  <code>{c.field}</code>
                </td>
                <td>
                  <ClassBadge value={c.class} />
                </td>
                <td>{c.kind}</td>
                <td className="muted small">
                  {c.by} · {c.matcher}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
