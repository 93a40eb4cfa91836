import type { Source } from '../../api/types'
import { CopyButton } from '../../components/CopyButton'
import { Link } from '../../router'

export function ManagedBadge() {
  return (
    <span className="badge" title="Defined in the config file: edit it there">
      managed
    </span>
  )
}

export function SourceList({ sources }: { sources: Source[] }) {
  if (sources.length === 0) return <p className="muted">No sources yet: create one below.</p>
  return (
    <table className="table" aria-label="Sources">
      <thead>
        <tr>
          <th>Name</th>
          <th>ID</th>
          <th>Write key</th>
        </tr>
      </thead>
      <tbody>
        {sources.map((source) => (
          <tr key={source.id} data-testid={`source-row-${source.id}`}>
            <td>
              <Link to={`/sources/${encodeURIComponent(source.id)}`}>{source.name}</Link>{' '}
              {source.managed && <ManagedBadge />}
            </td>
            <td>
              <code>{source.id}</code>
            </td>
            <td>
              {source.writeKey && (
                <span className="key-cell">
                  <code className="write-key">{source.writeKey}</code>
                  <CopyButton text={source.writeKey} label={`Copy write key of ${source.name}`} />
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
