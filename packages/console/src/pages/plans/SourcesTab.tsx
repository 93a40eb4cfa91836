import { useState } from 'react'
import type { Source } from '../../api/types'
import { useApi } from '../../auth'
import { useLoad } from '../../components/useLoad'
import { DEFAULT_ENFORCEMENT, EnforcementForm, toPatch } from './EnforcementForm'
import { ErrorNote } from './parts'
import { plansApi } from './plansApi'
import { planErrorText } from './ruleModel'
import type { Enforcement, PlanConnection, TrackingPlan } from './types'

function ConnectForm({
  candidates,
  sources,
  onConnect,
}: {
  candidates: Source[]
  sources: Source[]
  onConnect: (sourceId: string, enforcement: Enforcement) => void
}) {
  const [sourceId, setSourceId] = useState('')
  if (candidates.length === 0) return <p className="muted">Every source is connected.</p>
  return (
    <div className="plan-connect">
      <div className="plan-field">
        <label htmlFor="connect-source">Source to connect</label>
        <select id="connect-source" value={sourceId} onChange={(e) => setSourceId(e.target.value)}>
          <option value="">choose a source</option>
          {candidates.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.id})
            </option>
          ))}
        </select>
      </div>
      {sourceId && (
        <EnforcementForm
          key={sourceId}
          idPrefix="connect"
          initial={DEFAULT_ENFORCEMENT}
          sources={sources}
          disabled={false}
          submitLabel="Connect source"
          onSubmit={(e) => onConnect(sourceId, e)}
        />
      )}
    </div>
  )
}

function ConnectionCard({
  link,
  sources,
  readOnly,
  onSave,
  onDisconnect,
}: {
  link: PlanConnection
  sources: Source[]
  readOnly: boolean
  onSave: (e: Enforcement) => void
  onDisconnect: () => void
}) {
  const name = sources.find((s) => s.id === link.sourceId)?.name ?? link.sourceId
  return (
    <div className="plan-connection" data-testid={`connection-${link.sourceId}`}>
      <div className="plan-tab-head">
        <h3>
          {name} <code>{link.sourceId}</code>
        </h3>
        {!readOnly && (
          <button className="button danger small" type="button" onClick={onDisconnect}>
            Disconnect
          </button>
        )}
      </div>
      <EnforcementForm
        key={JSON.stringify(link.enforcement)}
        idPrefix={link.sourceId}
        initial={link.enforcement}
        sources={sources}
        disabled={readOnly}
        submitLabel="Save settings"
        onSubmit={onSave}
      />
    </div>
  )
}

/**
 * The sources connected to the plan with their enforcement settings; connect (a source has at
 * most one plan: the server refuses a second with `PLANS_SOURCE_CONNECTED`) and disconnect.
 */
export function SourcesTab({ plan }: { plan: TrackingPlan }) {
  const api = useApi()
  const loaded = useLoad(
    async () => ({
      links: await plansApi.connections(api, plan.id),
      sources: await api.listSources(),
    }),
    [api, plan.id],
  )
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState<string | null>(null)
  const run = async (action: () => Promise<unknown>, done: string): Promise<void> => {
    setError(null)
    setSaved(null)
    try {
      await action()
      setSaved(done)
      loaded.reload()
    } catch (err) {
      setError(planErrorText(err))
    }
  }
  const links = loaded.data?.links ?? []
  const sources = loaded.data?.sources ?? []
  const connected = new Set(links.map((l) => l.sourceId))
  return (
    <>
      <h2>Sources</h2>
      <ErrorNote error={loaded.error ?? error} testId="sources-error" />
      {saved && (
        <p className="plan-saved" role="status" data-testid="sources-saved">
          {saved}
        </p>
      )}
      {loaded.data && links.length === 0 && <p className="muted">No source is connected.</p>}
      {links.map((link) => (
        <ConnectionCard
          key={link.sourceId}
          link={link}
          sources={sources}
          readOnly={plan.managed}
          onSave={(e) =>
            void run(
              () => plansApi.updateEnforcement(api, plan.id, link.sourceId, toPatch(e)),
              `Saved the settings of ${link.sourceId}.`,
            )
          }
          onDisconnect={() =>
            void run(
              () => plansApi.disconnect(api, plan.id, link.sourceId),
              `Disconnected ${link.sourceId}.`,
            )
          }
        />
      ))}
      {loaded.data && !plan.managed && (
        <>
          <h3>Connect a source</h3>
          <ConnectForm
            key={links.length}
            candidates={sources.filter((s) => !connected.has(s.id))}
            sources={sources}
            onConnect={(sourceId, enforcement) =>
              void run(
                () => plansApi.connect(api, plan.id, { sourceId, enforcement }),
                `Connected ${sourceId}.`,
              )
            }
          />
        </>
      )}
    </>
  )
}
