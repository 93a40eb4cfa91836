import { Fragment, useState } from 'react'
import type { AuditEntry } from '../../api/governance-types'

function formatIso(iso: string): string {
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? iso : new Date(ms).toLocaleString()
}

/** Entries newest first; a row opens its details, request id and address. */
export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  const [open, setOpen] = useState<number | null>(null)
  return (
    <table className="table" aria-label="Audit log">
      <thead>
        <tr>
          <th className="num">#</th>
          <th>Time</th>
          <th>Actor</th>
          <th>Action</th>
          <th>Resource</th>
          <th>Outcome</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <Fragment key={e.id}>
            <tr data-testid="audit-row">
              <td className="num muted small">{e.id}</td>
              <td className="muted small">{formatIso(e.at)}</td>
              <td className="small">
                <code>{e.actor}</code>
              </td>
              <td data-testid="audit-action">{e.action}</td>
              <td className="small">
                {e.target.type}
                {e.target.id && (
                  <>
                    {' '}
                    <code>{e.target.id}</code>
                  </>
                )}
              </td>
              <td>
                <span className={`audit-outcome ${e.outcome}`}>{e.outcome}</span>
              </td>
              <td>
                <button
                  type="button"
                  className="button secondary small"
                  aria-expanded={open === e.id}
                  onClick={() => setOpen(open === e.id ? null : e.id)}
                >
                  {open === e.id ? 'Hide' : 'Details'}
                </button>
              </td>
            </tr>
            {open === e.id && (
              <tr>
                <td colSpan={7}>
                  <pre className="audit-details" data-testid="audit-details">
                    {JSON.stringify(
                      { requestId: e.requestId, ip: e.ip, details: e.details },
                      null,
                      2,
                    )}
                  </pre>
                </td>
              </tr>
            )}
          </Fragment>
        ))}
      </tbody>
    </table>
  )
}
