import { useState } from 'react'
import type { Explanation, ProfileDetail } from '../../api/identity-types'
import { useApi } from '../../auth'
import { useFormSubmit } from '../../components/useFormSubmit'
import { Link } from '../../router'
import { EdgeKindBadge } from './EdgeKindBadge'
import { formatTime, idKey, profileUrl, shorten } from './format'
import { ErrorNote, IdChip } from './parts'
import { profilesApi } from './profilesApi'

function ExplainResult({ result }: { result: Explanation }) {
  if (!result.connected) {
    return (
      <p className="explain-verdict no" data-testid="explain-verdict">
        Not on one profile: no chain of events joins them.
      </p>
    )
  }
  return (
    <>
      <p className="explain-verdict yes" data-testid="explain-verdict">
        On one profile
        {result.profileId && (
          <>
            {' '}
            (<Link to={profileUrl(result.profileId)}>{result.profileId}</Link>)
          </>
        )}{' '}
        through {result.path.length} {result.path.length === 1 ? 'step' : 'steps'}:
      </p>
      <ol className="explain-path" data-testid="explain-path">
        {result.path.map((edge, i) => (
          <li key={i}>
            {edge.from ? <IdChip id={edge.from} /> : <span className="muted">new profile</span>}
            <span className="arrow">→</span>
            <IdChip id={edge.to} /> <EdgeKindBadge kind={edge.kind} />{' '}
            <span className="muted">
              by message <code title={edge.messageId}>{shorten(edge.messageId, 12)}</code> at{' '}
              {formatTime(edge.timestamp)}, rule <code>{edge.rule}</code>
            </span>
          </li>
        ))}
      </ol>
    </>
  )
}

/** Why are two identifiers on one profile? The shortest chain of edges between them. */
export function ExplainTab({ profile }: { profile: ProfileDetail }) {
  const api = useApi()
  const keys = profile.identifiers.map(idKey)
  const [a, setA] = useState(keys[0] ?? '')
  const [b, setB] = useState(keys[keys.length - 1] ?? '')
  const [result, setResult] = useState<Explanation | null>(null)
  const { busy, error, onSubmit } = useFormSubmit(async () => {
    setResult(null)
    setResult(await profilesApi.explain(api, profile.collection, a.trim(), b.trim()))
  })
  return (
    <>
      <p className="help tab-intro">
        Pick two identifiers (<code>type:value</code>; any identifier, not only this profile’s).
      </p>
      <form className="toolbar" aria-label="Explain" onSubmit={onSubmit}>
        <datalist id="explain-ids">
          {keys.map((key) => (
            <option key={key} value={key} />
          ))}
        </datalist>
        <div className="grow">
          <label htmlFor="explain-a">Identifier A</label>
          <input
            id="explain-a"
            list="explain-ids"
            required
            value={a}
            onChange={(e) => setA(e.target.value)}
          />
        </div>
        <div className="grow">
          <label htmlFor="explain-b">Identifier B</label>
          <input
            id="explain-b"
            list="explain-ids"
            required
            value={b}
            onChange={(e) => setB(e.target.value)}
          />
        </div>
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Explaining…' : 'Explain'}
        </button>
      </form>
      <ErrorNote error={error} />
      {result && <ExplainResult result={result} />}
    </>
  )
}
