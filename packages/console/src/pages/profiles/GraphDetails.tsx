import type { GraphEdge, IdentityGraph } from '../../api/identity-types'
import { useApi } from '../../auth'
import { useLoad } from '../../components/useLoad'
import { EdgeKindBadge } from './EdgeKindBadge'
import { formatTime, shorten } from './format'
import type { GraphSelection } from './GraphSvg'
import { ErrorNote } from './parts'
import { useSourceNames } from './useSourceNames'

/** The stored event behind an edge, looked up by its message id. */
function EdgeEvent({ messageId }: { messageId: string }) {
  const api = useApi()
  const loaded = useLoad(() => api.events({ messageId, limit: 1 }), [api, messageId])
  const event = loaded.data?.data[0]
  if (loaded.error) return <ErrorNote error={loaded.error} />
  if (!loaded.data) return <p className="muted">Loading the event…</p>
  if (!event) return <p className="muted">The event is no longer stored.</p>
  return (
    <pre className="graph-event-json" data-testid="graph-event-json">
      {JSON.stringify(event.event, null, 2)}
    </pre>
  )
}

function EdgeDetails({ edge }: { edge: GraphEdge }) {
  const sourceName = useSourceNames()
  return (
    <div data-testid="graph-edge-details">
      <h3>
        <EdgeKindBadge kind={edge.kind} /> {edge.from ?? 'new profile'} → {edge.to}
      </h3>
      <dl className="facts">
        <dt>Rule</dt>
        <dd>
          <code>{edge.rule}</code>
        </dd>
        <dt>Message</dt>
        <dd>
          <code>{edge.messageId}</code>
        </dd>
        <dt>Source</dt>
        <dd title={edge.sourceId}>{sourceName(edge.sourceId)}</dd>
        <dt>Event time</dt>
        <dd>{formatTime(edge.timestamp)}</dd>
      </dl>
      <EdgeEvent messageId={edge.messageId} />
    </div>
  )
}

interface DetailsProps {
  graph: IdentityGraph
  selection: GraphSelection | null
  onSelect: (selection: GraphSelection) => void
}

/** What is selected in the drawing: an edge with its event, or an identifier with its edges. */
export function GraphDetails({ graph, selection, onSelect }: DetailsProps) {
  if (!selection) {
    return (
      <p className="muted">
        Click an edge to see the event that made it, or an identifier to see its edges.
      </p>
    )
  }
  if (selection.kind === 'edge') {
    return <EdgeDetails key={selection.edge.id} edge={selection.edge} />
  }
  const { node } = selection
  const edges = graph.edges.filter((e) => e.from === node.id || e.to === node.id)
  return (
    <div data-testid="graph-node-details">
      <h3>
        <code>{node.id}</code>
      </h3>
      <p className="muted">First seen {formatTime(node.firstSeen)}</p>
      <ul className="plain-list">
        {edges.map((edge) => (
          <li key={edge.id}>
            <button
              type="button"
              className="link-button"
              onClick={() => onSelect({ kind: 'edge', edge })}
            >
              <EdgeKindBadge kind={edge.kind} /> {edge.from ?? 'new profile'} → {edge.to} ·{' '}
              <code>{shorten(edge.messageId, 10)}</code>
            </button>
          </li>
        ))}
      </ul>
    </div>
  )
}
