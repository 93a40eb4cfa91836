import { formatIso } from './tabs'
import type { QuarantinedEvent } from './types'

function Row({
  event,
  selected,
  onSelect,
  onOpen,
}: {
  event: QuarantinedEvent
  selected: boolean
  onSelect: (on: boolean) => void
  onOpen: () => void
}) {
  const open = event.status === 'quarantined'
  return (
    <tr data-testid={`quarantined-${event.messageId}`}>
      <td>
        <input
          type="checkbox"
          aria-label={`Select ${event.messageId}`}
          checked={selected}
          disabled={!open}
          onChange={(e) => onSelect(e.target.checked)}
        />
      </td>
      <td>{formatIso(event.receivedAt)}</td>
      <td>
        {event.name || event.type} <span className="muted small">{event.type}</span>
      </td>
      <td className="small">
        {event.violations.map((v) => `${v.type} ${v.field}`.trim()).join('; ')}
      </td>
      <td>
        <span className={`plan-status ${event.status}`}>{event.status}</span>
      </td>
      <td>
        <button className="button secondary small" type="button" onClick={onOpen}>
          {open ? 'View / edit' : 'View'}
        </button>
      </td>
    </tr>
  )
}

/** Quarantined events with a checkbox each (only events still quarantined can be picked). */
export function QuarantineTable({
  events,
  selected,
  onSelect,
  onOpen,
}: {
  events: QuarantinedEvent[]
  selected: ReadonlySet<string>
  onSelect: (id: string, on: boolean) => void
  onOpen: (id: string) => void
}) {
  return (
    <table className="table" aria-label="Quarantined events">
      <thead>
        <tr>
          <th />
          <th>Received</th>
          <th>Event</th>
          <th>Violations</th>
          <th>Status</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <Row
            key={e.id}
            event={e}
            selected={selected.has(e.id)}
            onSelect={(on) => onSelect(e.id, on)}
            onOpen={() => onOpen(e.id)}
          />
        ))}
      </tbody>
    </table>
  )
}
