import type { DestinationRecord } from '../../api/destination-types'
import { useApi } from '../../auth'
import { useLoad } from '../../components/useLoad'
import { Link } from '../../router'
import { BackfillTab } from './BackfillTab'
import { DeadLettersTab } from './DeadLettersTab'
import { DeliveryTab } from './DeliveryTab'
import { destinationsApi } from './destinationsApi'
import { FiltersTab } from './FiltersTab'
import { destinationUrl } from './format'
import { OverviewTab } from './OverviewTab'
import { ErrorNote, StateBadge } from './parts'
import { TABS, tabLabel, toTab, type Tab } from './tabs'
import { TesterTab } from './TesterTab'
import { useRefresh } from './useRefresh'

function TabContent({
  tab,
  record,
  reload,
}: {
  tab: Tab
  record: DestinationRecord
  reload: () => void
}) {
  const id = record.config.id
  switch (tab) {
    case 'overview':
      return <OverviewTab record={record} />
    case 'delivery':
      return <DeliveryTab id={id} />
    case 'dead-letters':
      return <DeadLettersTab id={id} />
    case 'filters':
      return <FiltersTab record={record} onSaved={reload} />
    case 'tester':
      return <TesterTab id={id} />
    case 'backfill':
      return <BackfillTab id={id} />
  }
}

/** One destination: its state, then overview, delivery, dead letters and tools by tab. */
export function DestinationDetail({ id, tab }: { id: string; tab: string }) {
  const api = useApi()
  const loaded = useLoad(() => destinationsApi.get(api, id), [api, id])
  useRefresh(loaded.reload)
  const record = loaded.data
  const current = toTab(tab)
  return (
    <section className="page">
      <p className="breadcrumb">
        <Link to="/destinations">← Destinations</Link>
      </p>
      <ErrorNote error={loaded.error} />
      {!record && !loaded.error && <p className="muted">Loading…</p>}
      {record && (
        <>
          <div className="page-header">
            <h1 data-testid="destination-title">{record.config.name}</h1>
            <p className="muted">
              <StateBadge record={record} /> <code>{record.config.id}</code> · {record.config.type}
              {record.managed && (
                <>
                  {' '}
                  <span className="badge">managed</span>
                </>
              )}
            </p>
          </div>
          <nav className="tabs" aria-label="Destination sections">
            {TABS.map((t) => (
              <Link
                key={t}
                to={destinationUrl(id, t === 'overview' ? undefined : t)}
                className={t === current ? 'tab active' : 'tab'}
                aria-current={t === current ? 'page' : undefined}
              >
                {tabLabel(t)}
              </Link>
            ))}
          </nav>
          <div className="card" data-testid={`tab-${current}`}>
            <TabContent tab={current} record={record} reload={loaded.reload} />
          </div>
        </>
      )}
    </section>
  )
}
