import { useState } from 'react'
import { useApi } from '../../auth'
import { useLoad } from '../../components/useLoad'
import { navigate } from '../../router'
import { ErrorNote } from './parts'
import { plansApi } from './plansApi'
import { planErrorText, ruleId } from './ruleModel'
import { SourceSelect, usePlanSources, useSourceChoice } from './SourceSelect'
import { formatIso, planUrl } from './tabs'
import type { ObservedEvent, PlanInput, TrackingPlan } from './types'

function typesText(types: Record<string, number>): string {
  return Object.entries(types)
    .map(([type, n]) => `${type} (${n})`)
    .join(', ')
}

function EventBlock({ event }: { event: ObservedEvent }) {
  const title = event.name || event.type
  return (
    <div className="plan-observed" data-testid={`observed-${title}`}>
      <h3>
        {title} <span className="badge">{event.type}</span>
      </h3>
      <p className="muted small">
        {event.count} events · first seen {formatIso(event.firstSeen)} · last seen{' '}
        {formatIso(event.lastSeen)}
        {event.truncated ? ` · first ${event.properties.length} of ${event.fields} fields` : ''}
      </p>
      <table className="table" aria-label={`Properties of ${title}`}>
        <thead>
          <tr>
            <th>Property</th>
            <th>Types</th>
            <th className="num">Share of events</th>
            <th>First seen</th>
            <th>Last seen</th>
          </tr>
        </thead>
        <tbody>
          {event.properties.map((p) => (
            <tr key={p.path} data-testid={`observed-property-${p.path}`}>
              <td>
                <code>{p.path}</code>
              </td>
              <td>{typesText(p.types)}</td>
              <td className="num">{p.frequency}%</td>
              <td>{formatIso(p.firstSeen)}</td>
              <td>{formatIso(p.lastSeen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** A drafted plan body: its rules, then create it as a new plan or add its rules here. */
function DraftView({
  draft,
  plan,
  onAdded,
}: {
  draft: Required<PlanInput>
  plan: TrackingPlan
  onAdded: () => void
}) {
  const api = useApi()
  const [error, setError] = useState<string | null>(null)
  const run = async (action: () => Promise<string>): Promise<void> => {
    setError(null)
    try {
      navigate(await action())
    } catch (err) {
      setError(planErrorText(err))
    }
  }
  return (
    <div className="plan-draft" data-testid="draft-plan">
      <h3>{draft.name}</h3>
      <p className="muted">
        {draft.rules.length} rules: {draft.rules.map(ruleId).join(', ') || 'none'}
      </p>
      <pre className="plan-json">{JSON.stringify(draft.rules, null, 2)}</pre>
      <ErrorNote error={error} />
      <div className="plan-actions">
        <button
          className="button"
          type="button"
          onClick={() => void run(async () => planUrl((await plansApi.create(api, draft)).id))}
        >
          Create plan from draft
        </button>
        {!plan.managed && (
          <button
            className="button secondary"
            type="button"
            onClick={() =>
              void run(async () => {
                await plansApi.upsertRules(api, plan.id, draft.rules)
                onAdded()
                return planUrl(plan.id)
              })
            }
          >
            Add drafted rules to this plan
          </button>
        )}
      </div>
    </div>
  )
}

/**
 * What a source actually sends (any source; connected ones first by default): each event with
 * its properties, types, share of events and first/last seen; and a plan drafted from it.
 */
export function SchemaTab({ plan, onSaved }: { plan: TrackingPlan; onSaved: () => void }) {
  const api = useApi()
  const sources = usePlanSources(plan)
  const [sourceId, setSourceId] = useSourceChoice(sources.data)
  const schema = useLoad(
    async () => (sourceId ? plansApi.observedSchema(api, sourceId) : null),
    [api, sourceId],
  )
  const [draft, setDraft] = useState<Required<PlanInput> | null>(null)
  const [error, setError] = useState<string | null>(null)
  const drafting = async (): Promise<void> => {
    setError(null)
    try {
      setDraft(await plansApi.draftPlan(api, sourceId))
    } catch (err) {
      setError(planErrorText(err))
    }
  }
  return (
    <>
      <h2>Observed schema</h2>
      <ErrorNote error={sources.error ?? schema.error ?? error} />
      {sources.data && (
        <div className="toolbar">
          <SourceSelect
            id="schema-source"
            sources={sources.data}
            value={sourceId}
            anySource
            onChange={(id) => {
              setSourceId(id)
              setDraft(null)
            }}
          />
          <button className="button secondary" type="button" onClick={schema.reload}>
            Refresh
          </button>
          <button
            className="button"
            type="button"
            disabled={!sourceId}
            onClick={() => void drafting()}
          >
            Draft plan from observed
          </button>
        </div>
      )}
      {draft && <DraftView draft={draft} plan={plan} onAdded={onSaved} />}
      {schema.data && schema.data.length === 0 && (
        <p className="muted">No events observed for this source yet.</p>
      )}
      {schema.data?.map((e) => (
        <EventBlock key={`${e.type}:${e.name}`} event={e} />
      ))}
    </>
  )
}
