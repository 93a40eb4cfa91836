/**
 * Why identifiers share a profile, from its edges (README.md, Concepts, "Edges"): the shortest
 * path between two identifiers, and the graph of identifiers and links the console draws.
 * Pure functions over the edges `ProfileQuery.edges` returns.
 */
import { identifierKey, type Identifier, type IdentifierKey, type IdentityEdge } from './model.js'

/** Edges that link two identifiers: `attach` and `merge` (a `create` or `drop` links none). */
const isLink = (edge: IdentityEdge): edge is IdentityEdge & { from: Identifier } =>
  edge.from !== null && (edge.kind === 'attach' || edge.kind === 'merge')

/**
 * The shortest chain of `attach` / `merge` edges from `a` to `b` (breadth-first, edges taken in
 * the order given, each usable in either direction), in path order from `a`; `[]` when `a`
 * equals `b`; null when no chain links them. Deterministic for a given edge order.
 */
export function shortestPath(
  edges: readonly IdentityEdge[],
  a: Identifier,
  b: Identifier,
): IdentityEdge[] | null {
  const start = identifierKey(a)
  const goal = identifierKey(b)
  if (start === goal) return []
  const adjacent = new Map<IdentifierKey, Array<{ next: IdentifierKey; edge: IdentityEdge }>>()
  const link = (from: IdentifierKey, to: IdentifierKey, edge: IdentityEdge): void => {
    const list = adjacent.get(from)
    if (list === undefined) adjacent.set(from, [{ next: to, edge }])
    else list.push({ next: to, edge })
  }
  for (const edge of edges) {
    if (!isLink(edge)) continue
    const from = identifierKey(edge.from)
    const to = identifierKey(edge.to)
    link(from, to, edge)
    link(to, from, edge)
  }
  const via = new Map<IdentifierKey, { previous: IdentifierKey; edge: IdentityEdge }>()
  const queue: IdentifierKey[] = [start]
  const seen = new Set([start])
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i] as IdentifierKey
    for (const { next, edge } of adjacent.get(at) ?? []) {
      if (seen.has(next)) continue
      seen.add(next)
      via.set(next, { previous: at, edge })
      if (next === goal) return unwind(via, start, goal)
      queue.push(next)
    }
  }
  return null
}

function unwind(
  via: ReadonlyMap<IdentifierKey, { previous: IdentifierKey; edge: IdentityEdge }>,
  start: IdentifierKey,
  goal: IdentifierKey,
): IdentityEdge[] {
  const path: IdentityEdge[] = []
  for (let at = goal; at !== start;) {
    const step = via.get(at) as { previous: IdentifierKey; edge: IdentityEdge }
    path.push(step.edge)
    at = step.previous
  }
  return path.reverse()
}

/** The event an edge came from. */
export interface EdgeEvent {
  seq: number
  messageId: string
  sourceId: string
  timestamp: number
}

/** One identifier of the drawing. */
export interface GraphNode {
  key: IdentifierKey
  type: string
  value: string
  /**
   * `attached` when an edge put it on the profile (`create`, `attach`, or the far end of a
   * `merge`); `dropped` when it only ever appears as left out by a rule.
   */
  status: 'attached' | 'dropped'
  /** The edge that put it on the profile, or null for a dropped identifier. */
  joined: { kind: IdentityEdge['kind']; rule: string; event: EdgeEvent } | null
  /** Rules that left it out of an event's resolution, with the event, oldest first. */
  drops: Array<{ rule: string; event: EdgeEvent }>
}

/** One link of the drawing: an `attach` or `merge` edge, labelled with its event. */
export interface GraphLink {
  /** The stored edge id, when the edges carry one. */
  id: number | null
  from: IdentifierKey
  to: IdentifierKey
  kind: 'attach' | 'merge'
  rule: string
  mergedProfileId: string | null
  event: EdgeEvent
}

export interface ProfileGraph {
  nodes: GraphNode[]
  links: GraphLink[]
}

/**
 * The profile's graph for the console: every identifier named by its edges (in order of first
 * mention) and every link, in edge order. A node is attached by the first edge putting it on
 * the profile.
 */
export function buildProfileGraph(
  edges: ReadonlyArray<IdentityEdge & { id?: number }>,
): ProfileGraph {
  const nodes = new Map<IdentifierKey, GraphNode>()
  const node = (id: Identifier): GraphNode => {
    const key = identifierKey(id)
    let found = nodes.get(key)
    if (found === undefined) {
      found = { key, type: id.type, value: id.value, status: 'dropped', joined: null, drops: [] }
      nodes.set(key, found)
    }
    return found
  }
  const links: GraphLink[] = []
  for (const edge of edges) {
    const event = eventOf(edge)
    if (edge.from !== null) node(edge.from)
    const target = node(edge.to)
    if (edge.kind === 'drop') {
      target.drops.push({ rule: edge.rule, event })
      continue
    }
    if (target.joined === null) {
      target.status = 'attached'
      target.joined = { kind: edge.kind, rule: edge.rule, event }
    }
    if (edge.from !== null && (edge.kind === 'attach' || edge.kind === 'merge')) {
      links.push({
        id: edge.id ?? null,
        from: identifierKey(edge.from),
        to: identifierKey(edge.to),
        kind: edge.kind,
        rule: edge.rule,
        mergedProfileId: edge.mergedProfileId,
        event,
      })
    }
  }
  return { nodes: [...nodes.values()], links }
}

function eventOf(edge: IdentityEdge): EdgeEvent {
  return {
    seq: edge.seq,
    messageId: edge.messageId,
    sourceId: edge.sourceId,
    timestamp: edge.timestamp,
  }
}
