import { useMemo, useState } from 'react'
import { useApi } from '../../auth'
import { useLoad } from '../../components/useLoad'
import { GraphDetails } from './GraphDetails'
import { layoutGraph, MAX_NODES } from './graphLayout'
import { GraphSvg, type GraphSelection } from './GraphSvg'
import { ErrorNote } from './parts'
import { profilesApi } from './profilesApi'
import './graph.css'

/** The profile's identifiers and the edges that joined them, drawn, with a detail panel. */
export function GraphTab({ profileId }: { profileId: string }) {
  const api = useApi()
  const loaded = useLoad(() => profilesApi.graph(api, profileId), [api, profileId])
  const layout = useMemo(() => (loaded.data ? layoutGraph(loaded.data) : null), [loaded.data])
  const [selection, setSelection] = useState<GraphSelection | null>(null)
  if (loaded.error) return <ErrorNote error={loaded.error} />
  if (!loaded.data || !layout) return <p className="muted">Loading…</p>
  return (
    <>
      <p className="help tab-intro">
        Arrows go from the identifier already on the profile to the one that joined it, labelled
        with the event’s message id and the rule. A dot marks where a profile started; dashed boxes
        are identifiers a rule kept off the profile.
        {layout.hidden > 0 &&
          ` Showing the first ${MAX_NODES} identifiers; ${layout.hidden} more are in the tables.`}
      </p>
      <div className="graph-scroll">
        <GraphSvg layout={layout} selected={selection} onSelect={setSelection} />
      </div>
      <div className="graph-details">
        <GraphDetails graph={loaded.data} selection={selection} onSelect={setSelection} />
      </div>
    </>
  )
}
