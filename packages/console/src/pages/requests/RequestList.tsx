import { useState } from 'react'
import { useApi } from '../../auth'
import { CursorPager } from '../../components/CursorPager'
import { ErrorNote } from '../../components/ErrorNote'
import { useCursorPages } from '../../components/useCursorPages'
import { Link } from '../../router'
import { requestUrl } from './model'
import { formatIso, REGULATION_STATUSES, StatusBadge } from './parts'
import { requestsApi } from './requestsApi'

/** Requests, newest first, page by page. */
export function RequestList() {
  const api = useApi()
  const [status, setStatus] = useState('')
  const pages = useCursorPages(
    (cursor) => requestsApi.list(api, { cursor, ...(status ? { status } : {}) }),
    [api, status],
  )
  const rows = pages.rows
  return (
    <div className="card">
      <div className="request-list-head">
        <h2>Requests</h2>
        <div>
          <label htmlFor="request-status-filter">Status</label>
          <select
            id="request-status-filter"
            value={status}
            onChange={(e) => setStatus(e.target.value)}
          >
            <option value="">Any status</option>
            {REGULATION_STATUSES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorNote error={pages.error} />
      {!pages.loading && rows.length === 0 && !pages.error && (
        <p className="muted" data-testid="no-requests">
          No requests.
        </p>
      )}
      {rows.length > 0 && (
        <table className="table" aria-label="Requests">
          <thead>
            <tr>
              <th>Request</th>
              <th>Type</th>
              <th>Status</th>
              <th className="num">Subjects</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-testid="request-row">
                <td>
                  <Link to={requestUrl(r.id)}>
                    <code>{r.id}</code>
                  </Link>
                </td>
                <td>{r.regulationType}</td>
                <td>
                  <StatusBadge status={r.overallStatus} />
                </td>
                <td className="num" title={`${r.subjectType}: ${r.subjectIds.join(', ')}`}>
                  {r.subjectIds.length}
                </td>
                <td className="muted small">{formatIso(r.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CursorPager pages={pages} label="Request pages" />
    </div>
  )
}
