import type { KeyboardEvent } from 'react'
import type { GraphAnnotation, GraphEdge, GraphNode } from '../../api/identity-types'
import { shorten } from './format'
import { NODE_H, NODE_W, type GraphLayout, type PlacedEdge, type PlacedNode } from './graphLayout'

export type GraphSelection =
  | { kind: 'edge'; edge: GraphEdge }
  | { kind: 'node'; node: GraphNode }
  | { kind: 'annotation'; node: GraphNode; annotation: GraphAnnotation }

interface GraphSvgProps {
  layout: GraphLayout
  selected: GraphSelection | null
  onSelect: (selection: GraphSelection) => void
}

/** Enter or Space activates a focusable SVG group, as a button would. */
function activate(action: () => void) {
  return (e: KeyboardEvent<SVGGElement>): void => {
    if (e.key !== 'Enter' && e.key !== ' ') return
    e.preventDefault()
    action()
  }
}

function Edge({
  placed,
  active,
  onSelect,
}: {
  placed: PlacedEdge
  active: boolean
  onSelect: () => void
}) {
  const { edge } = placed
  const message = shorten(edge.messageId, 10)
  return (
    <g
      className={`graph-edge ${edge.kind}${active ? ' selected' : ''}`}
      role="button"
      tabIndex={0}
      aria-label={`${edge.kind} ${edge.from} to ${edge.to}, message ${edge.messageId}, rule ${edge.rule}`}
      data-testid="graph-edge"
      onClick={onSelect}
      onKeyDown={activate(onSelect)}
    >
      <path className="graph-edge-hit" d={placed.d} />
      <path className="graph-edge-line" d={placed.d} markerEnd="url(#graph-arrow)" />
      <text
        x={placed.labelX}
        y={placed.labelY - 20}
        textAnchor="middle"
        className="graph-edge-label"
      >
        <tspan className="graph-edge-kind">{edge.kind}</tspan>
        <tspan className="graph-edge-message"> {message}</tspan>
        <tspan x={placed.labelX} dy="13" className="graph-edge-rule">
          {edge.rule}
        </tspan>
      </text>
    </g>
  )
}

function Node({
  placed,
  active,
  onSelect,
}: {
  placed: PlacedNode
  active: boolean
  onSelect: () => void
}) {
  const { node } = placed
  const classes = ['graph-node', `type-${node.type.replace(/[^a-z0-9_-]/gi, '-')}`]
  if (placed.ghost) classes.push('ghost')
  if (active) classes.push('selected')
  return (
    <g
      className={classes.join(' ')}
      transform={`translate(${placed.x} ${placed.y})`}
      role="button"
      tabIndex={0}
      aria-label={`identifier ${node.id}`}
      data-testid="graph-node"
      data-id={node.id}
      onClick={onSelect}
      onKeyDown={activate(onSelect)}
    >
      <title>{node.id}</title>
      <rect width={NODE_W} height={NODE_H} rx={8} />
      {placed.started && <circle className="graph-node-start" cx={0} cy={NODE_H / 2} r={5} />}
      <text x={12} y={18} className="graph-node-type">
        {node.type}
      </text>
      <text x={12} y={35} className="graph-node-value">
        {shorten(node.value, 19)}
      </text>
    </g>
  )
}

/** The identity graph: identifiers as boxes, edges labelled with their event and rule. */
export function GraphSvg({ layout, selected, onSelect }: GraphSvgProps) {
  return (
    <svg
      className="graph-svg"
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width={layout.width}
      role="group"
      aria-label="Identity graph"
    >
      <defs>
        <marker
          id="graph-arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerUnits="userSpaceOnUse"
          markerWidth="10"
          markerHeight="10"
          orient="auto-start-reverse"
        >
          <path d="M 0 0 L 10 5 L 0 10 z" className="graph-arrow" />
        </marker>
      </defs>
      {layout.edges.map((placed) => (
        <Edge
          key={placed.edge.id}
          placed={placed}
          active={selected?.kind === 'edge' && selected.edge.id === placed.edge.id}
          onSelect={() => onSelect({ kind: 'edge', edge: placed.edge })}
        />
      ))}
      {layout.nodes.map((placed) => (
        <Node
          key={placed.node.id}
          placed={placed}
          active={selected?.kind === 'node' && selected.node.id === placed.node.id}
          onSelect={() => onSelect({ kind: 'node', node: placed.node })}
        />
      ))}
    </svg>
  )
}
