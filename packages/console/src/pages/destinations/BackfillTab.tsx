import { useEffect, useState } from 'react'
import type { Backfill } from '../../api/destination-types'
import { useApi } from '../../auth'
import { useFormSubmit } from '../../components/useFormSubmit'
import { useLoad } from '../../components/useLoad'
import { destinationsApi } from './destinationsApi'
import { formatTime, localToMs, msToLocal } from './format'
import { ErrorNote } from './parts'

/** Share of the backfill's seq range done, 0 to 100. */
function progress(b: Backfill): number {
  if (b.status === 'done') return 100
  const span = b.endSeq - b.startSeq
  return span <= 0 ? 0 : Math.min(100, Math.round(((b.position - b.startSeq) / span) * 100))
}

function BackfillRow({ backfill }: { backfill: Backfill }) {
  const pct = progress(backfill)
  return (
    <tr data-testid="backfill-row">
      <td className="muted small">
        {formatTime(backfill.from)} → {formatTime(backfill.to)}
      </td>
      <td>
        <span className={`trace-status ${backfill.status === 'done' ? 'delivered' : 'pending'}`}>
          {backfill.status}
        </span>
      </td>
      <td>
        <progress max={100} value={pct} aria-label={`Progress ${pct}%`} />{' '}
        <span className="small">{pct}%</span>
      </td>
      <td className="num">{backfill.events}</td>
      <td className="muted small">{formatTime(backfill.createdAt)}</td>
    </tr>
  )
}

/** Sends the events received in a time range again (as a new destination would miss them). */
export function BackfillTab({ id }: { id: string }) {
  const api = useApi()
  const [from, setFrom] = useState(() => msToLocal(Date.now() - 24 * 3_600_000))
  const [to, setTo] = useState(() => msToLocal(Date.now() + 60_000))
  const list = useLoad(() => destinationsApi.backfills(api, id), [api, id])
  const running = list.data?.data.some((b) => b.status === 'running') ?? false
  // Follow running backfills until they are done.
  useEffect(() => {
    if (!running) return
    const timer = window.setTimeout(list.reload, 1000)
    return () => window.clearTimeout(timer)
  }, [running, list.data, list.reload])
  const form = useFormSubmit(async () => {
    const range = { from: localToMs(from), to: localToMs(to) }
    if (range.from === undefined || range.to === undefined) throw new Error('Choose both times.')
    await destinationsApi.startBackfill(api, id, { from: range.from, to: range.to })
    list.reload()
  })
  return (
    <>
      <p className="tab-intro muted">
        A backfill delivers again every stored event received in the range, after the live events.
      </p>
      <form className="toolbar" aria-label="Start a backfill" onSubmit={form.onSubmit}>
        <div>
          <label htmlFor="backfill-from">Received from</label>
          <input
            id="backfill-from"
            type="datetime-local"
            required
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="backfill-to">until</label>
          <input
            id="backfill-to"
            type="datetime-local"
            required
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
        </div>
        <button type="submit" className="button" disabled={form.busy}>
          Start backfill
        </button>
      </form>
      <ErrorNote error={form.error ?? list.error} />
      {list.data && list.data.data.length === 0 && <p className="muted">No backfills yet.</p>}
      {list.data && list.data.data.length > 0 && (
        <table className="table dest-section" aria-label="Backfills">
          <thead>
            <tr>
              <th>Range</th>
              <th>Status</th>
              <th>Progress</th>
              <th className="num">Events</th>
              <th>Started</th>
            </tr>
          </thead>
          <tbody>
            {list.data.data.map((b) => (
              <BackfillRow key={b.id} backfill={b} />
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
