import type { ProfileSummary } from '../../api/identity-types'
import { Link } from '../../router'
import { countsText, formatTime, idKey, profileUrl } from './format'
import { IdChip } from './parts'

/** The profile's display name: its name, else its email, else its id. */
export function profileLabel(p: { id: string; name?: string | null; email?: string | null }) {
  return p.name || p.email || p.id
}

interface ProfileTableProps {
  profiles: ProfileSummary[]
  label: string
}

/** Profile summaries with their first identifiers, event counts and activity. */
export function ProfileTable({ profiles, label }: ProfileTableProps) {
  return (
    <table className="table" aria-label={label}>
      <thead>
        <tr>
          <th>Profile</th>
          <th>Identifiers</th>
          <th>Events</th>
          <th>Last seen</th>
        </tr>
      </thead>
      <tbody>
        {profiles.map((p) => (
          <tr key={p.id} data-testid="profile-row">
            <td>
              <Link to={profileUrl(p.id)}>{profileLabel(p)}</Link>
              <div className="muted small">
                <code>{p.id}</code>
                {p.name && p.email ? ` · ${p.email}` : ''}
              </div>
            </td>
            <td>
              <span className="id-chips">
                {p.identifiers.map((id) => (
                  <IdChip key={idKey(id)} id={id} />
                ))}
              </span>
            </td>
            <td className="muted small">{countsText(p.counts)}</td>
            <td className="muted small">{formatTime(p.lastSeen)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
