import { useState } from 'react'
import type { CatalogItem } from '../../api/destination-types'
import { useApi } from '../../auth'
import { useLoad } from '../../components/useLoad'
import { Link } from '../../router'
import { destinationsApi } from './destinationsApi'
import { ErrorNote } from './parts'

function CatalogCard({ item }: { item: CatalogItem }) {
  return (
    <li className="catalog-item" data-testid={`catalog-${item.type}`}>
      <Link to={`/destinations/new/${encodeURIComponent(item.type)}`} className="catalog-link">
        <span className="catalog-name">
          {item.name} {item.builtin && <span className="badge ok">built-in</span>}
        </span>
        <code className="muted small">{item.type}</code>
        {item.description && <span className="catalog-description">{item.description}</span>}
      </Link>
    </li>
  )
}

/** `/destinations/new`: the searchable catalog, built-in types first. */
export function CatalogBrowser() {
  const api = useApi()
  const [q, setQ] = useState('')
  const catalog = useLoad(() => destinationsApi.catalog(api, q.trim()), [api, q])
  const items = catalog.data?.data ?? []
  const builtins = items.filter((i) => i.builtin)
  const others = items.filter((i) => !i.builtin)
  return (
    <section className="page">
      <p className="breadcrumb">
        <Link to="/destinations">← Destinations</Link>
      </p>
      <div className="page-header">
        <h1>Add a destination</h1>
        <p className="muted">Pick a type, then configure it.</p>
      </div>
      <div className="card">
        <label htmlFor="catalog-q">Search the catalog</label>
        <input
          id="catalog-q"
          type="search"
          className="dest-wide-input"
          placeholder="webhook, mixpanel, amplitude…"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        {catalog.data && (
          <p className="help">
            {catalog.data.total} type{catalog.data.total === 1 ? '' : 's'}
          </p>
        )}
      </div>
      <ErrorNote error={catalog.error} />
      {builtins.length > 0 && (
        <div className="card">
          <h2>Built in</h2>
          <ul className="catalog-list" aria-label="Built-in destinations">
            {builtins.map((item) => (
              <CatalogCard key={item.type} item={item} />
            ))}
          </ul>
        </div>
      )}
      {others.length > 0 && (
        <div className="card">
          <h2>Segment catalog</h2>
          <ul className="catalog-list" aria-label="Catalog destinations">
            {others.map((item) => (
              <CatalogCard key={item.type} item={item} />
            ))}
          </ul>
        </div>
      )}
      {catalog.data && items.length === 0 && <p className="muted">Nothing matches “{q}”.</p>}
    </section>
  )
}
