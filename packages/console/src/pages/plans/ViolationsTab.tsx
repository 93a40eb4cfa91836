import { useState } from 'react'
import { useApi } from '../../auth'
import { useLoad } from '../../components/useLoad'
import { Choice, ErrorNote } from './parts'
import { plansApi } from './plansApi'
import { SourceSelect, usePlanSources, useSourceChoice } from './SourceSelect'
import { formatIso } from './tabs'
import {
  WINDOWS,
  type PlanStatsRow,
  type TrackingPlan,
  type ViolationGroup,
  type ViolationWindow,
} from './types'

type StatTotals = Pick<PlanStatsRow, 'checked' | 'passed' | 'violated' | 'blocked' | 'omitted'>

/** Per-minute stats summed per event (`track:Order Completed`), most checked first. */
export function statsByEvent(rows: PlanStatsRow[]): Array<[string, StatTotals]> {
  const totals = new Map<string, StatTotals>()
  for (const r of rows) {
    const key = `${r.eventType}:${r.eventName}`
    const t = totals.get(key) ?? { checked: 0, passed: 0, violated: 0, blocked: 0, omitted: 0 }
    t.checked += r.checked
    t.passed += r.passed
    t.violated += r.violated
    t.blocked += r.blocked
    t.omitted += r.omitted
    totals.set(key, t)
  }
  return [...totals].sort((a, b) => b[1].checked - a[1].checked)
}

function GroupTable({ groups }: { groups: ViolationGroup[] }) {
  if (groups.length === 0) return <p className="muted">No violations in this window.</p>
  return (
    <table className="table" aria-label="Violations">
      <thead>
        <tr>
          <th>Event</th>
          <th>Field</th>
          <th>Type</th>
          <th className="num">Count</th>
          <th>Last seen</th>
          <th>Last description</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((g) => (
          <tr
            key={`${g.eventType}|${g.eventName}|${g.field}|${g.violationType}`}
            data-testid="violation-row"
          >
            <td>
              {g.eventName || g.eventType} <span className="muted small">{g.eventType}</span>
            </td>
            <td>
              <code>{g.field || '—'}</code>
            </td>
            <td>{g.violationType}</td>
            <td className="num">{g.count}</td>
            <td>{formatIso(g.lastSeen)}</td>
            <td className="small">{g.lastDescription}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function StatsTable({ rows }: { rows: PlanStatsRow[] }) {
  const events = statsByEvent(rows)
  if (events.length === 0) return <p className="muted">No events checked in the last hour.</p>
  return (
    <table className="table" aria-label="Plan checks">
      <thead>
        <tr>
          <th>Event</th>
          <th className="num">Checked</th>
          <th className="num">Passed</th>
          <th className="num">Violated</th>
          <th className="num">Blocked</th>
          <th className="num">Omitted</th>
        </tr>
      </thead>
      <tbody>
        {events.map(([event, t]) => (
          <tr key={event} data-testid={`stats-${event}`}>
            <td>{event}</td>
            <td className="num">{t.checked}</td>
            <td className="num">{t.passed}</td>
            <td className="num">{t.violated}</td>
            <td className="num">{t.blocked}</td>
            <td className="num">{t.omitted}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** A connected source's violations grouped by event, field and type, and its plan checks. */
export function ViolationsTab({ plan }: { plan: TrackingPlan }) {
  const api = useApi()
  const sources = usePlanSources(plan)
  const [sourceId, setSourceId] = useSourceChoice(sources.data)
  const [range, setRange] = useState<ViolationWindow>('24h')
  const found = useLoad(async () => {
    if (!sourceId) return null
    const [violations, stats] = await Promise.all([
      plansApi.violations(api, sourceId, range),
      plansApi.planStats(api, sourceId),
    ])
    return { groups: violations.data, stats }
  }, [api, sourceId, range])
  return (
    <>
      <h2>Violations</h2>
      <ErrorNote error={sources.error ?? found.error} />
      {sources.data && sources.data.connected.length === 0 && (
        <p className="muted">Connect a source to see its violations.</p>
      )}
      {sources.data && sources.data.connected.length > 0 && (
        <div className="toolbar">
          <SourceSelect
            id="violations-source"
            sources={sources.data}
            value={sourceId}
            anySource={false}
            onChange={setSourceId}
          />
          <Choice
            id="violations-window"
            label="Window"
            value={range}
            options={WINDOWS}
            onChange={setRange}
          />
          <button className="button secondary" type="button" onClick={found.reload}>
            Refresh
          </button>
        </div>
      )}
      {found.data && (
        <>
          <GroupTable groups={found.data.groups} />
          <h3>Checks in the last hour</h3>
          <StatsTable rows={found.data.stats} />
        </>
      )}
    </>
  )
}
