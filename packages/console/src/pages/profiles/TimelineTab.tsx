import { useState } from 'react'
import { useApi } from '../../auth'
import { ErrorNote, LoadMore } from './parts'
import { profilesApi } from './profilesApi'
import { TimelineRow } from './TimelineRow'
import { usePaged } from './usePaged'
import { useSourceNames } from './useSourceNames'

const PAGE_SIZE = 50

/** `datetime-local` text (local time) as ISO, or undefined when empty. */
function toIso(local: string): string | undefined {
  if (!local) return undefined
  const date = new Date(local)
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
}

function RangeFilter({ onChange }: { onChange: (start: string, end: string) => void }) {
  const [start, setStart] = useState('')
  const [end, setEnd] = useState('')
  return (
    <form
      className="toolbar timeline-filter"
      aria-label="Time range"
      onSubmit={(e) => {
        e.preventDefault()
        onChange(start, end)
      }}
    >
      <div>
        <label htmlFor="timeline-start">From</label>
        <input
          id="timeline-start"
          type="datetime-local"
          value={start}
          onChange={(e) => setStart(e.target.value)}
        />
      </div>
      <div>
        <label htmlFor="timeline-end">Until</label>
        <input
          id="timeline-end"
          type="datetime-local"
          value={end}
          onChange={(e) => setEnd(e.target.value)}
        />
      </div>
      <button type="submit" className="button secondary">
        Apply
      </button>
    </form>
  )
}

/** The profile's events across all its identifiers, newest first. */
export function TimelineTab({ profileId }: { profileId: string }) {
  const api = useApi()
  const sourceName = useSourceNames()
  const [range, setRange] = useState({ start: '', end: '' })
  const [expanded, setExpanded] = useState<number | null>(null)
  const events = usePaged(
    (cursor) =>
      profilesApi.events(api, profileId, {
        limit: PAGE_SIZE,
        cursor,
        start: toIso(range.start),
        end: toIso(range.end),
      }),
    [api, profileId, range],
  )
  return (
    <>
      <RangeFilter onChange={(start, end) => setRange({ start, end })} />
      <ErrorNote error={events.error} />
      {events.items.length > 0 && (
        <div className="timeline">
          <div className="timeline-head" aria-hidden="true">
            <span>Time</span>
            <span>Type</span>
            <span>Event</span>
            <span>Identity</span>
            <span>Source</span>
            <span>Message</span>
          </div>
          <ul className="timeline-list" aria-label="Events">
            {events.items.map((item) => (
              <TimelineRow
                key={item.seq}
                item={item}
                sourceName={sourceName(item.sourceId)}
                expanded={expanded === item.seq}
                onToggle={() => setExpanded(expanded === item.seq ? null : item.seq)}
              />
            ))}
          </ul>
        </div>
      )}
      {!events.loading && !events.error && events.items.length === 0 && (
        <p className="muted">No events in this range.</p>
      )}
      <LoadMore hasMore={events.hasMore} loading={events.loading} onClick={events.loadMore} />
    </>
  )
}
