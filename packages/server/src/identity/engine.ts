/**
 * The identity resolution engine: pure, synchronous and in memory. Seeded with the slice of the
 * graph a batch needs (or nothing, for a rebuild), it resolves events one at a time, in the
 * order given (callers give order-key order), and reports everything it changed as one
 * {@link GraphWrite}. The algorithm is README.md's "The resolution of one event".
 */
import { brokenRule, bySurvival, match, type Attempt } from './engine-rules.js'
import {
  applyEvent,
  attachAll,
  createProfile,
  emitDrop,
  mergeProfile,
  type EventFacts,
  type OperationContext,
  type PendingEdge,
} from './engine-profiles.js'
import {
  CollectionGraph,
  deterministicId,
  findRoot,
  indexOverrides,
  type ComponentNode,
  type IdentifierNode,
  type ProfileNode,
} from './engine-state.js'
import { collectWrite, type PendingEvent } from './engine-write.js'
import type { GraphWrite } from './identity-store.js'
import {
  identifierKey,
  type Collection,
  type GraphSlice,
  type Identifier,
  type IdentifierKey,
  type IdentityOverride,
  type OrderKey,
} from './model.js'
import type { IdentityRules } from './rules.js'

/** One stored event, parsed and with its identifiers extracted, ready for the engine. */
export interface ResolvableEvent {
  seq: number
  messageId: string
  sourceId: string
  type: string
  timestamp: number
  orderKey: OrderKey
  /** Identifiers of the `users` collection, as extracted (normalized, unsorted). */
  users: Identifier[]
  /** Identifiers of the `accounts` collection (a group call's `group_id`, …). */
  accounts: Identifier[]
  /** Keys (`type:value`) of `users`, parallel to it; computed from `users` when absent. */
  userKeys?: IdentifierKey[]
  /** Keys of `accounts`, parallel to it; computed from `accounts` when absent. */
  accountKeys?: IdentifierKey[]
  /** An identify call's `traits`, applied to the user profile. */
  userTraits: Readonly<Record<string, unknown>> | null
  /** A group call's `traits`, applied to the account profile. */
  accountTraits: Readonly<Record<string, unknown>> | null
}

/** The profiles an event resolved to (null where it had no usable identifier). */
export interface Resolution {
  users: string | null
  accounts: string | null
}

export interface EngineStats {
  /** Events resolved to a profile, per collection. */
  resolved: number
  profilesCreated: number
  /** Profiles absorbed by merges. */
  merges: number
}

export interface IdentityEngineOptions {
  rules: IdentityRules
  /** The loaded graph; omit for an empty one. */
  slice?: GraphSlice
  /** Wall-clock time for profiles' createdAt / updatedAt. */
  now: number
  /** createdAt of profiles that existed before a rebuild, kept when the rebuild makes them again. */
  previousCreatedAt?: ReadonlyMap<string, number>
}

const EMPTY_SLICE: GraphSlice = { identifiers: [], profiles: [], components: [], overrides: [] }

/**
 * Resolves events against an in-memory graph. Not thread-safe, single use: seed, resolve,
 * then call {@link IdentityEngine.write} once. Deterministic: the same slice and events in the
 * same order give the same write (apart from wall-clock times).
 */
export class IdentityEngine {
  private readonly graphs: Record<Collection, CollectionGraph>
  private readonly events: PendingEvent[] = []
  private readonly edges: PendingEdge[] = []
  private readonly absorbed: ProfileNode[] = []
  private readonly rules: IdentityRules
  private readonly now: number
  private readonly createdAt: ReadonlyMap<string, number>
  readonly stats: EngineStats = { resolved: 0, profilesCreated: 0, merges: 0 }
  private readonly sink = (edge: PendingEdge): void => {
    this.edges.push(edge)
  }

  constructor(options: IdentityEngineOptions) {
    this.rules = options.rules
    this.now = options.now
    this.createdAt = options.previousCreatedAt ?? new Map()
    const slice = options.slice ?? EMPTY_SLICE
    this.graphs = { users: new CollectionGraph('users'), accounts: new CollectionGraph('accounts') }
    this.graphs.users.seed(slice)
    this.graphs.accounts.seed(slice)
  }

  /**
   * Seeds one collection with more stored rows (a `loadSlice` of it): rows already known and
   * rows of the other collection are ignored, overrides are honoured from now on. The engine
   * takes the slice over: its profile rows are changed in place (no copies), so the caller
   * must not use them afterwards.
   */
  seed(collection: Collection, slice: GraphSlice): void {
    this.graphs[collection].seed(slice, true)
  }

  /** Resolves the event in both collections. */
  resolve(event: ResolvableEvent): Resolution {
    return { users: this.resolveIn('users', event), accounts: this.resolveIn('accounts', event) }
  }

