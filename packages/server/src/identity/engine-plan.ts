/**
 * How a batch resolves (README.md, "Batches, late events and rebuilds", steps 2 to 4): its
 * events grouped, per collection, by the components they touch, joined across the batch; a
 * group whose events all sort after the stored `maxKey` of its components takes the fast path,
 * any other is rebuilt. Pure: reads the seeded engine, changes nothing.
 */
import { byOrderKey } from './engine-input.js'
import type { RebuildGroup } from './engine-rebuild.js'
import type { IdentityEngine, ResolvableEvent } from './engine.js'
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
  components: Set<string>
  maxKey: string
  minKey: string
  profiles: Set<string>
  keys: Set<IdentifierKey>
}

const COLLECTIONS: readonly Collection[] = ['users', 'accounts']

export function planBatch(engine: IdentityEngine, units: readonly ResolvableEvent[]): BatchPlan {
  const plan: BatchPlan = { fast: [], rebuild: [], overrideKeys: { users: [], accounts: [] } }
  for (const collection of COLLECTIONS) {
    const batchKeys = new Set<IdentifierKey>()
    for (const group of groupUnits(engine, collection, units)) {
      for (const key of group.keys) batchKeys.add(key)
      if (group.minKey > group.maxKey) {
        for (const unit of group.units) plan.fast.push({ collection, unit })
        if (group.profiles.size > 1) {
          for (const id of group.profiles) {
            plan.overrideKeys[collection].push(...engine.profileKeys(collection, id))
          }
        }
      } else {
        plan.rebuild.push({ collection, componentIds: [...group.components], extra: group.units })
      }
    }
    plan.overrideKeys[collection] = [...new Set(plan.overrideKeys[collection])].filter(
      (key) => !batchKeys.has(key),
    )
  }
  plan.fast.sort((a, b) => byOrderKey(a.unit, b.unit))
  return plan
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
  const stored = new Map<string, { maxKey: string; profiles: string[] }>()
  const firstToken: Array<string | null> = []
  for (const unit of units) {
    let first: string | null = null
    for (const id of collection === 'users' ? unit.users : unit.accounts) {
      const key = `${id.type}:${id.value}`
      const located = engine.locate(collection, key)
      const token = located === null ? key : located.componentId
      if (!parent.has(token)) parent.set(token, token)
      if (located !== null) noteStored(stored, token, located)
      if (first === null) first = token
      else {
        const a = find(first)
        const b = find(token)
        if (a !== b) parent.set(b, a)
      }
    }
    firstToken.push(first)
  }
  return collectGroups(units, firstToken, { find, stored, collection })
}

function noteStored(
  stored: Map<string, { maxKey: string; profiles: string[] }>,
  token: string,
  located: { maxKey: string; profileId: string | null },
): void {
  let entry = stored.get(token)
  if (entry === undefined) {
    entry = { maxKey: located.maxKey, profiles: [] }
    stored.set(token, entry)
  }
  if (located.profileId !== null && !entry.profiles.includes(located.profileId)) {
    entry.profiles.push(located.profileId)
  }
}

function collectGroups(
  units: readonly ResolvableEvent[],
  firstToken: ReadonlyArray<string | null>,
  ctx: {
    find: (token: string) => string
    stored: ReadonlyMap<string, { maxKey: string; profiles: string[] }>
    collection: Collection
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
        components: new Set(),
        maxKey: '',
        minKey: unit.orderKey,
        profiles: new Set(),
        keys: new Set(),
      }
      groups.set(root, group)
    }
    group.units.push(unit)
    if (unit.orderKey < group.minKey) group.minKey = unit.orderKey
    for (const id of ctx.collection === 'users' ? unit.users : unit.accounts) {
      group.keys.add(`${id.type}:${id.value}`)
    }
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
