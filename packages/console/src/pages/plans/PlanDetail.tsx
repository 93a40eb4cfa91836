import { useApi } from '../../auth'
import { useLoad } from '../../components/useLoad'
import { Link } from '../../router'
import { DeletePlanButton } from './DeletePlanButton'
import { ErrorNote } from './parts'
import { plansApi } from './plansApi'
import { QuarantineTab } from './QuarantineTab'
import { RulesTab } from './RulesTab'
import { SchemaTab } from './SchemaTab'
import { SourcesTab } from './SourcesTab'
import { planUrl, TABS, tabLabel, toTab, type Tab } from './tabs'
import type { TrackingPlan } from './types'
import { VersionsTab } from './VersionsTab'
import { ViolationsTab } from './ViolationsTab'

export const MANAGED_PLAN_NOTE =
  'This plan is defined in the trackingPlans: section of the config file, so it is read-only here (the API answers 409 PLANS_MANAGED). Edit the file to change it; a reload applies it.'

function TabContent({ tab, plan, reload }: { tab: Tab; plan: TrackingPlan; reload: () => void }) {
  switch (tab) {
    case 'rules':
      return <RulesTab plan={plan} onSaved={reload} />
    case 'versions':
      return <VersionsTab plan={plan} />
    case 'sources':
      return <SourcesTab plan={plan} />
    case 'violations':
      return <ViolationsTab plan={plan} />
    case 'schema':
      return <SchemaTab plan={plan} onSaved={reload} />
    case 'quarantine':
      return <QuarantineTab plan={plan} />
  }
}

/** One plan: its name and revision, then rules, versions, sources and findings by tab. */
export function PlanDetail({ id, tab }: { id: string; tab: string }) {
  const api = useApi()
  const loaded = useLoad(() => plansApi.get(api, id), [api, id])
  const plan = loaded.data
  const current = toTab(tab)
  return (
    <section className="page">
      <p className="breadcrumb">
        <Link to="/tracking-plans">← Tracking plans</Link>
      </p>
      <ErrorNote error={loaded.error} />
      {!plan && !loaded.error && <p className="muted">Loading…</p>}
      {plan && (
        <>
          <div className="page-header row">
            <div>
              <h1 data-testid="plan-title">{plan.name}</h1>
              <p className="muted">
                <code>{plan.id}</code> · revision{' '}
                <span data-testid="plan-revision">{plan.revision}</span> · {plan.rules.length} rules
                {plan.managed && (
                  <>
                    {' '}
                    <span className="badge">managed</span>
                  </>
                )}
              </p>
              {plan.description && <p>{plan.description}</p>}
            </div>
            <DeletePlanButton plan={plan} />
          </div>
          {plan.managed && (
            <p className="plan-managed" data-testid="managed-note">
              {MANAGED_PLAN_NOTE}
            </p>
          )}
          <nav className="tabs" aria-label="Plan sections">
            {TABS.map((t) => (
              <Link
                key={t}
                to={planUrl(id, t)}
                className={t === current ? 'tab active' : 'tab'}
                aria-current={t === current ? 'page' : undefined}
              >
                {tabLabel(t)}
              </Link>
            ))}
          </nav>
          <div className="card" data-testid={`tab-${current}`}>
            <TabContent tab={current} plan={plan} reload={loaded.reload} />
          </div>
        </>
      )}
    </section>
  )
}
