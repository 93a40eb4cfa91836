import { useState } from 'react'
import { useApi } from '../../auth'
import { CursorPager } from '../../components/CursorPager'
import { downloadExport } from '../../components/download'
import { ErrorNote } from '../../components/ErrorNote'
import { useCursorPages } from '../../components/useCursorPages'
import { errorMessage } from '../../components/useLoad'
import { auditApi, EMPTY_FILTER, type AuditFilter } from './auditApi'
import { AuditFilters } from './AuditFilters'
import { AuditTable } from './AuditTable'
import { VerifyChain } from './VerifyChain'
import './audit.css'

/** `/audit`: the tamper-evident log of admin actions, filtered and paged, verified, exported. */
export function AuditPage() {
  const api = useApi()
  const [filter, setFilter] = useState<AuditFilter>(EMPTY_FILTER)
  const [exportError, setExportError] = useState<string | null>(null)
  const pages = useCursorPages((cursor) => auditApi.query(api, filter, cursor), [api, filter])
  const download = (format: 'jsonl' | 'csv'): void => {
    setExportError(null)
    downloadExport(api, auditApi.exportPath(filter, format), `tessera-audit.${format}`).catch(
      (err: unknown) => setExportError(errorMessage(err)),
    )
  }
  return (
    <section className="page">
      <div className="page-header row">
        <div>
          <h1>Audit log</h1>
          <p className="muted">
            Who changed what, and who read profiles or exported data: every entry is chained to the
            one before by its hash.
          </p>
        </div>
        <VerifyChain />
      </div>
      <div className="card">
        <AuditFilters onApply={setFilter} />
        <div className="audit-export">
          <span className="muted small">Export the filtered log:</span>
          <button
            type="button"
            className="button secondary small"
            onClick={() => download('jsonl')}
          >
            JSON lines
          </button>
          <button type="button" className="button secondary small" onClick={() => download('csv')}>
            CSV
          </button>
        </div>
      </div>
      <ErrorNote error={exportError ?? pages.error} />
      <div className="card">
        {!pages.loading && pages.rows.length === 0 && !pages.error && (
          <p className="muted" data-testid="audit-empty">
            No entries match.
          </p>
        )}
        {pages.rows.length > 0 && <AuditTable entries={pages.rows} />}
        <CursorPager pages={pages} label="Audit log pages" />
      </div>
    </section>
  )
}
