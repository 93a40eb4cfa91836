import type { ProfileEvent } from '../../api/identity-types'
import { eventName, formatTime, shorten } from './format'

function who(event: Record<string, unknown>): { label: string; value: string } {
  if (typeof event.userId === 'string' && event.userId) {
    return { label: 'user', value: event.userId }
  }
  if (typeof event.anonymousId === 'string' && event.anonymousId) {
    return { label: 'anon', value: event.anonymousId }
  }
  return { label: '', value: '—' }
}

interface TimelineRowProps {
  item: ProfileEvent
  sourceName: string
  expanded: boolean
  onToggle: () => void
}

/** One event of the profile; click to show its JSON. */
export function TimelineRow({ item, sourceName, expanded, onToggle }: TimelineRowProps) {
  const name = eventName(item.event)
  const user = who(item.event)
  return (
    <li className="timeline-item" data-testid="timeline-row">
      <button
        type="button"
        className="timeline-row"
        aria-expanded={expanded}
        aria-label={`${item.type} ${name} at ${formatTime(item.timestamp)}`}
        onClick={onToggle}
      >
        <span className="timeline-time">{formatTime(item.timestamp)}</span>
        <span className={`type-badge ${item.type}`}>{item.type}</span>
        <span className="timeline-name">{name || <span className="muted">—</span>}</span>
        <span className="timeline-who" title={user.value}>
          {user.label && <span className="muted">{user.label} </span>}
          {user.value}
        </span>
        <span className="timeline-source" title={item.sourceId}>
          {sourceName}
        </span>
        <code className="timeline-message" title={item.messageId}>
          {shorten(item.messageId, 10)}
        </code>
      </button>
      {expanded && (
        <pre className="timeline-json" data-testid="timeline-json">
          {JSON.stringify(item.event, null, 2)}
        </pre>
      )}
    </li>
  )
}
