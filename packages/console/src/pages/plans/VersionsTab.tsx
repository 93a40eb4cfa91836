import { useState } from 'react'
import { useApi } from '../../auth'
import { useLoad } from '../../components/useLoad'
import { ErrorNote } from './parts'
import { plansApi } from './plansApi'
import { ruleId } from './ruleModel'
import { formatIso } from './tabs'
import type { RevisionDiff, RevisionSummary, TrackingPlan } from './types'

function DiffList({ diff }: { diff: RevisionDiff }) {
  const parts = [
    ['added', '+', diff.added],
    ['removed', '−', diff.removed],
    ['changed', '~', diff.changed],
  ] as const
  const empty = parts.every(([, , ids]) => ids.length === 0)
  if (empty) return <span className="muted">no rule changed</span>
  return (
    <ul className="plan-diff">
      {parts.flatMap(([kind, mark, ids]) =>
        ids.map((id) => (
          <li key={`${kind}-${id}`} className={`plan-diff-${kind}`}>
            {mark} {kind} <code>{id}</code>
          </li>
        )),
      )}
    </ul>
  )
}

/** One past revision: its rules as JSON, loaded when opened. */
function RevisionView({ planId, revision }: { planId: string; revision: number }) {
  const api = useApi()
  const loaded = useLoad(() => plansApi.revision(api, planId, revision), [api, planId, revision])
  return (
    <div className="plan-revision" data-testid="revision-view">
      <h3>Revision {revision}</h3>
      <ErrorNote error={loaded.error} />
      {loaded.data && (
        <>
          <p className="muted">
            {loaded.data.rules.length} rules: {loaded.data.rules.map(ruleId).join(', ') || 'none'}
          </p>
          <pre className="plan-json">{JSON.stringify(loaded.data.rules, null, 2)}</pre>
        </>
      )}
    </div>
  )
}

function RevisionRow({
  revision,
  open,
  onView,
}: {
  revision: RevisionSummary
  open: boolean
  onView: () => void
}) {
  return (
    <tr data-testid={`revision-${revision.revision}`}>
      <td className="num">{revision.revision}</td>
      <td>
        <code>{revision.author}</code>
      </td>
      <td>{formatIso(revision.at)}</td>
      <td className="num">{revision.ruleCount}</td>
      <td>
        <DiffList diff={revision.diff} />
      </td>
      <td>
        <button className="button secondary small" type="button" onClick={onView}>
          {open ? 'Hide' : 'View'}
        </button>
      </td>
    </tr>
  )
}

/** Every revision of the plan, newest first, with its author, time and diff by rule identity. */
export function VersionsTab({ plan }: { plan: TrackingPlan }) {
  const api = useApi()
  const list = useLoad(() => plansApi.revisions(api, plan.id), [api, plan.id, plan.revision])
  const [open, setOpen] = useState<number | null>(null)
  const revisions = [...(list.data ?? [])].sort((a, b) => b.revision - a.revision)
  return (
    <>
      <h2>Versions</h2>
      <ErrorNote error={list.error} />
      <table className="table" aria-label="Revisions">
        <thead>
          <tr>
            <th className="num">Revision</th>
            <th>Author</th>
            <th>Time</th>
            <th className="num">Rules</th>
            <th>Changes</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {revisions.map((r) => (
            <RevisionRow
              key={r.revision}
              revision={r}
              open={open === r.revision}
              onView={() => setOpen(open === r.revision ? null : r.revision)}
            />
          ))}
        </tbody>
      </table>
      {open !== null && <RevisionView planId={plan.id} revision={open} />}
    </>
  )
}
