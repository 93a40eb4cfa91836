import { Link } from '../../router'
import type { LiveItem } from './liveModel'
import { callHint, callOf, eventName } from './liveModel'

function time(iso: string | null): string {
  if (!iso) return '—'
  const d = new Date(iso)
  const ms = String(d.getMilliseconds()).padStart(3, '0')
  return `${d.toLocaleTimeString([], { hour12: false })}.${ms}`
}

function userOf(item: LiveItem): { label: string; value: string } {
  const call = callOf(item)
  if (typeof call.userId === 'string' && call.userId) return { label: 'user', value: call.userId }
  if (typeof call.anonymousId === 'string' && call.anonymousId) {
    return { label: 'anon', value: call.anonymousId }
  }
  return { label: '', value: '—' }
}

interface LiveRowProps {
  item: LiveItem
  sourceName: string
  expanded: boolean
  onToggle: () => void
}

/** One event or rejection; click to show its JSON. */
export function LiveRow({ item, sourceName, expanded, onToggle }: LiveRowProps) {
  const call = callOf(item)
  const rejected = item.kind === 'rejection'
  const user = userOf(item)
  const type = typeof call.type === 'string' ? call.type : '?'
  const json = rejected ? item : item.event
  return (
    <li className={rejected ? 'live-item rejected' : 'live-item'} data-testid="live-row">
      <button
        type="button"
        className="live-row"
        aria-expanded={expanded}
        aria-label={`${rejected ? 'Rejected' : type} ${eventName(call)} at ${time(item.receivedAt)}`}
        onClick={onToggle}
      >
        <span className="live-time">{time(item.receivedAt)}</span>
        <span className={`type-badge ${rejected ? 'rejected' : type}`}>{type}</span>
        <span className="live-name">
          {eventName(call) || <span className="muted">{callHint(call) || '—'}</span>}
          {rejected && (
            <span className="live-reason" data-testid="rejection-reason">
              <strong>{item.code}</strong> {item.reason}
            </span>
          )}
        </span>
        <span className="live-user" title={user.value}>
          {user.label && <span className="muted">{user.label} </span>}
          {user.value}
        </span>
        <span className="live-source">{sourceName}</span>
      </button>
      {expanded && (
        <pre className="live-json" data-testid="event-json">
          {JSON.stringify(json, null, 2)}
        </pre>
      )}
      {expanded && !rejected && typeof call.messageId === 'string' && (
        <p className="live-trace">
          <Link to={`/destinations?messageId=${encodeURIComponent(call.messageId)}`}>
            Where did this event go?
          </Link>
        </p>
      )}
    </li>
  )
}
