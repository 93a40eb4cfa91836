import { useState } from 'react'
import type { Matcher } from '../../api/governance-types'
import { useApi } from '../../auth'
import { ErrorNote } from '../../components/ErrorNote'
import { useLoad } from '../../components/useLoad'
import { ClassBadge } from './parts'
import { privacyApi } from './privacyApi'

function MatcherTable({ matchers, label }: { matchers: Matcher[]; label: string }) {
  return (
    <table className="table" aria-label={label}>
      <thead>
        <tr>
          <th>Matcher</th>
          <th>On</th>
          <th>Kind</th>
          <th>Class</th>
          <th>Matches</th>
        </tr>
      </thead>
      <tbody>
        {matchers.map((m) => (
          <tr key={m.id} data-testid={`matcher-${m.source}`}>
            <td>
              <code>{m.id}</code>
            </td>
            <td>{m.on}</td>
            <td>{m.kind}</td>
            <td>
              <ClassBadge value={m.class} />
            </td>
            <td className="small privacy-matches">{m.matches.join(', ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** Custom matchers (tried first), and the default ones on demand. */
export function MatchersSection() {
  const api = useApi()
  const matchers = useLoad(() => privacyApi.matchers(api), [api])
  const [showDefaults, setShowDefaults] = useState(false)
  const all = matchers.data?.data ?? []
  const custom = all.filter((m) => m.source === 'custom')
  const defaults = all.filter((m) => m.source === 'default')
  return (
    <div className="card">
      <h2>Matchers</h2>
      <p className="help">
        Custom matchers (privacy.pii.matchers) are tried before the {defaults.length} default ones.
      </p>
      <ErrorNote error={matchers.error} />
      {matchers.data && custom.length === 0 && (
        <p className="muted" data-testid="no-custom-matchers">
          No custom matchers.
        </p>
      )}
      {custom.length > 0 && <MatcherTable matchers={custom} label="Custom matchers" />}
      <button
        type="button"
        className="button secondary small privacy-toggle"
        aria-expanded={showDefaults}
        onClick={() => setShowDefaults(!showDefaults)}
      >
        {showDefaults ? 'Hide default matchers' : 'Show default matchers'}
      </button>
      {showDefaults && <MatcherTable matchers={defaults} label="Default matchers" />}
    </div>
  )
}
