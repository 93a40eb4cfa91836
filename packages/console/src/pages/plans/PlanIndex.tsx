import { useState } from 'react'
import { useApi } from '../../auth'
import { useFormSubmit } from '../../components/useFormSubmit'
import { useLoad } from '../../components/useLoad'
import { Link, navigate } from '../../router'
import { ErrorNote } from './parts'
import { plansApi } from './plansApi'
import { planErrorText } from './ruleModel'
import { planUrl } from './tabs'
import type { PlanSummary } from './types'

function CreatePlanForm() {
  const api = useApi()
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  const form = useFormSubmit(async () => {
    const created = await plansApi.create(api, {
      name: name.trim(),
      ...(description.trim() ? { description: description.trim() } : {}),
    })
    navigate(planUrl(created.id))
  }, planErrorText)
  return (
    <form className="form" aria-label="New tracking plan" onSubmit={form.onSubmit}>
      <label htmlFor="plan-name">Name</label>
      <input id="plan-name" required value={name} onChange={(e) => setName(e.target.value)} />
      <label htmlFor="plan-description">Description</label>
      <input
        id="plan-description"
        value={description}
        onChange={(e) => setDescription(e.target.value)}
      />
      <ErrorNote error={form.error} />
      <button className="button" type="submit" disabled={form.busy || !name.trim()}>
        Create plan
      </button>
    </form>
  )
}

function PlanTable({ plans, sources }: { plans: PlanSummary[]; sources: Map<string, string[]> }) {
  return (
    <table className="table" aria-label="Tracking plans">
      <thead>
        <tr>
          <th>Plan</th>
          <th className="num">Rules</th>
          <th className="num">Revision</th>
          <th>Connected sources</th>
        </tr>
      </thead>
      <tbody>
        {plans.map((p) => (
          <tr key={p.id} data-testid={`plan-row-${p.id}`}>
            <td>
              <Link to={planUrl(p.id)}>{p.name}</Link>{' '}
              {p.managed && <span className="badge">managed</span>}
              <div className="muted small">
                <code>{p.id}</code>
                {p.description ? ` · ${p.description}` : ''}
              </div>
            </td>
            <td className="num">{p.ruleCount}</td>
            <td className="num">{p.revision}</td>
            <td>{(sources.get(p.id) ?? []).join(', ') || '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** `/tracking-plans`: every plan with its rules, revision and sources, and a create form. */
export function PlanIndex() {
  const api = useApi()
  const list = useLoad(async () => {
    const plans = await plansApi.list(api)
    const links = await Promise.all(plans.map((p) => plansApi.connections(api, p.id)))
    const sources = new Map(plans.map((p, i) => [p.id, (links[i] ?? []).map((l) => l.sourceId)]))
    return { plans, sources }
  }, [api])
  return (
    <section className="page">
      <div className="page-header">
        <h1>Tracking plans</h1>
        <p className="muted">
          JSON Schema rules for what each source may send, enforced at ingest: violations are
          counted, and blocked events wait in a quarantine to be fixed and replayed.
        </p>
      </div>
      <ErrorNote error={list.error} />
      <div className="card">
        <h2>All plans</h2>
        {!list.data && !list.error && <p className="muted">Loading…</p>}
        {list.data && list.data.plans.length === 0 && (
          <p className="muted">No tracking plans yet.</p>
        )}
        {list.data && list.data.plans.length > 0 && (
          <PlanTable plans={list.data.plans} sources={list.data.sources} />
        )}
      </div>
      <div className="card">
        <h2>New plan</h2>
        <CreatePlanForm />
      </div>
    </section>
  )
}