  /**
   * Resolves the event in one collection (a rebuild of one collection's components replays
   * only that side). Blocked values and identifiers of `block` overrides are left out entirely
   * (never matched, recorded or joined to a component: a blocked identifier links nothing).
   * Returns the profile id, or null when no identifier is usable (the event then changes
   * nothing).
   */
  resolveIn(collection: Collection, event: ResolvableEvent): string | null {
    const graph = this.graphs[collection]
    const raw = collection === 'users' ? event.users : event.accounts
    if (raw.length === 0) return null
    const usable = this.usable(graph, raw, eventKeys(event, collection))
    if (usable === null) return null
    const { ids, keys } = usable
    const total = ids.length
    // Drops take the lowest-priority id off the end: the attempt covers ids[0 .. count).
    const dropRules: string[] = []
    let attempt = match(graph, ids, keys, total)
    while (attempt.count > 1) {
      const rule = brokenRule(attempt, this.rules, graph.overrides, event.timestamp)
      if (rule === null) break
      dropRules.push(rule)
      attempt = match(graph, ids, keys, attempt.count - 1)
    }
    const facts: EventFacts = event
    const component = this.joinComponent(graph, facts, attempt, total)
    const ctx: OperationContext = {
      graph,
      event: facts,
      now: this.now,
      component,
      identifierCap: this.rules.identifierCap,
      emit: this.sink,
      createdAt: this.createdAt,
    }
    const profile = this.settle(ctx, attempt)
    for (let d = 0; d < dropRules.length; d++) {
      emitDrop(ctx, profile, ids[total - 1 - d] as Identifier, dropRules[d] as string)
    }
    const traits = collection === 'users' ? event.userTraits : event.accountTraits
    applyEvent(profile, facts, traits, this.now)
    this.events.push({ collection, event: facts, profile, component, identifiers: raw })
    this.stats.resolved++
    return profile.record.id
  }

  /**
   * The event's identifiers (with their keys, parallel) minus blocked values and `block`
   * overrides, highest priority first, without duplicates; null when none is left. Returns
   * the event's own arrays when they are already that (they are never changed).
   */
  private usable(
    graph: CollectionGraph,
    raw: Identifier[],
    rawKeys: IdentifierKey[],
  ): { ids: Identifier[]; keys: IdentifierKey[] } | null {
    const { rules } = this
    const { blocked } = graph.overrides
    const usable = (i: number): boolean => {
      const id = raw[i] as Identifier
      if (rules.isBlocked(id.type, id.value)) return false
      return blocked.size === 0 || !blocked.has(rawKeys[i] as string)
    }
    let kept = 0
    let ordered = true
    let previous: Identifier | null = null
    for (let i = 0; i < raw.length; i++) {
      if (!usable(i)) continue
      const id = raw[i] as Identifier
      if (previous !== null && rules.compare(previous, id) >= 0) ordered = false
      previous = id
      kept++
    }
    if (kept === 0) return null
    if (kept === raw.length && ordered) return { ids: raw, keys: rawKeys }
    const pairs: Array<{ id: Identifier; key: IdentifierKey }> = []
    for (let i = 0; i < raw.length; i++) {
      if (usable(i)) pairs.push({ id: raw[i] as Identifier, key: rawKeys[i] as string })
    }
    pairs.sort((a, b) => rules.compare(a.id, b.id))
    const ids: Identifier[] = []
    const keys: IdentifierKey[] = []
    for (const pair of pairs) {
      const last = ids[ids.length - 1]
      if (last !== undefined && rules.compare(last, pair.id) === 0) continue
      ids.push(pair.id)
      keys.push(pair.key)
    }
    return { ids, keys }
  }

  /** Creates, attaches to or merges profiles for the attempt that broke no rule. */
  private settle(ctx: OperationContext, attempt: Attempt): ProfileNode {
    // Every node of the attempt exists now (joinComponent made the new ones).
    const nodes = attempt.nodes as IdentifierNode[]
    const { matched } = attempt
    if (matched.length === 0) {
      this.stats.profilesCreated++
      return createProfile(ctx, nodes)
    }
    const fresh =
      attempt.fresh.length === 0 ? null : attempt.fresh.map((i) => nodes[i] as IdentifierNode)
    const sorted = matched.length === 1 ? matched : [...matched].sort(bySurvival)
    const s = sorted[0] as ProfileNode
    const from = heldBy(nodes, s)
    for (let k = 1; k < sorted.length; k++) {
      const other = sorted[k] as ProfileNode
      mergeProfile(ctx, s, other, { from, to: heldBy(nodes, other) })
      this.absorbed.push(other)
      this.stats.merges++
    }
    s.component = ctx.component
    if (fresh !== null) attachAll(ctx, s, fresh, { from, rule: `shared-identifier:${from.type}` })
    return s
  }

