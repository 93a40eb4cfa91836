import { useState } from 'react'
import type { Source } from '../../api/types'
import { useApi } from '../../auth'
import { CopyButton } from '../../components/CopyButton'
import { errorMessage, useLoad } from '../../components/useLoad'
import { Link, navigate } from '../../router'
import { ManagedBadge } from './SourceList'
import { RotateKeyForm } from './RotateKeyForm'
import { Snippets } from './Snippets'

function formatTime(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '—'
}

function WriteKeys({ source }: { source: Source }) {
  return (
    <table className="table" aria-label="Write keys">
      <thead>
        <tr>
          <th>Write key</th>
          <th>Status</th>
        </tr>
      </thead>
      <tbody>
        {source.writeKeys.map((wk) => (
          <tr key={wk.key}>
            <td>
              <span className="key-cell">
                <code className="write-key" data-testid={wk.expiresAt ? undefined : 'write-key'}>
                  {wk.key}
                </code>
                <CopyButton text={wk.key} label={`Copy write key ${wk.key}`} />
              </span>
            </td>
            <td>
              {wk.expiresAt ? (
                <span className="badge warn">expires {formatTime(wk.expiresAt)}</span>
              ) : (
                <span className="badge ok">current</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function DeleteSource({ source }: { source: Source }) {
  const api = useApi()
  const [confirming, setConfirming] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const remove = (): void => {
    api.deleteSource(source.id).then(
      () => navigate('/sources'),
      (err: unknown) => setError(errorMessage(err)),
    )
  }
  return (
    <div className="danger-zone">
      {confirming ? (
        <>
          <span>Delete “{source.name}”? Apps using its write keys will be refused.</span>
          <button type="button" className="button danger" onClick={remove}>
            Yes, delete
          </button>
          <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </>
      ) : (
        <button type="button" className="button danger" onClick={() => setConfirming(true)}>
          Delete source
        </button>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}

/** One source: its keys, key rotation, snippets and deletion. */
export function SourceDetail({ id }: { id: string }) {
  const api = useApi()
  const loaded = useLoad(() => api.getSource(id), [api, id])
  const [updated, setUpdated] = useState<Source | null>(null)
  const source = updated ?? loaded.data

  return (
    <section className="page">
      <p className="breadcrumb">
        <Link to="/sources">← Sources</Link>
      </p>
      {loaded.error && (
        <p className="error" role="alert">
          {loaded.error}
        </p>
      )}
      {!source && !loaded.error && <p className="muted">Loading…</p>}
      {source && (
        <>
          <div className="page-header">
            <h1 data-testid="source-name">
              {source.name} {source.managed && <ManagedBadge />}
            </h1>
            <p className="muted">
              ID <code data-testid="source-id">{source.id}</code> · created{' '}
              {formatTime(source.createdAt)} · allowed origins:{' '}
              {source.allowedOrigins?.length ? source.allowedOrigins.join(', ') : 'any'}
            </p>
          </div>
          <div className="card">
            <h2>Write keys</h2>
            <WriteKeys source={source} />
            {source.managed ? (
              <p className="help">This source is defined in the config file: edit it there.</p>
            ) : (
              <RotateKeyForm sourceId={source.id} onRotated={setUpdated} />
            )}
          </div>
          {source.writeKey && (
            <div className="card">
              <h2>Install</h2>
              <Snippets writeKey={source.writeKey} origin={window.location.origin} />
            </div>
          )}
          {!source.managed && (
            <div className="card">
              <h2>Delete</h2>
              <DeleteSource source={source} />
            </div>
          )}
        </>
      )}
    </section>
  )
}
