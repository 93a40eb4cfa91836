import { useState } from 'react'
import type { InventoryRow } from '../../api/governance-types'
import type { Source } from '../../api/types'
import { useApi } from '../../auth'
import { CursorPager } from '../../components/CursorPager'
import { downloadExport } from '../../components/download'
import { ErrorNote } from '../../components/ErrorNote'
import { useCursorPages } from '../../components/useCursorPages'
import { errorMessage } from '../../components/useLoad'
import { ClassBadge, formatIso } from './parts'
import { privacyApi, type InventoryQuery } from './privacyApi'

const CLASS_FILTERS = [
  { id: 'pii', label: 'Any PII class' },
  { id: 'restricted', label: 'Restricted' },
  { id: 'sensitive', label: 'Sensitive' },
  { id: 'personal', label: 'Personal' },
  { id: 'none', label: 'Not PII' },
  { id: 'all', label: 'All fields' },
] as const

function Row({ row, sourceName }: { row: InventoryRow; sourceName: (id: string) => string }) {
  return (
    <tr data-testid="inventory-row">
      <td title={row.sourceId}>{sourceName(row.sourceId)}</td>
      <td>
        {row.event || <span className="muted">({row.eventType})</span>}
        {row.event && <div className="muted small">{row.eventType}</div>}
      </td>
      <td>
        <code>{row.field}</code>
      </td>
      <td>
        <ClassBadge value={row.class} />
        {row.kind && <span className="muted small"> {row.kind}</span>}
      </td>
      <td className="num">{row.count}</td>
      <td className="muted small">{formatIso(row.firstSeen)}</td>
      <td className="muted small">{formatIso(row.lastSeen)}</td>
    </tr>
  )
}

interface FiltersProps {
  query: InventoryQuery
  sources: Source[]
  onChange: (query: InventoryQuery) => void
  onDownload: () => void
}

function InventoryFilters({ query, sources, onChange, onDownload }: FiltersProps) {
  return (
    <div className="toolbar privacy-filters">
      <div>
        <label htmlFor="inventory-class">Class</label>
        <select
          id="inventory-class"
          value={query.class}
          onChange={(e) => onChange({ ...query, class: e.target.value })}
        >
          {CLASS_FILTERS.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="inventory-source">Source</label>
        <select
          id="inventory-source"
          value={query.source ?? ''}
          onChange={(e) => onChange({ ...query, source: e.target.value || undefined })}
        >
          <option value="">All sources</option>
          {sources.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <button type="button" className="button secondary" onClick={onDownload}>
        Download CSV
      </button>
    </div>
  )
}

/** The PII field inventory: filter by class and source, page through, download as CSV. */
export function InventorySection({ sources }: { sources: Source[] }) {
  const api = useApi()
  const [query, setQuery] = useState<InventoryQuery>({ class: 'pii' })
  const [downloadError, setDownloadError] = useState<string | null>(null)
  const pages = useCursorPages((cursor) => privacyApi.inventory(api, query, cursor), [api, query])
  const sourceName = (id: string): string => sources.find((s) => s.id === id)?.name ?? id
  const download = (): void => {
    setDownloadError(null)
    downloadExport(api, privacyApi.inventoryCsvPath(query), 'pii-inventory.csv').catch(
      (err: unknown) => setDownloadError(errorMessage(err)),
    )
  }
  return (
    <div className="card">
      <h2>PII inventory</h2>
      <p className="help">
        Every field seen per source and event, with the most harmful class it was found to hold
        (values are never kept).
      </p>
      <InventoryFilters query={query} sources={sources} onChange={setQuery} onDownload={download} />
      <ErrorNote error={downloadError ?? pages.error} />
      {!pages.loading && pages.rows.length === 0 && !pages.error && (
        <p className="muted" data-testid="inventory-empty">
          No fields match.
        </p>
      )}
      {pages.rows.length > 0 && (
        <table className="table" aria-label="PII inventory">
          <thead>
            <tr>
              <th>Source</th>
              <th>Event</th>
              <th>Field</th>
              <th>Class</th>
              <th className="num">Seen</th>
              <th>First seen</th>
              <th>Last seen</th>
            </tr>
          </thead>
          <tbody>
            {pages.rows.map((row) => (
              <Row
                key={`${row.sourceId}/${row.eventType}/${row.event}/${row.field}`}
                row={row}
                sourceName={sourceName}
              />
            ))}
          </tbody>
        </table>
      )}
      <CursorPager pages={pages} label="Inventory pages" />
    </div>
  )
}
