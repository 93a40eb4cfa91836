import { useEffect } from 'react'
import { useApi } from '../../auth'
import { useLoad } from '../../components/useLoad'
import { StatsChart } from './StatsChart'
import { bucketByMinute, formatBytes, totalsBySource, totalsOf } from './stats'

const REFRESH_MS = 10_000

/** Ingest statistics for the last hour: totals, a per-minute chart and a per-source table. */
export function OverviewPage() {
  const api = useApi()
  const stats = useLoad(() => api.ingestStats(), [api])
  const sources = useLoad(() => api.listSources(), [api])
  const { reload } = stats

  useEffect(() => {
    const timer = window.setInterval(reload, REFRESH_MS)
    return () => window.clearInterval(timer)
  }, [reload])

  const rows = stats.data ?? []
  const totals = totalsOf(rows)
  const names = new Map((sources.data ?? []).map((s) => [s.id, s.name]))
  const cards = [
    { label: 'Accepted', value: totals.accepted.toLocaleString(), tone: 'accepted' },
    { label: 'Duplicates', value: totals.duplicates.toLocaleString(), tone: 'duplicates' },
    { label: 'Rejected', value: totals.rejected.toLocaleString(), tone: 'rejected' },
    { label: 'Received', value: formatBytes(totals.bytes), tone: 'bytes' },
  ]

  return (
    <section className="page">
      <div className="page-header">
        <h1>Overview</h1>
        <p className="muted">Ingestion over the last hour, refreshed every 10 seconds.</p>
      </div>
      {stats.error && (
        <p className="error" role="alert">
          {stats.error}
        </p>
      )}
      <div className="stat-cards" data-testid="stat-totals">
        {cards.map((card) => (
          <div key={card.label} className={`card stat-card ${card.tone}`}>
            <div className="stat-label">{card.label}</div>
            <div className="stat-value">{card.value}</div>
          </div>
        ))}
      </div>
      <div className="card">
        <h2>Events per minute</h2>
        <StatsChart buckets={bucketByMinute(rows, Date.now())} />
      </div>
      <div className="card">
        <h2>By source</h2>
        {rows.length === 0 ? (
          <p className="muted">{stats.loading ? 'Loading…' : 'No events in the last hour.'}</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>Source</th>
                <th className="num">Accepted</th>
                <th className="num">Duplicates</th>
                <th className="num">Rejected</th>
                <th className="num">Received</th>
              </tr>
            </thead>
            <tbody>
              {totalsBySource(rows).map((row) => (
                <tr key={row.sourceId}>
                  <td>{names.get(row.sourceId) ?? row.sourceId}</td>
                  <td className="num">{row.accepted}</td>
                  <td className="num">{row.duplicates}</td>
                  <td className="num">{row.rejected}</td>
                  <td className="num">{formatBytes(row.bytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  )
}
