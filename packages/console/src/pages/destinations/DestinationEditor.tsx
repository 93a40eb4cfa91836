import type { CatalogDetail, DestinationRecord } from '../../api/destination-types'
import { useApi } from '../../auth'
import { useLoad } from '../../components/useLoad'
import { Link, navigate } from '../../router'
import { MANAGED_NOTE } from './DestinationIndex'
import { DestinationForm } from './DestinationForm'
import { destinationsApi } from './destinationsApi'
import { destinationUrl } from './format'
import { ErrorNote } from './parts'

function TypeHeader({ detail, title }: { detail: CatalogDetail; title: string }) {
  return (
    <div className="page-header">
      <h1>{title}</h1>
      <p className="muted">
        {detail.name} <code>{detail.type}</code>
        {detail.description && ` · ${detail.description}`}
      </p>
    </div>
  )
}

const opened = (record: DestinationRecord): void => navigate(destinationUrl(record.config.id))

/** `/destinations/new/:type`: the configure form of a new destination. */
export function CreateDestination({ type }: { type: string }) {
  const api = useApi()
  const loaded = useLoad(
    async () => ({
      detail: await destinationsApi.catalogType(api, type),
      managed: (await destinationsApi.list(api)).managed,
    }),
    [api, type],
  )
  return (
    <section className="page">
      <p className="breadcrumb">
        <Link to="/destinations/new">← Catalog</Link>
      </p>
      <ErrorNote error={loaded.error} />
      {!loaded.data && !loaded.error && <p className="muted">Loading…</p>}
      {loaded.data && (
        <>
          <TypeHeader
            detail={loaded.data.detail}
            title={`New ${loaded.data.detail.name} destination`}
          />
          {loaded.data.managed ? (
            <p className="dest-managed">{MANAGED_NOTE}</p>
          ) : (
            <DestinationForm detail={loaded.data.detail} onSaved={opened} />
          )}
        </>
      )}
    </section>
  )
}

/** `/destinations/:id/edit`: the same form, filled with the stored config. */
export function EditDestination({ id }: { id: string }) {
  const api = useApi()
  const loaded = useLoad(async () => {
    const record = await destinationsApi.get(api, id)
    return { record, detail: await destinationsApi.catalogType(api, record.config.type) }
  }, [api, id])
  return (
    <section className="page">
      <p className="breadcrumb">
        <Link to={destinationUrl(id)}>← Back to the destination</Link>
      </p>
      <ErrorNote error={loaded.error} />
      {!loaded.data && !loaded.error && <p className="muted">Loading…</p>}
      {loaded.data && (
        <>
          <TypeHeader
            detail={loaded.data.detail}
            title={`Edit ${loaded.data.record.config.name}`}
          />
          {loaded.data.record.managed ? (
            <p className="dest-managed">{MANAGED_NOTE}</p>
          ) : (
            <DestinationForm
              detail={loaded.data.detail}
              original={loaded.data.record.config}
              onSaved={opened}
            />
          )}
        </>
      )}
    </section>
  )
}
