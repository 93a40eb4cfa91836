import type { GraphEdge, GraphNode, IdentityGraph } from '../../api/identity-types'

/** Drawing sizes, in SVG units. */
export const NODE_W = 176
export const NODE_H = 46
const GAP_X = 214
const GAP_Y = 34
const PAD = 16
/** Top and bottom margin: room for the labels of the first row's edges. */
const PAD_Y = 32
/** Room above an edge's label point for its two lines of text. */
const LABEL_ROOM = 30
/** Beyond this many identifiers the drawing keeps the earliest seen; the tables list all. */
export const MAX_NODES = 60

export interface PlacedNode {
  node: GraphNode
  x: number
  y: number
  /** Not an identifier of the profile (a rule dropped it): drawn dashed. */
  ghost: boolean
  /** A profile started with this identifier (it has a `create` annotation). */
  started: boolean
}

export interface PlacedEdge {
  edge: GraphEdge
  /** SVG path data. */
  d: string
  labelX: number
  labelY: number
}

export interface GraphLayout {
  width: number
  height: number
  nodes: PlacedNode[]
  edges: PlacedEdge[]
  /** Identifiers left out of the drawing (over {@link MAX_NODES}). */
  hidden: number
}

type Point = { x: number; y: number }
type Positions = Map<string, Point>

/** When a node was first seen; for one off the profile, its earliest edge. */
function seenKeys(graph: IdentityGraph): Map<string, string> {
  const keys = new Map<string, string>()
  for (const edge of graph.edges) {
    for (const end of [edge.from, edge.to]) {
      const known = keys.get(end)
      if (known === undefined || edge.timestamp < known) keys.set(end, edge.timestamp)
    }
  }
  for (const node of graph.nodes) if (node.firstSeen !== null) keys.set(node.id, node.firstSeen)
  return keys
}

/** The graph's nodes, earliest seen first, capped at {@link MAX_NODES}. */
function collectNodes(graph: IdentityGraph): { nodes: GraphNode[]; hidden: number } {
  const seen = seenKeys(graph)
  const key = (n: GraphNode): string => seen.get(n.id) ?? ''
  const all = [...graph.nodes].sort(
    (a, b) => key(a).localeCompare(key(b)) || a.id.localeCompare(b.id),
  )
  return { nodes: all.slice(0, MAX_NODES), hidden: Math.max(0, all.length - MAX_NODES) }
}

/** The edges drawn: between two distinct drawn identifiers. */
function linkEdges(edges: GraphEdge[], drawn: Set<string>): GraphEdge[] {
  return edges.filter((e) => e.from !== e.to && drawn.has(e.from) && drawn.has(e.to))
}

/**
 * Layers by breadth-first depth along the edges' direction (from the identifier already on
 * the profile to the one joining it): roots are identifiers nothing links to, earliest first.
 */
function assignLayers(nodes: GraphNode[], links: GraphEdge[]): Map<string, number> {
  const out = new Map<string, string[]>()
  const linked = new Set<string>()
  for (const e of links) {
    out.set(e.from, [...(out.get(e.from) ?? []), e.to])
    linked.add(e.to)
  }
  const roots = [
    ...nodes.filter((n) => !linked.has(n.id)),
    ...nodes.filter((n) => linked.has(n.id)),
  ]
  const layer = new Map<string, number>()
  for (const root of roots) {
    if (layer.has(root.id)) continue
    layer.set(root.id, 0)
    const queue = [root.id]
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      for (const next of out.get(id) ?? []) {
        if (layer.has(next)) continue
        layer.set(next, (layer.get(id) ?? 0) + 1)
        queue.push(next)
      }
    }
  }
  return layer
}

