import type { GraphAnnotation, GraphEdge, GraphNode, IdentityGraph } from '../../api/identity-types'
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

interface EdgeFacts {
  kind: GraphEdge['kind']
  title: string
  rule: string
  messageId: string
  sourceId?: string
  timestamp: string
}

/** An edge or a node's annotation: its rule and event, then the event itself. */
function EventFacts({ facts }: { facts: EdgeFacts }) {
  const sourceName = useSourceNames()
  return (
    <div data-testid="graph-edge-details">
      <h3>
        <EdgeKindBadge kind={facts.kind} /> {facts.title}
      </h3>
      <dl className="facts">
        <dt>Rule</dt>
        <dd>
          <code>{facts.rule}</code>
        </dd>
        <dt>Message</dt>
        <dd>
          <code>{facts.messageId}</code>
        </dd>
        {facts.sourceId && (
          <>
            <dt>Source</dt>
            <dd title={facts.sourceId}>{sourceName(facts.sourceId)}</dd>
          </>
        )}
        <dt>Event time</dt>
        <dd>{formatTime(facts.timestamp)}</dd>
      </dl>
      <EdgeEvent messageId={facts.messageId} />
    </div>
  )
}

const edgeFacts = (edge: GraphEdge): EdgeFacts => ({ ...edge, title: `${edge.from} → ${edge.to}` })

const annotationFacts = (node: GraphNode, a: GraphAnnotation): EdgeFacts => ({
  ...a,
  title: a.kind === 'create' ? `new profile with ${node.id}` : node.id,
})

interface NodeDetailsProps {
  node: GraphNode
  edges: GraphEdge[]
  onSelect: (selection: GraphSelection) => void
}

interface NodeEntry {
  key: string
  kind: GraphEdge['kind']
  text: string
  messageId: string
  select: GraphSelection
}

/** What started or dropped the identifier, then its edges. */
function nodeEntries(node: GraphNode, edges: GraphEdge[]): NodeEntry[] {
  return [
    ...node.annotations.map((annotation, i) => ({
      key: `a${i}`,
      kind: annotation.kind,
      text: annotation.kind === 'create' ? 'new profile' : annotation.rule,
      messageId: annotation.messageId,
      select: { kind: 'annotation', node, annotation } as const,
    })),
    ...edges.map((edge) => ({
      key: `e${edge.id}`,
      kind: edge.kind,
      text: `${edge.from} → ${edge.to}`,
      messageId: edge.messageId,
      select: { kind: 'edge', edge } as const,
    })),
  ]
}

/** An identifier: when it was first seen, and the edges and annotations naming it. */
function NodeDetails({ node, edges, onSelect }: NodeDetailsProps) {
  return (
    <div data-testid="graph-node-details">
      <h3>
        <code>{node.id}</code>
      </h3>
      <p className="muted">
        {node.onProfile
          ? `First seen ${formatTime(node.firstSeen)}`
          : 'Not on this profile: a rule dropped it.'}
      </p>
      <ul className="plain-list">
        {nodeEntries(node, edges).map((entry) => (
          <li key={entry.key}>
            <button type="button" className="link-button" onClick={() => onSelect(entry.select)}>
              <EdgeKindBadge kind={entry.kind} /> {entry.text} ·{' '}
              <code>{shorten(entry.messageId, 10)}</code>
            </button>
          </li>
        ))}
      </ul>
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
  switch (selection.kind) {
    case 'edge':
      return <EventFacts key={`e${selection.edge.id}`} facts={edgeFacts(selection.edge)} />
    case 'annotation':
      return (
        <EventFacts
          key={`a${selection.annotation.messageId}`}
          facts={annotationFacts(selection.node, selection.annotation)}
        />
      )
    case 'node': {
      const { node } = selection
      const edges = graph.edges.filter((e) => e.from === node.id || e.to === node.id)
      return <NodeDetails node={node} edges={edges} onSelect={onSelect} />
    }
  }
}
