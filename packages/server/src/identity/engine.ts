/**
 * The identity resolution engine: pure, synchronous and in memory. Seeded with the slice of the
 * graph a batch needs (or nothing, for a rebuild), it resolves events one at a time, in the
 * order given (callers give order-key order), and reports everything it changed as one
 * {@link GraphWrite}. The algorithm is README.md's "The resolution of one event".
 */
import { brokenRule, bySurvival, dedupeSorted, match, type Attempt } from './engine-rules.js'
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
import type {
  Collection,
  GraphSlice,
  Identifier,
  IdentifierKey,
  IdentityOverride,
  OrderKey,
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
  private readonly compare = (a: Identifier, b: Identifier): number => this.rules.compare(a, b)

  constructor(options: IdentityEngineOptions) {
    this.rules = options.rules
    this.now = options.now
    this.createdAt = options.previousCreatedAt ?? new Map()
    const slice = options.slice ?? EMPTY_SLICE
    this.graphs = { users: new CollectionGraph('users'), accounts: new CollectionGraph('accounts') }
    this.graphs.users.seed(slice)
    this.graphs.accounts.seed(slice)
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
    const usable = this.usable(graph, raw)
    if (usable.length === 0) return null
    const keys = usable.map((id) => `${id.type}:${id.value}`)
    const facts: EventFacts = event
    const drops: Array<{ id: Identifier; key: string; rule: string }> = []
    let attempt = match(graph, usable, keys)
    for (;;) {
      const rule =
        usable.length > 1 ? brokenRule(attempt, this.rules, graph.overrides, event.timestamp) : null
      if (rule === null) break
      drops.push({ id: usable.pop() as Identifier, key: keys.pop() as string, rule })
      attempt = match(graph, usable, keys)
    }
    const component = this.joinComponent(graph, facts, {
      ids: drops.length === 0 ? usable : [...usable, ...drops.map((d) => d.id)],
      keys: drops.length === 0 ? keys : [...keys, ...drops.map((d) => d.key)],
    })
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
    for (const drop of drops) emitDrop(ctx, profile, drop.id, drop.rule)
    const traits = collection === 'users' ? event.userTraits : event.accountTraits
    applyEvent(profile, facts, { traits, now: this.now })
    this.events.push({ collection, event: facts, profile, component, identifiers: raw })
    this.stats.resolved++
    return profile.record.id
  }

  /**
   * The event's identifiers minus blocked values and `block` overrides, highest priority
   * first, without duplicates.
   */
  private usable(graph: CollectionGraph, raw: readonly Identifier[]): Identifier[] {
    const usable: Identifier[] = []
    const { blocked } = graph.overrides
    for (const id of raw) {
      if (this.rules.isBlocked(id.type, id.value)) continue
      if (blocked.size > 0 && blocked.has(`${id.type}:${id.value}`)) continue
      usable.push(id)
    }
    if (usable.length > 1) {
      usable.sort(this.compare)
      dedupeSorted(usable, this.rules)
    }
    return usable
  }

  /** Creates, attaches to or merges profiles for the attempt that broke no rule. */
  private settle(ctx: OperationContext, attempt: Attempt): ProfileNode {
    const nodes = attempt.keys.map((key) => ctx.graph.identifiers.get(key) as IdentifierNode)
    const fresh = attempt.fresh.map((i) => nodes[i] as IdentifierNode)
    if (attempt.matched.length === 0) {
      this.stats.profilesCreated++
      return createProfile(ctx, nodes)
    }
    const [survivor, ...others] = [...attempt.matched].sort(bySurvival)
    const s = survivor as ProfileNode
    const from = nodes.find((n) => n.profile === s) as IdentifierNode
    for (const other of others) {
      const to = nodes.find((n) => n.profile === other) as IdentifierNode
      mergeProfile(ctx, s, other, { from, to })
      this.absorbed.push(other)
      this.stats.merges++
    }
    s.component = ctx.component
    attachAll(ctx, s, fresh, { from, rule: `shared-identifier:${from.type}` })
    return s
  }

  /**
   * Puts the event's identifiers (dropped ones too; blocked ones never) in one component,
   * joining the components they were in (the one with the most events survives; ties by id)
   * and creating nodes for new identifiers (no profile yet). Counts the event on it.
   */
  private joinComponent(
    graph: CollectionGraph,
    event: EventFacts,
    eventIds: { ids: Identifier[]; keys: string[] },
  ): ComponentNode {
    const { ids, keys } = eventIds
    const roots = rootsOf(graph, keys)
    let root = roots[0] ?? null
    if (root === null) root = this.newComponent(graph, event)
    for (const r of roots) {
      if (r === root) continue
      r.parent = root
      root.events += r.events
      if (r.maxKey > root.maxKey) root.maxKey = r.maxKey
    }
    for (let i = 0; i < keys.length; i++) {
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
  ): void {
    graph.identifiers.set(at.key, {
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
    })
  }

  /** Honours more overrides from now on (loaded after seeding). */
  addOverrides(overrides: readonly IdentityOverride[]): void {
    indexOverrides('users', overrides, this.graphs.users.overrides)
    indexOverrides('accounts', overrides, this.graphs.accounts.overrides)
  }

  /**
   * The component an identifier is in (its root: id and `maxKey`), with the profile holding
   * it, or null when the engine does not know it. Used before resolving, to group a batch.
   */
  locate(
    collection: Collection,
    key: IdentifierKey,
  ): { componentId: string; maxKey: OrderKey; profileId: string | null } | null {
    const node = this.graphs[collection].identifiers.get(key)
    if (node === undefined) return null
    const root = findRoot(node.component)
    return {
      componentId: root.id,
      maxKey: root.maxKey,
      profileId: node.profile === null ? null : node.profile.record.id,
    }
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
 * The distinct component roots of the known identifiers among `keys`; the survivor of their
 * join first (most events; ties by lower id).
 */
function rootsOf(graph: CollectionGraph, keys: readonly string[]): ComponentNode[] {
  const roots: ComponentNode[] = []
  for (const key of keys) {
    const node = graph.identifiers.get(key)
    if (node === undefined) continue
    const r = findRoot(node.component)
    if (roots.includes(r)) continue
    const first = roots[0]
    if (
      first === undefined ||
      r.events > first.events ||
      (r.events === first.events && r.id < first.id)
    ) {
      roots.unshift(r)
    } else roots.push(r)
  }
  return roots
}
