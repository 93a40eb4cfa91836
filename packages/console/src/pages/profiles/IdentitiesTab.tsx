import type { ProfileDetail } from '../../api/identity-types'
import { formatTime, idKey, shorten } from './format'
import { useSourceNames } from './useSourceNames'

/** Every identifier on the profile, with the event it was first seen on. */
export function IdentitiesTab({ profile }: { profile: ProfileDetail }) {
  const sourceName = useSourceNames()
  if (profile.identifiers.length === 0) return <p className="muted">No identifiers.</p>
  return (
    <table className="table" aria-label="Identities">
      <thead>
        <tr>
          <th>Type</th>
          <th>Value</th>
          <th>First seen</th>
          <th>First message</th>
          <th>Source</th>
          <th>On this profile since</th>
        </tr>
      </thead>
      <tbody>
        {profile.identifiers.map((id) => (
          <tr key={idKey(id)} data-testid="identity-row">
            <td>
              <span className="id-type">{id.type}</span>
            </td>
            <td>
              <code>{id.value}</code>
            </td>
            <td className="muted small">{formatTime(id.firstSeen)}</td>
            <td>
              <code title={id.firstMessageId}>{shorten(id.firstMessageId, 12)}</code>
            </td>
            <td title={id.firstSourceId}>{sourceName(id.firstSourceId)}</td>
            <td className="muted small">{formatTime(id.addedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
