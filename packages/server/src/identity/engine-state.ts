/**
 * The engine's in-memory graph of one collection: identifiers, profiles and components as
 * mutable nodes, seeded from a {@link GraphSlice}. Internal to the engine (`engine.ts`).
 * Components are a union-find forest; absorbed profiles point at the profile that absorbed
 * them. Nothing here does I/O.
 */
import { createHash } from 'node:crypto'
import type {
  Collection,
  ComponentRecord,
  IdentifierRecord,
  IdentityOverride,
  OrderKey,
  ProfileRecord,
  TraitValue,
} from './model.js'
import { orderKey } from './model.js'

export interface ComponentNode {
  id: string
  maxKey: OrderKey
  events: number
  /** The component this one was joined into, or null for a root. */
  parent: ComponentNode | null
  /** The row exists in the store (it must be relabelled when joined, deleted never). */
  stored: boolean
  dirty: boolean
}

export interface IdentifierNode {
  type: string
  value: string
  key: string
  component: ComponentNode
  profile: ProfileNode | null
  addedAt: number | null
  firstSeen: number
  firstMessageId: string
  firstSourceId: string
  dirty: boolean
}

export interface ProfileNode {
  record: ProfileRecord
  /** Order key of the profile's first event (the survivor of a merge has the lowest). */
  firstKey: OrderKey
  identifiers: IdentifierNode[]
  component: ComponentNode
  /** The profile this one was merged into, or null while it lives. */
  absorbedInto: ProfileNode | null
  stored: boolean
  dirty: boolean
  /** `record.traits` and `record.counts` are private copies that may be mutated. */
  ownsMaps: boolean
}

/** Profile ids (`usr_`/`acc_`) and component ids (`cmp_`): 20 hex chars of SHA-256. */
export function deterministicId(prefix: string, collection: Collection, messageId: string): string {
  return (
    prefix +
    createHash('sha256')
      .update(collection + messageId)
      .digest('hex')
      .slice(0, 20)
  )
}

export const PROFILE_PREFIX: Readonly<Record<Collection, string>> = {
  users: 'usr_',
  accounts: 'acc_',
}

/** The root of a component (path-halving find). */
export function findRoot(node: ComponentNode): ComponentNode {
  let current = node
  while (current.parent !== null) {
    const grand: ComponentNode = current.parent.parent ?? current.parent
    current.parent = grand
    current = grand
  }
  return current
}

/** The living profile a (possibly absorbed) profile now is. */
export function finalProfile(node: ProfileNode): ProfileNode {
  let current = node
  while (current.absorbedInto !== null) current = current.absorbedInto
  return current
}

/** Overrides of one collection, indexed for the engine's checks. */
export interface OverrideIndex {
  blocked: Set<string>
  /** identifier key → keys it must never share a profile with. */
  separated: Map<string, Set<string>>
}

export function indexOverrides(
  collection: Collection,
  overrides: readonly IdentityOverride[],
  into: OverrideIndex = { blocked: new Set(), separated: new Map() },
): OverrideIndex {
  for (const o of overrides) {
    if (o.collection !== collection) continue
    const a = `${o.a.type}:${o.a.value}`
    if (o.kind === 'block') into.blocked.add(a)
    else if (o.b !== null) {
      const b = `${o.b.type}:${o.b.value}`
      addPartner(into.separated, a, b)
      addPartner(into.separated, b, a)
    }
  }
  return into
}

function addPartner(map: Map<string, Set<string>>, from: string, to: string): void {
  const set = map.get(from)
  if (set === undefined) map.set(from, new Set([to]))
  else set.add(to)
}

/** The graph of one collection. */
export class CollectionGraph {
  readonly identifiers = new Map<string, IdentifierNode>()
  readonly profiles = new Map<string, ProfileNode>()
  readonly components = new Map<string, ComponentNode>()
  readonly overrides: OverrideIndex = { blocked: new Set(), separated: new Map() }

  constructor(readonly collection: Collection) {}

  /**
   * Loads stored rows of this collection; rows of the other collection are ignored. When
   * `owned`, the profile rows (with their traits and counts) are the engine's to change, and
   * are not copied.
   */
  seed(
    slice: {
      identifiers: readonly IdentifierRecord[]
      profiles: readonly ProfileRecord[]
      components: readonly ComponentRecord[]
      overrides: readonly IdentityOverride[]
    },
    owned = false,
  ): void {
    for (const c of slice.components) this.seedComponent(c)
    for (const p of slice.profiles) {
      if (p.collection === this.collection) this.seedProfile(p, owned)
    }
    for (const i of slice.identifiers) {
      if (i.collection === this.collection) this.seedIdentifier(i)
    }
    indexOverrides(this.collection, slice.overrides, this.overrides)
  }

  private seedComponent(c: ComponentRecord): ComponentNode {
    const existing = this.components.get(c.id)
    if (existing !== undefined) return existing
    const node: ComponentNode = {
      id: c.id,
      maxKey: c.maxKey,
      events: c.events,
      parent: null,
      stored: true,
      dirty: false,
    }
    this.components.set(c.id, node)
    return node
  }

  /** A component row the slice did not carry (adapters return them; this keeps the engine total). */
  private componentFor(id: string): ComponentNode {
    return this.components.get(id) ?? this.seedComponent({ id, maxKey: '', events: 0 })
  }

  private seedProfile(p: ProfileRecord, owned: boolean): void {
    if (this.profiles.has(p.id)) return
    this.profiles.set(p.id, {
      record: owned ? p : { ...p },
      firstKey: orderKey(p.firstSeen, p.firstMessageId),
      identifiers: [],
      component: this.componentFor(p.componentId),
      absorbedInto: null,
      stored: true,
      dirty: false,
      ownsMaps: owned,
    })
  }

  private seedIdentifier(i: IdentifierRecord): void {
    const key = `${i.type}:${i.value}`
    if (this.identifiers.has(key)) return
    const profile = i.profileId === null ? null : (this.profiles.get(i.profileId) ?? null)
    const node: IdentifierNode = {
      type: i.type,
      value: i.value,
      key,
      component: this.componentFor(i.componentId),
      profile,
      addedAt: i.addedAt,
      firstSeen: i.firstSeen,
      firstMessageId: i.firstMessageId,
      firstSourceId: i.firstSourceId,
      dirty: false,
    }
    this.identifiers.set(key, node)
    profile?.identifiers.push(node)
  }
}

/** Makes the profile's traits and counts private copies (they may be shared with the slice). */
export function ownMaps(profile: ProfileNode): void {
  if (profile.ownsMaps) return
  profile.record.traits = { ...profile.record.traits }
  profile.record.counts = { ...profile.record.counts }
  profile.ownsMaps = true
}

/** True when trait `a` was written after `b`: last write wins by (timestamp, messageId). */
export function isLaterTrait(a: TraitValue, b: TraitValue): boolean {
  return a.timestamp !== b.timestamp ? a.timestamp > b.timestamp : a.messageId > b.messageId
}
