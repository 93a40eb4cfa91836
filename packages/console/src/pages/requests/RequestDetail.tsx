import { useEffect } from 'react'
import type { Regulation, RegulationReport, RegulationTask } from '../../api/governance-types'
import { useApi } from '../../auth'
import { ErrorNote } from '../../components/ErrorNote'
import { useLoad } from '../../components/useLoad'
import { Link } from '../../router'
import { isDone } from './model'
import { formatIso, formatMs, StatusBadge } from './parts'
import { requestsApi } from './requestsApi'

function TaskTable({
  tasks,
  label,
  testId,
}: {
  tasks: RegulationTask[]
  label: string
  testId: string
}) {
  if (tasks.length === 0) return <p className="muted">None.</p>
  return (
    <table className="table" aria-label={label}>
      <thead>
        <tr>
          <th>Name</th>
          <th>Status</th>
          <th>Finished</th>
          <th>Error</th>
        </tr>
      </thead>
      <tbody>
        {tasks.map((t) => (
          <tr key={t.id} data-testid={testId}>
            <td>
              {t.name}
              <div className="muted small">
                <code>{t.id}</code>
              </div>
            </td>
            <td>
              <StatusBadge status={t.status} />
            </td>
            <td className="muted small">{formatIso(t.finishedAt)}</td>
            <td className="small">{t.errString ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function Report({ report }: { report: RegulationReport }) {
  const totals = Object.entries(report.totals)
  return (
    <div className="card" data-testid="request-report">
      <h2>Completion report</h2>
      <p>
        {report.subject.profiles} {report.subject.profiles === 1 ? 'profile' : 'profiles'},{' '}
        {report.subject.identifiers} identifiers · queued {formatMs(report.queuedMs)} · took{' '}
        {formatMs(report.durationMs)}
      </p>
      {totals.length === 0 ? (
        <p className="muted">Nothing removed from the stores.</p>
      ) : (
        <table className="table" aria-label="Removed rows">
          <thead>
            <tr>
              <th>Table</th>
              <th className="num">Rows removed</th>
            </tr>
          </thead>
          <tbody>
            {totals.map(([table, n]) => (
              <tr key={table} data-testid="report-total">
                <td>
                  <code>{table}</code>
                </td>
                <td className="num">{n}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}

function Summary({ regulation }: { regulation: Regulation }) {
  return (
    <dl className="request-summary">
      <dt>Type</dt>
      <dd>{regulation.regulationType}</dd>
      <dt>Subjects</dt>
      <dd>
        {regulation.subjectType}: {regulation.subjectIds.join(', ')}
      </dd>
      <dt>Profiles</dt>
      <dd>{regulation.profiles.length === 0 ? '—' : regulation.profiles.join(', ')}</dd>
      <dt>Created</dt>
      <dd>{formatIso(regulation.createdAt)}</dd>
      <dt>Finished</dt>
      <dd>{formatIso(regulation.finishedAt)}</dd>
    </dl>
  )
}

/** `/requests/:id`: status overall, per store and per destination, and the report once done. */
export function RequestDetail({ id }: { id: string }) {
  const api = useApi()
  const view = useLoad(async () => {
    const regulation = await requestsApi.get(api, id)
    const report = isDone(regulation.overallStatus) ? await requestsApi.report(api, id) : null
    return { regulation, report }
  }, [api, id])
  const status = view.data?.regulation.overallStatus
  // Follow the request until it is done.
  useEffect(() => {
    if (status === undefined || isDone(status)) return
    const timer = window.setTimeout(view.reload, 1000)
    return () => window.clearTimeout(timer)
  }, [status, view.data, view.reload])
  const regulation = view.data?.regulation
  return (
    <section className="page">
      <p className="breadcrumb">
        <Link to="/requests">← Requests</Link>
      </p>
      <div className="page-header">
        <h1>
          Request <code>{id}</code>
        </h1>
        {status && <StatusBadge status={status} testId="request-status" />}
      </div>
      <ErrorNote error={view.error} />
      {regulation && (
        <>
          <div className="card">
            <Summary regulation={regulation} />
          </div>
          <div className="card">
            <h2>Stores</h2>
            <TaskTable tasks={regulation.stores} label="Stores" testId="store-row" />
          </div>
          <div className="card">
            <h2>Destinations</h2>
            <TaskTable
              tasks={regulation.destinations}
              label="Destinations"
              testId="destination-task-row"
            />
          </div>
        </>
      )}
      {view.data?.report && <Report report={view.data.report} />}
    </section>
  )
}