  /**
   * Puts the event's identifiers (dropped ones too; blocked ones never) in one component,
   * joining the components they were in (the one with the most events survives; ties by id)
   * and creating nodes for new identifiers (no profile yet; those of the attempt are set in
   * `attempt.nodes`). Counts the event on it. `total` counts the dropped ids, at the end of
   * `attempt.ids` past `attempt.count`, taken in drop order (last first).
   */
  private joinComponent(
    graph: CollectionGraph,
    event: EventFacts,
    attempt: Attempt,
    total: number,
  ): ComponentNode {
    const { ids, keys, nodes, count } = attempt
    const roots: ComponentNode[] = []
    for (let i = 0; i < count; i++) addRoot(roots, nodes[i])
    for (let i = total - 1; i >= count; i--) {
      addRoot(roots, graph.identifiers.get(keys[i] as string))
    }
    let root = roots[0] ?? null
    if (root === null) root = this.newComponent(graph, event)
    for (const r of roots) {
      if (r === root) continue
      r.parent = root
      root.events += r.events
      if (r.maxKey > root.maxKey) root.maxKey = r.maxKey
    }
    for (let i = 0; i < count; i++) {
      if (nodes[i] === undefined) {
        nodes[i] = this.addNode(graph, {
          id: ids[i] as Identifier,
          key: keys[i] as string,
          root,
          event,
        })
      }
    }
    for (let i = total - 1; i >= count; i--) {
      const key = keys[i] as string
      if (!graph.identifiers.has(key)) {
        this.addNode(graph, { id: ids[i] as Identifier, key, root, event })
      }
    }
    root.events++
    if (event.orderKey > root.maxKey) root.maxKey = event.orderKey
    root.dirty = true
    return root
  }

  private newComponent(graph: CollectionGraph, event: EventFacts): ComponentNode {
    const id = deterministicId('cmp_', graph.collection, event.messageId)
    const node: ComponentNode = {
      id,
      maxKey: '',
      events: 0,
      parent: null,
      stored: false,
      dirty: true,
    }
    graph.components.set(id, node)
    return node
  }

  private addNode(
    graph: CollectionGraph,
    at: { id: Identifier; key: string; root: ComponentNode; event: EventFacts },
  ): IdentifierNode {
    const node: IdentifierNode = {
      type: at.id.type,
      value: at.id.value,
      key: at.key,
      component: at.root,
      profile: null,
      addedAt: null,
      firstSeen: at.event.timestamp,
      firstMessageId: at.event.messageId,
      firstSourceId: at.event.sourceId,
      dirty: true,
    }
    graph.identifiers.set(at.key, node)
    return node
  }

  /** Honours more overrides from now on (loaded after seeding). */
  addOverrides(overrides: readonly IdentityOverride[]): void {
    indexOverrides('users', overrides, this.graphs.users.overrides)
    indexOverrides('accounts', overrides, this.graphs.accounts.overrides)
  }

  /**
   * The node of an identifier (its component and profile), or undefined when the engine does
   * not know it. Read only: used before resolving, to group a batch (`engine-plan.ts`).
   */
  nodeOf(collection: Collection, key: IdentifierKey): Readonly<IdentifierNode> | undefined {
    return this.graphs[collection].identifiers.get(key)
  }

  /** The keys of a living profile's identifiers, or an empty list. */
  profileKeys(collection: Collection, profileId: string): IdentifierKey[] {
    const profile = this.graphs[collection].profiles.get(profileId)
    return profile === undefined ? [] : profile.identifiers.map((node) => node.key)
  }

  /** Ids of the living profiles of a collection (loaded or made here). */
  profileIds(collection: Collection): string[] {
    return [...this.graphs[collection].profiles.keys()]
  }

  /** Everything changed since seeding, in the shape and order the store applies. */
  write(): GraphWrite {
    return collectWrite({
      graphs: [this.graphs.users, this.graphs.accounts],
      absorbed: this.absorbed,
      events: this.events,
      edges: this.edges,
    })
  }
}

/**
 * Adds the component root of `node` (when known) to `roots`, distinct; the survivor of their
 * join first (most events; ties by lower id).
 */
function addRoot(roots: ComponentNode[], node: IdentifierNode | undefined): void {
  if (node === undefined) return
  const r = findRoot(node.component)
  if (roots.includes(r)) return
  const first = roots[0]
  if (
    first === undefined ||
    r.events > first.events ||
    (r.events === first.events && r.id < first.id)
  ) {
    roots.unshift(r)
  } else roots.push(r)
}

/** The first of `nodes` on `profile` (the event matched it, so there is one). */
function heldBy(nodes: readonly IdentifierNode[], profile: ProfileNode): IdentifierNode {
  for (const node of nodes) if (node.profile === profile) return node
  throw new Error(`no identifier of the event is on profile ${profile.record.id}`)
}

/** The keys of the event's identifiers of `collection`, parallel to them. */
export function eventKeys(event: ResolvableEvent, collection: Collection): IdentifierKey[] {
  const keys = collection === 'users' ? event.userKeys : event.accountKeys
  if (keys !== undefined) return keys
  return (collection === 'users' ? event.users : event.accounts).map(identifierKey)
}