function placeNodes(nodes: GraphNode[], layers: Map<string, number>): Positions {
  const columns: GraphNode[][] = []
  for (const node of nodes) {
    const col = layers.get(node.id) ?? 0
    ;(columns[col] ??= []).push(node)
  }
  const tallest = Math.max(1, ...columns.map((c) => c?.length ?? 0))
  const positions: Positions = new Map()
  columns.forEach((column, col) => {
    const offset = ((tallest - column.length) * (NODE_H + GAP_Y)) / 2
    column.forEach((node, row) => {
      positions.set(node.id, {
        x: PAD + col * (NODE_W + GAP_X),
        y: PAD_Y + offset + row * (NODE_H + GAP_Y),
      })
    })
  })
  return positions
}

/**
 * Where an edge's label goes: a little past the middle of a slanted curve, so the labels of
 * edges fanning out of one identifier spread apart with their targets; the middle of a level one.
 */
const LABEL_AT = 0.6
const along = (t: number, a: number, control: number, b: number): number =>
  (1 - t) ** 2 * a + 2 * (1 - t) * t * control + t ** 2 * b

/** A quadratic curve between two nodes' facing sides, bent when it would cross other nodes. */
function edgeGeometry(a: Point, b: Point, bend: number): Omit<PlacedEdge, 'edge'> {
  const forward = b.x > a.x
  const sameColumn = b.x === a.x
  const start = { x: forward || sameColumn ? a.x + NODE_W : a.x, y: a.y + NODE_H / 2 }
  const end = { x: forward ? b.x : b.x + NODE_W, y: b.y + NODE_H / 2 }
  const columns = Math.abs(b.x - a.x) / (NODE_W + GAP_X)
  const lift = sameColumn ? 0 : columns > 1 ? -(NODE_H + GAP_Y) * 0.9 : 0
  const control = {
    x: sameColumn ? start.x + 90 : (start.x + end.x) / 2,
    y: (start.y + end.y) / 2 + lift + bend,
  }
  const t = start.y === end.y && control.y === start.y ? 0.5 : LABEL_AT
  return {
    d: `M ${start.x} ${start.y} Q ${control.x} ${control.y} ${end.x} ${end.y}`,
    labelX: along(t, start.x, control.x, end.x),
    labelY: along(t, start.y, control.y, end.y),
  }
}

/** The link edges' curves; several edges between one pair bend apart. */
function routeEdges(links: GraphEdge[], positions: Positions): PlacedEdge[] {
  const pairCount = new Map<string, number>()
  return links.map((edge) => {
    const pair = [edge.from, edge.to].sort().join(' ')
    const index = pairCount.get(pair) ?? 0
    pairCount.set(pair, index + 1)
    const bend = index === 0 ? 0 : (index % 2 === 1 ? 1 : -1) * Math.ceil(index / 2) * 56
    const from = positions.get(edge.from) ?? { x: 0, y: 0 }
    const to = positions.get(edge.to) ?? { x: 0, y: 0 }
    return { edge, ...edgeGeometry(from, to, bend) }
  })
}

/** Places identifiers in layers (left to right) and routes the edges between them. */
export function layoutGraph(graph: IdentityGraph): GraphLayout {
  const { nodes, hidden } = collectNodes(graph)
  const links = linkEdges(graph.edges, new Set(nodes.map((n) => n.id)))
  let positions = placeNodes(nodes, assignLayers(nodes, links))
  let edges = routeEdges(links, positions)
  // A bent edge's label may rise above the drawing: move everything down.
  const overflow = Math.min(0, ...edges.map((e) => e.labelY - LABEL_ROOM))
  if (overflow < 0) {
    positions = new Map([...positions].map(([id, p]) => [id, { x: p.x, y: p.y - overflow }]))
    edges = routeEdges(links, positions)
  }
  const placed = nodes.map((node) => ({
    node,
    ...(positions.get(node.id) ?? { x: 0, y: 0 }),
    ghost: !node.onProfile,
    started: node.annotations.some((a) => a.kind === 'create'),
  }))
  const width = Math.max(NODE_W, ...placed.map((n) => n.x + NODE_W)) + PAD
  const height = Math.max(NODE_H, ...placed.map((n) => n.y + NODE_H)) + PAD_Y
  return { width, height, nodes: placed, edges, hidden }
}
