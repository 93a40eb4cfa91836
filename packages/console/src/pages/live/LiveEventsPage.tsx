import { useState } from 'react'
import { useApi } from '../../auth'
import { useLoad } from '../../components/useLoad'
import { LiveRow } from './LiveRow'
import { LiveToolbar } from './LiveToolbar'
import { emptyFilter, matchesFilter, MAX_ITEMS, type LiveFilter } from './liveModel'
import { useLiveStream } from './useLiveStream'

const STATUS_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
} as const

/** The live debugger: events and rejections as they arrive, newest first. */
export function LiveEventsPage() {
  const api = useApi()
  const sources = useLoad(() => api.listSources(), [api])
  const [sourceId, setSourceId] = useState('')
  const [filter, setFilter] = useState<LiveFilter>(emptyFilter)
  const [expanded, setExpanded] = useState<string | null>(null)
  const { state, dispatch, status, error } = useLiveStream(sourceId)
  const names = new Map((sources.data ?? []).map((s) => [s.id, s.name]))
  const visible = state.items.filter((item) => matchesFilter(item, filter))

  return (
    <section className="page">
      <div className="page-header row">
        <div>
          <h1>Live events</h1>
          <p className="muted">
            Events and rejections as Tessera receives them, newest first (last {MAX_ITEMS} kept).
          </p>
        </div>
        <span className={`status ${status}`} role="status" data-testid="stream-status">
          {STATUS_TEXT[status]}
        </span>
      </div>
      <LiveToolbar
        sources={sources.data ?? []}
        sourceId={sourceId}
        onSourceChange={setSourceId}
        filter={filter}
        onFilterChange={setFilter}
        paused={state.paused}
        buffered={state.buffer.length}
        onPause={() => dispatch({ type: state.paused ? 'resume' : 'pause' })}
        onClear={() => dispatch({ type: 'clear' })}
      />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="card live-card">
        <div className="live-head" aria-hidden="true">
          <span>Time</span>
          <span>Type</span>
          <span>Event / name</span>
          <span>User</span>
          <span>Source</span>
        </div>
        {visible.length === 0 ? (
          <p className="muted empty">
            {state.items.length === 0
              ? 'Waiting for events… Send some with a snippet from the Sources page.'
              : 'No events match the filters.'}
          </p>
        ) : (
          <ol className="live-list" aria-label="Live events" data-testid="live-list">
            {visible.map((item) => (
              <LiveRow
                key={item.key}
                item={item}
                sourceName={names.get(item.sourceId) ?? item.sourceId}
                expanded={expanded === item.key}
                onToggle={() => setExpanded(expanded === item.key ? null : item.key)}
              />
            ))}
          </ol>
        )}
      </div>
    </section>
  )
}
