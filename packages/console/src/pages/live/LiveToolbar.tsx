import type { Source } from '../../api/types'
import type { LiveFilter } from './liveModel'

const TYPES = ['track', 'page', 'identify', 'screen', 'group', 'alias']

interface LiveToolbarProps {
  sources: Source[]
  sourceId: string
  onSourceChange: (id: string) => void
  filter: LiveFilter
  onFilterChange: (filter: LiveFilter) => void
  paused: boolean
  buffered: number
  onPause: () => void
  onClear: () => void
}

/** Source selector, client-side filters, pause/resume and clear. */
export function LiveToolbar(props: LiveToolbarProps) {
  const { filter, onFilterChange } = props
  const set = (patch: Partial<LiveFilter>): void => onFilterChange({ ...filter, ...patch })
  return (
    <div className="toolbar card" role="group" aria-label="Live event controls">
      <div className="field">
        <label htmlFor="live-source">Source</label>
        <select
          id="live-source"
          value={props.sourceId}
          onChange={(e) => props.onSourceChange(e.target.value)}
        >
          <option value="">All sources</option>
          {props.sources.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="live-type">Type</label>
        <select id="live-type" value={filter.type} onChange={(e) => set({ type: e.target.value })}>
          <option value="">All types</option>
          {TYPES.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
          <option value="rejected">rejected</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="live-event">Event name</label>
        <input
          id="live-event"
          type="search"
          placeholder="Order Completed"
          value={filter.event}
          onChange={(e) => set({ event: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor="live-user">User</label>
        <input
          id="live-user"
          type="search"
          placeholder="userId / anonymousId"
          value={filter.user}
          onChange={(e) => set({ user: e.target.value })}
        />
      </div>
      <div className="toolbar-actions">
        <button
          type="button"
          className={props.paused ? 'button' : 'button secondary'}
          aria-pressed={props.paused}
          onClick={props.onPause}
        >
          {props.paused ? 'Resume' : 'Pause'}
        </button>
        {props.paused && (
          <span className="buffered" data-testid="buffered-count">
            {props.buffered} new while paused
          </span>
        )}
        <button type="button" className="button secondary" onClick={props.onClear}>
          Clear
        </button>
      </div>
    </div>
  )
}
