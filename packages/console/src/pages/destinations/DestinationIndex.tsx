import type { DestinationRecord, MetricCounts } from '../../api/destination-types'
import { useApi } from '../../auth'
import { useLoad } from '../../components/useLoad'
import { Link, navigate } from '../../router'
import { destinationsApi } from './destinationsApi'
import { destinationUrl } from './format'
import { ErrorNote, StateBadge } from './parts'
import { TraceBox } from './TraceBox'
import { useRefresh } from './useRefresh'

export const MANAGED_NOTE =
  'Destinations are defined in the config file (its destinations: section), so the console shows them read-only. Edit the file to change them.'

function AddButton({ managed }: { managed: boolean }) {
  if (managed) {
    return (
      <button
        type="button"
        className="button"
        disabled
        title={MANAGED_NOTE}
        data-testid="add-destination"
      >
        Add destination
      </button>
    )
  }
  return (
    <button
      type="button"
      className="button"
      data-testid="add-destination"
      onClick={() => navigate('/destinations/new')}
    >
      Add destination
    </button>
  )
}

function Row({ record, day }: { record: DestinationRecord; day: MetricCounts | undefined }) {
  const { config, status } = record
  return (
    <tr data-testid={`destination-row-${config.id}`}>
      <td>
        <Link to={destinationUrl(config.id)}>{config.name}</Link>
        <div className="muted small">
          <code>{config.id}</code> · {config.type}
        </div>
      </td>
      <td>
        <StateBadge record={record} />
      </td>
      <td className="num">{status.lag ?? '—'}</td>
      <td className="num" data-testid="delivered-24h">
        {day?.delivered ?? '—'}
      </td>
      <td className="num" data-testid="failed-24h">
        {day?.failed ?? '—'}
      </td>
    </tr>
  )
}

/** Destinations with their state, lag and last-24-hour counts. */
function DestinationTable({ records }: { records: DestinationRecord[] }) {
  const api = useApi()
  const ids = records.map((r) => r.config.id).join(',')
  const day = useLoad(async () => {
    const totals = await Promise.all(
      records.map(async (r) => (await destinationsApi.metrics(api, r.config.id, {})).totals),
    )
    return new Map(records.map((r, i) => [r.config.id, totals[i]]))
  }, [api, ids])
  return (
    <table className="table" aria-label="Destinations">
      <thead>
        <tr>
          <th>Destination</th>
          <th>State</th>
          <th className="num">Lag</th>
          <th className="num">Delivered 24 h</th>
          <th className="num">Failed 24 h</th>
        </tr>
      </thead>
      <tbody>
        {records.map((record) => (
          <Row key={record.config.id} record={record} day={day.data?.get(record.config.id)} />
        ))}
      </tbody>
    </table>
  )
}

/** `/destinations`: every destination, the add button and the event trace. */
export function DestinationIndex() {
  const api = useApi()
  const list = useLoad(() => destinationsApi.list(api), [api])
  useRefresh(list.reload)
  const managed = list.data?.managed ?? false
  return (
    <section className="page">
      <div className="page-header row">
        <div>
          <h1>Destinations</h1>
          <p className="muted">
            Where events go after collection: webhooks, NATS, a PostgreSQL warehouse or any
            destination of the Segment catalog.
          </p>
        </div>
        {list.data && <AddButton managed={managed} />}
      </div>
      {managed && (
        <p className="dest-managed" data-testid="managed-note">
          <span className="badge">managed</span> {MANAGED_NOTE}
        </p>
      )}
      <ErrorNote error={list.error} />
      <div className="card">
        <h2>All destinations</h2>
        {!list.data && !list.error && <p className="muted">Loading…</p>}
        {list.data && list.data.data.length === 0 && (
          <p className="muted">
            No destinations yet{managed ? '.' : ': add one from the catalog.'}
          </p>
        )}
        {list.data && list.data.data.length > 0 && <DestinationTable records={list.data.data} />}
      </div>
      <TraceBox />
    </section>
  )
}
