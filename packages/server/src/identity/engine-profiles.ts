/**
 * Profile operations of the engine: create, attach, merge, and applying an event's effects
 * (traits, counts, first and last seen). They mutate the in-memory graph (`engine-state.ts`)
 * and report edges through {@link EdgeSink}; the engine turns them into a `GraphWrite`.
 */
import {
  deterministicId,
  isLaterTrait,
  ownMaps,
  PROFILE_PREFIX,
  type CollectionGraph,
  type ComponentNode,
  type IdentifierNode,
  type ProfileNode,
} from './engine-state.js'
import type { Identifier, IdentityEdge, ProfileRecord, TraitValue } from './model.js'

/** The event being resolved, as the profile operations need it. */
export interface EventFacts {
  seq: number
  messageId: string
  sourceId: string
  type: string
  timestamp: number
  orderKey: string
}

export interface PendingEdge {
  kind: IdentityEdge['kind']
  from: Identifier | null
  to: Identifier
  rule: string
  mergedProfileId: string | null
  profile: ProfileNode
  component: ComponentNode
  event: EventFacts
}

export type EdgeSink = (edge: PendingEdge) => void

const ident = (node: IdentifierNode): Identifier => ({ type: node.type, value: node.value })

/** Context shared by the operations of one event. */
export interface OperationContext {
  graph: CollectionGraph
  event: EventFacts
  /** Wall-clock time of the resolution (profiles' createdAt / updatedAt). */
  now: number
  component: ComponentNode
  identifierCap: number
  emit: EdgeSink
  /** createdAt of profiles that existed before a rebuild, kept across it. */
  createdAt: ReadonlyMap<string, number>
}

/**
 * A new profile for `nodes` (highest priority first): `create` for the first, `attach` for the
 * others (rule `new-identifier`), up to `identifierCap`; past it, `drop` (`identifier-cap`).
 * Its id derives from the collection and the event's messageId, so a replay makes the same id.
 */
export function createProfile(ctx: OperationContext, nodes: IdentifierNode[]): ProfileNode {
  const { graph, event } = ctx
  const id = deterministicId(PROFILE_PREFIX[graph.collection], graph.collection, event.messageId)
  if (graph.profiles.has(id)) throw new Error(`profile ${id} created twice by one event`)
  const record: ProfileRecord = {
    id,
    collection: graph.collection,
    componentId: ctx.component.id,
    traits: {},
    counts: {},
    merges: 0,
    firstSeen: event.timestamp,
    lastSeen: event.timestamp,
    firstMessageId: event.messageId,
    firstSourceId: event.sourceId,
    lastMessageId: event.messageId,
    lastSourceId: event.sourceId,
    createdAt: ctx.createdAt.get(id) ?? ctx.now,
    updatedAt: ctx.now,
  }
  const profile: ProfileNode = {
    record,
    firstKey: event.orderKey,
    identifiers: [],
    component: ctx.component,
    absorbedInto: null,
    stored: false,
    dirty: true,
    ownsMaps: true,
  }
  graph.profiles.set(id, profile)
  const first = nodes[0] as IdentifierNode
  addIdentifier(ctx, profile, first)
  emit(ctx, profile, { kind: 'create', from: null, to: ident(first), rule: 'new-identifier' })
  attachAll(ctx, profile, nodes.slice(1), { from: first, rule: 'new-identifier' })
  return profile
}

/**
 * Attaches `nodes` to `profile` through `from` (an identifier of the event already on it),
 * `attach` edges with `rule`; past `identifierCap`, `drop` edges (`identifier-cap`) instead.
 */
export function attachAll(
  ctx: OperationContext,
  profile: ProfileNode,
  nodes: readonly IdentifierNode[],
  through: { from: IdentifierNode; rule: string },
): void {
  for (const node of nodes) {
    if (profile.identifiers.length >= ctx.identifierCap) {
      emit(ctx, profile, { kind: 'drop', from: null, to: ident(node), rule: 'identifier-cap' })
      continue
    }
    addIdentifier(ctx, profile, node)
    emit(ctx, profile, {
      kind: 'attach',
      from: ident(through.from),
      to: ident(node),
      rule: through.rule,
    })
  }
}

function addIdentifier(ctx: OperationContext, profile: ProfileNode, node: IdentifierNode): void {
  node.profile = profile
  node.addedAt = ctx.event.timestamp
  node.dirty = true
  profile.identifiers.push(node)
}

