import { useEffect, useState } from 'react'
import type { Source } from '../../api/types'
import { useApi } from '../../auth'
import { useLoad, type Loaded } from '../../components/useLoad'
import { plansApi } from './plansApi'
import type { TrackingPlan } from './types'

export interface PlanSources {
  /** Ids of the sources connected to the plan, in the API's order. */
  connected: string[]
  all: Source[]
}

/** The plan's connected sources and every source, loaded once per plan. */
export function usePlanSources(plan: TrackingPlan): Loaded<PlanSources> {
  const api = useApi()
  return useLoad(async () => {
    const [links, all] = await Promise.all([plansApi.connections(api, plan.id), api.listSources()])
    return { connected: links.map((l) => l.sourceId), all }
  }, [api, plan.id])
}

/** The source a tab looks at: the first connected source until one is picked. */
export function useSourceChoice(loaded: PlanSources | undefined): [string, (id: string) => void] {
  const [sourceId, setSourceId] = useState('')
  const first = loaded?.connected[0] ?? ''
  useEffect(() => {
    if (!sourceId && first) setSourceId(first)
  }, [sourceId, first])
  return [sourceId, setSourceId]
}

/** Picks a source: with `anySource` every source (connected ones marked), else connected ones. */
export function SourceSelect({
  id,
  sources,
  value,
  anySource,
  onChange,
}: {
  id: string
  sources: PlanSources
  value: string
  anySource: boolean
  onChange: (id: string) => void
}) {
  const connected = new Set(sources.connected)
  const options = anySource ? sources.all : sources.all.filter((s) => connected.has(s.id))
  return (
    <div className="plan-field">
      <label htmlFor={id}>Source</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">choose a source</option>
        {options.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name} ({s.id}){anySource && connected.has(s.id) ? ' · connected' : ''}
          </option>
        ))}
      </select>
    </div>
  )
}
