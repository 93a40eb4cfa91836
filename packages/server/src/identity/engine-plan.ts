/**
 * How a batch resolves (README.md, "Batches, late events and rebuilds", steps 2 to 4): its
 * events grouped, per collection, by the components they touch, joined across the batch; a
 * group whose events all sort after the stored `maxKey` of its components takes the fast path,
 * any other is rebuilt. Pure: reads the seeded engine, changes nothing.
 */
import { byOrderKey } from './engine-input.js'
import type { RebuildGroup } from './engine-rebuild.js'
import { eventKeys, type IdentityEngine, type ResolvableEvent } from './engine.js'
import { findRoot } from './engine-state.js'
import type { Collection, IdentifierKey } from './model.js'

export interface BatchPlan {
  /** Events of fast groups, in order-key order (per collection). */
  fast: Array<{ collection: Collection; unit: ResolvableEvent }>
  rebuild: RebuildGroup[]
  /**
   * Identifiers of stored profiles that a fast group may merge, not among the batch's keys:
   * the overrides naming them must be loaded too (a `separate` pair can sit on two profiles
   * that an event joins through other identifiers).
   */
  overrideKeys: Record<Collection, IdentifierKey[]>
}

interface Group {
  units: ResolvableEvent[]
  /** Indexes of `units` in the batch. */
  indexes: number[]
  components: Set<string>
  maxKey: string
  minKey: string
  profiles: Set<string>
}

interface Stored {
  maxKey: string
  profiles: string[]
}

const COLLECTIONS: readonly Collection[] = ['users', 'accounts']

export function planBatch(engine: IdentityEngine, units: readonly ResolvableEvent[]): BatchPlan {
  const plan: BatchPlan = { fast: [], rebuild: [], overrideKeys: { users: [], accounts: [] } }
  const fast: Record<Collection, Uint8Array> = {
    users: new Uint8Array(units.length),
    accounts: new Uint8Array(units.length),
  }
  for (const collection of COLLECTIONS) {
    const mergeable: IdentifierKey[] = []
    for (const group of groupUnits(engine, collection, units)) {
      if (group.minKey > group.maxKey) {
        for (const i of group.indexes) fast[collection][i] = 1
        if (group.profiles.size > 1) {
          for (const id of group.profiles) {
            for (const key of engine.profileKeys(collection, id)) mergeable.push(key)
          }
        }
      } else {
        plan.rebuild.push({ collection, componentIds: [...group.components], extra: group.units })
      }
    }
    if (mergeable.length > 0) {
      plan.overrideKeys[collection] = notInBatch(mergeable, units, collection)
    }
  }
  // Both collections of an event in a row, users first; the batch comes in seq order, which
  // is order-key order but for late events: the (stable) sort is then nearly free.
  for (let i = 0; i < units.length; i++) {
    const unit = units[i] as ResolvableEvent
    if (fast.users[i] === 1) plan.fast.push({ collection: 'users', unit })
    if (fast.accounts[i] === 1) plan.fast.push({ collection: 'accounts', unit })
  }
  if (!isSorted(plan.fast)) plan.fast.sort((a, b) => byOrderKey(a.unit, b.unit))
  return plan
}

function isSorted(fast: ReadonlyArray<{ unit: ResolvableEvent }>): boolean {
  for (let i = 1; i < fast.length; i++) {
    if (
      byOrderKey(
        (fast[i - 1] as { unit: ResolvableEvent }).unit,
        (fast[i] as { unit: ResolvableEvent }).unit,
      ) > 0
    ) {
      return false
    }
  }
  return true
}

/** The distinct `keys` that no event of the batch carries in `collection`. */
function notInBatch(
  keys: readonly IdentifierKey[],
  units: readonly ResolvableEvent[],
  collection: Collection,
): IdentifierKey[] {
  const batchKeys = new Set<IdentifierKey>()
  for (const unit of units) for (const key of eventKeys(unit, collection)) batchKeys.add(key)
  return [...new Set(keys)].filter((key) => !batchKeys.has(key))
}

/**
 * Union-find over tokens: the component id for a known identifier, the key (`type:value`,
 * never a component id: those hold no colon) for a new one.
 */
function groupUnits(
  engine: IdentityEngine,
  collection: Collection,
  units: readonly ResolvableEvent[],
): Group[] {
  const parent = new Map<string, string>()
  const find = (token: string): string => {
    let root = token
    for (let up = parent.get(root); up !== undefined && up !== root; up = parent.get(root)) {
      root = up
    }
    for (let t = token; t !== root;) {
      const next = parent.get(t) as string
      parent.set(t, root)
      t = next
    }
    return root
  }
  const stored = new Map<string, Stored>()
  const firstToken: Array<string | null> = []
  for (const unit of units) {
    let first: string | null = null
    const ids = collection === 'users' ? unit.users : unit.accounts
    if (ids.length > 0) {
      for (const key of eventKeys(unit, collection)) {
        const node = engine.nodeOf(collection, key)
        let token = key
        if (node !== undefined) {
          const root = findRoot(node.component)
          token = root.id
          noteStored(stored, root, node.profile === null ? null : node.profile.record.id)
        }
        if (!parent.has(token)) parent.set(token, token)
        if (first === null) first = token
        else {
          const a = find(first)
          const b = find(token)
          if (a !== b) parent.set(b, a)
        }
      }
    }
    firstToken.push(first)
  }
  return collectGroups(units, firstToken, { find, stored })
}

function noteStored(
  stored: Map<string, Stored>,
  root: { id: string; maxKey: string },
  profileId: string | null,
): void {
  let entry = stored.get(root.id)
  if (entry === undefined) {
    entry = { maxKey: root.maxKey, profiles: [] }
    stored.set(root.id, entry)
  }
  if (profileId !== null && !entry.profiles.includes(profileId)) entry.profiles.push(profileId)
}

function collectGroups(
  units: readonly ResolvableEvent[],
  firstToken: ReadonlyArray<string | null>,
  ctx: {
    find: (token: string) => string
    stored: ReadonlyMap<string, Stored>
  },
): Group[] {
  const groups = new Map<string, Group>()
  for (let i = 0; i < units.length; i++) {
    const token = firstToken[i]
    if (token === null || token === undefined) continue
    const unit = units[i] as ResolvableEvent
    const root = ctx.find(token)
    let group = groups.get(root)
    if (group === undefined) {
      group = {
        units: [],
        indexes: [],
        components: new Set(),
        maxKey: '',
        minKey: unit.orderKey,
        profiles: new Set(),
      }
      groups.set(root, group)
    }
    group.units.push(unit)
    group.indexes.push(i)
    if (unit.orderKey < group.minKey) group.minKey = unit.orderKey
  }
  for (const [token, entry] of ctx.stored) {
    const group = groups.get(ctx.find(token))
    if (group === undefined) continue
    group.components.add(token)
    if (entry.maxKey > group.maxKey) group.maxKey = entry.maxKey
    for (const p of entry.profiles) group.profiles.add(p)
  }
  return [...groups.values()]
}