/**
 * Merges `absorbed` into `survivor` (the event matched both through `via`): a `merge` edge from
 * the survivor's matched id to the absorbed profile's, its identifiers move over (keeping
 * `addedAt`), traits merge by last write wins, counts add, first/last seen widen, and
 * `merges` adds the absorbed profile's merges plus one.
 */
export function mergeProfile(
  ctx: OperationContext,
  survivor: ProfileNode,
  absorbed: ProfileNode,
  via: { from: IdentifierNode; to: IdentifierNode },
): void {
  emit(ctx, survivor, {
    kind: 'merge',
    from: ident(via.from),
    to: ident(via.to),
    rule: `shared-identifier:${via.from.type}`,
    mergedProfileId: absorbed.record.id,
  })
  for (const node of absorbed.identifiers) {
    node.profile = survivor
    survivor.identifiers.push(node)
  }
  absorbed.identifiers = []
  absorbed.absorbedInto = survivor
  ctx.graph.profiles.delete(absorbed.record.id)
  const s = survivor.record
  const a = absorbed.record
  ownMaps(survivor)
  for (const [name, value] of Object.entries(a.traits)) {
    const mine = s.traits[name]
    if (mine === undefined || isLaterTrait(value, mine)) s.traits[name] = value
  }
  for (const [type, n] of Object.entries(a.counts)) s.counts[type] = (s.counts[type] ?? 0) + n
  if (absorbed.firstKey < survivor.firstKey) {
    survivor.firstKey = absorbed.firstKey
    s.firstSeen = a.firstSeen
    s.firstMessageId = a.firstMessageId
    s.firstSourceId = a.firstSourceId
  }
  if (isLater(a.lastSeen, a.lastMessageId, s.lastSeen, s.lastMessageId)) {
    s.lastSeen = a.lastSeen
    s.lastMessageId = a.lastMessageId
    s.lastSourceId = a.lastSourceId
  }
  s.merges += a.merges + 1
  survivor.dirty = true
}

/**
 * The event's own effects on its profile: `traits` last-write-wins by (timestamp, messageId)
 * (`null` writes a tombstone, `undefined` is ignored), the count of its type, first and last
 * seen, `updatedAt`.
 */
export function applyEvent(
  profile: ProfileNode,
  event: EventFacts,
  traits: Readonly<Record<string, unknown>> | null,
  now: number,
): void {
  ownMaps(profile)
  const r = profile.record
  if (traits !== null) {
    for (const name in traits) {
      const value = traits[name]
      if (value === undefined) continue
      const written: TraitValue = {
        value,
        sourceId: event.sourceId,
        messageId: event.messageId,
        timestamp: event.timestamp,
      }
      const current = r.traits[name]
      if (current === undefined || isLaterTrait(written, current)) r.traits[name] = written
    }
  }
  r.counts[event.type] = (r.counts[event.type] ?? 0) + 1
  if (event.orderKey < profile.firstKey) {
    profile.firstKey = event.orderKey
    r.firstSeen = event.timestamp
    r.firstMessageId = event.messageId
    r.firstSourceId = event.sourceId
  }
  if (isLater(event.timestamp, event.messageId, r.lastSeen, r.lastMessageId)) {
    r.lastSeen = event.timestamp
    r.lastMessageId = event.messageId
    r.lastSourceId = event.sourceId
  }
  r.updatedAt = now
  profile.dirty = true
}

function isLater(at: number, messageId: string, thanAt: number, thanMessageId: string): boolean {
  return at !== thanAt ? at > thanAt : messageId > thanMessageId
}

function emit(
  ctx: OperationContext,
  profile: ProfileNode,
  edge: Pick<PendingEdge, 'kind' | 'from' | 'to' | 'rule'> & { mergedProfileId?: string },
): void {
  ctx.emit({
    kind: edge.kind,
    from: edge.from,
    to: edge.to,
    rule: edge.rule,
    mergedProfileId: edge.mergedProfileId ?? null,
    profile,
    component: ctx.component,
    event: ctx.event,
  })
}

/** Records a `drop` edge for an identifier a rule left out of the event's resolution. */
export function emitDrop(
  ctx: OperationContext,
  profile: ProfileNode,
  to: Identifier,
  rule: string,
): void {
  emit(ctx, profile, { kind: 'drop', from: null, to, rule })
}
