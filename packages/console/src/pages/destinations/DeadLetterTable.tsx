import { Fragment, useState } from 'react'
import type { DeadLetter } from '../../api/destination-types'
import { formatTime, prettyJson } from './format'
import { ExchangeView } from './parts'

interface DeadLetterTableProps {
  items: DeadLetter[]
  selected: Set<number>
  onSelect: (selected: Set<number>) => void
}

function Details({ item }: { item: DeadLetter }) {
  return (
    <div className="dest-dead-details" data-testid="dead-letter-details">
      <h4>Attempts</h4>
      <ol className="dest-attempts">
        {item.attempts.map((a, i) => (
          <li key={i}>
            {formatTime(a.at)} · {a.code ?? 'ok'} {a.message ?? ''} · {a.durationMs} ms
          </li>
        ))}
      </ol>
      {item.error.sample && <ExchangeView sample={item.error.sample} />}
      <h4>Event</h4>
      <pre>{prettyJson(item.payload)}</pre>
    </div>
  )
}

/** Dead letters with a checkbox each; a row opens its attempts, last exchange and event. */
export function DeadLetterTable({ items, selected, onSelect }: DeadLetterTableProps) {
  const [open, setOpen] = useState<number | null>(null)
  const toggle = (id: number, on: boolean): void => {
    const next = new Set(selected)
    if (on) next.add(id)
    else next.delete(id)
    onSelect(next)
  }
  const allSelected = items.length > 0 && items.every((i) => selected.has(i.id))
  return (
    <table className="table" aria-label="Dead letters">
      <thead>
        <tr>
          <th>
            <input
              type="checkbox"
              aria-label="Select all shown"
              checked={allSelected}
              onChange={(e) => onSelect(new Set(e.target.checked ? items.map((i) => i.id) : []))}
            />
          </th>
          <th>Failed</th>
          <th>Event</th>
          <th>Error</th>
          <th className="num">Attempts</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <Fragment key={item.id}>
            <tr data-testid="dead-letter-row">
              <td>
                <input
                  type="checkbox"
                  aria-label={`Select ${item.messageId}`}
                  checked={selected.has(item.id)}
                  onChange={(e) => toggle(item.id, e.target.checked)}
                />
              </td>
              <td className="muted small">
                {formatTime(item.failedAt)}
                {item.replayedAt !== null && <div>replayed {formatTime(item.replayedAt)}</div>}
              </td>
              <td>
                <span className={`type-badge ${item.eventType}`}>{item.eventType}</span>{' '}
                {item.eventName ?? ''}
                <div className="muted small">
                  <code>{item.messageId}</code>
                </div>
              </td>
              <td>
                <strong>{item.error.code}</strong>
                <div className="muted small">{item.error.message}</div>
              </td>
              <td className="num">{item.attempts.length}</td>
              <td>
                <button
                  type="button"
                  className="button secondary small"
                  aria-expanded={open === item.id}
                  onClick={() => setOpen(open === item.id ? null : item.id)}
                >
                  {open === item.id ? 'Hide' : 'Details'}
                </button>
              </td>
            </tr>
            {open === item.id && (
              <tr>
                <td colSpan={6}>
                  <Details item={item} />
                </td>
              </tr>
            )}
          </Fragment>
        ))}
      </tbody>
    </table>
  )
}
