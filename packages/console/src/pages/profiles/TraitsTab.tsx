import type { ProfileDetail } from '../../api/identity-types'
import { formatTime, shorten, traitText } from './format'
import { useSourceNames } from './useSourceNames'

/** Current traits, each with the event that set it (last write wins by event time). */
export function TraitsTab({ profile }: { profile: ProfileDetail }) {
  const sourceName = useSourceNames()
  const traits = Object.entries(profile.traits).sort(([a], [b]) => a.localeCompare(b))
  if (traits.length === 0) return <p className="muted">No traits yet: identify calls set them.</p>
  return (
    <table className="table" aria-label="Traits">
      <thead>
        <tr>
          <th>Trait</th>
          <th>Value</th>
          <th>Source</th>
          <th>Set by message</th>
          <th>Event time</th>
        </tr>
      </thead>
      <tbody>
        {traits.map(([key, trait]) => (
          <tr key={key} data-testid={`trait-${key}`}>
            <td>
              <code>{key}</code>
            </td>
            <td className="trait-value">
              {trait.value === null ? (
                <span className="badge warn">removed</span>
              ) : (
                traitText(trait.value)
              )}
            </td>
            <td title={trait.sourceId}>{sourceName(trait.sourceId)}</td>
            <td>
              <code title={trait.messageId}>{shorten(trait.messageId, 12)}</code>
            </td>
            <td className="muted small">{formatTime(trait.timestamp)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
