import { useState } from 'react'
import { useApi } from '../../auth'
import { useLoad } from '../../components/useLoad'
import { ErrorNote } from './parts'
import { plansApi } from './plansApi'
import { QuarantineEditor } from './QuarantineEditor'
import { INITIAL_QUERY, QuarantineFilter, type QuarantineQuery } from './QuarantineFilter'
import { QuarantineTable } from './QuarantineTable'
import { SourceSelect, usePlanSources, useSourceChoice, type PlanSources } from './SourceSelect'
import type { QuarantinedEvent, TrackingPlan } from './types'
import { useQuarantineActions, type QuarantineActions } from './useQuarantineActions'

const PAGE_SIZE = 100

/** The opened event: its payload editor, then replay or discard it alone. */
function OpenedEvent({
  event,
  actions,
  onSaved,
  onClose,
}: {
  event: QuarantinedEvent
  actions: QuarantineActions
  onSaved: () => void
  onClose: () => void
}) {
  return (
    <>
      <QuarantineEditor
        key={`${event.id}:${event.updatedAt}`}
        event={event}
        onSaved={onSaved}
        onClose={onClose}
      />
      {event.status === 'quarantined' && (
        <div className="plan-actions">
          <button className="button" type="button" onClick={() => void actions.replay([event.id])}>
            Replay this event
          </button>
          <button
            className="button danger"
            type="button"
            onClick={() => void actions.discard([event.id])}
          >
            Discard this event
          </button>
        </div>
      )}
    </>
  )
}

function BulkActions({ ids, actions }: { ids: string[]; actions: QuarantineActions }) {
  return (
    <div className="plan-actions">
      <button
        className="button"
        type="button"
        disabled={ids.length === 0}
        onClick={() => void actions.replay(ids)}
      >
        Replay selected
      </button>
      <button
        className="button danger"
        type="button"
        disabled={ids.length === 0}
        onClick={() => void actions.discard(ids)}
      >
        Discard selected
      </button>
    </div>
  )
}

function toggled(set: ReadonlySet<string>, id: string, on: boolean): Set<string> {
  const next = new Set(set)
  if (on) next.add(id)
  else next.delete(id)
  return next
}

/** The connected source to look at, and a refresh button. */
function SourceBar({
  sources,
  sourceId,
  onSource,
  onRefresh,
}: {
  sources: PlanSources
  sourceId: string
  onSource: (id: string) => void
  onRefresh: () => void
}) {
  if (sources.connected.length === 0) {
    return <p className="muted">Connect a source to see what its plan blocked.</p>
  }
  return (
    <div className="toolbar">
      <SourceSelect
        id="quarantine-source"
        sources={sources}
        value={sourceId}
        anySource={false}
        onChange={onSource}
      />
      <button className="button secondary" type="button" onClick={onRefresh}>
        Refresh
      </button>
    </div>
  )
}

/**
 * A connected source's quarantined events with their violations: view and fix a payload,
 * replay the selected events (they pass the gate again against the current plan) or discard.
 */
export function QuarantineTab({ plan }: { plan: TrackingPlan }) {
  const api = useApi()
  const sources = usePlanSources(plan)
  const [sourceId, setSourceId] = useSourceChoice(sources.data)
  const [query, setQuery] = useState<QuarantineQuery>(INITIAL_QUERY)
  const list = useLoad(async () => {
    if (!sourceId) return null
    const { event, violationType, status } = query
    return plansApi.quarantine(api, {
      sourceId,
      event: event.trim(),
      violationType,
      status,
      limit: PAGE_SIZE,
    })
  }, [api, sourceId, query])
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const toggle = (id: string, on: boolean): void => setSelected(toggled(selected, id, on))
  const [openId, setOpenId] = useState<string | null>(null)
  const actions = useQuarantineActions(() => {
    setSelected(new Set())
    setOpenId(null)
    list.reload()
  })
  const events = list.data?.data ?? []
  const opened = events.find((e) => e.id === openId)
  return (
    <>
      <h2>Quarantine</h2>
      <ErrorNote error={sources.error ?? list.error ?? actions.error} testId="quarantine-error" />
      {actions.note && (
        <p className="plan-saved" role="status" data-testid="quarantine-note">
          {actions.note}
        </p>
      )}
      {sources.data && (
        <SourceBar
          sources={sources.data}
          sourceId={sourceId}
          onSource={setSourceId}
          onRefresh={list.reload}
        />
      )}
      <QuarantineFilter onApply={setQuery} />
      <BulkActions ids={[...selected]} actions={actions} />
      {list.data && events.length === 0 && <p className="muted">Nothing here.</p>}
      {events.length > 0 && (
        <QuarantineTable
          events={events}
          selected={selected}
          onSelect={toggle}
          onOpen={(id) => setOpenId(openId === id ? null : id)}
        />
      )}
      {list.data?.next && (
        <p className="muted">Showing the newest {PAGE_SIZE}: narrow the filters to see others.</p>
      )}
      {opened && (
        <OpenedEvent
          event={opened}
          actions={actions}
          onSaved={() => {
            actions.setNote(`Saved event ${opened.id}.`)
            list.reload()
          }}
          onClose={() => setOpenId(null)}
        />
      )}
    </>
  )
}
