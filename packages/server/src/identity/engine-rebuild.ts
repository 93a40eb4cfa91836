/**
 * Rebuilds: re-resolution of whole components from an empty graph, in order-key order, with
 * every override applied (README.md, "Batches, late events and rebuilds"). Used by a batch for
 * late events and by the identity service for splits. Runs inside the caller's transaction;
 * returns the write (starting with `deleteComponents`) and the audit records, writes nothing.
 */
import { byOrderKey, toResolvable } from './engine-input.js'
import { eventKeys, IdentityEngine, type ResolvableEvent } from './engine.js'
import type { GraphWrite } from './identity-store.js'
import type { ComponentLoad } from './identity-store.js'
import type {
  Collection,
  Identifier,
  IdentityOverride,
  ProfileRecord,
  RebuildRecord,
} from './model.js'
import type { IdentityRules } from './rules.js'

/** Components of one collection to rebuild together, with events not yet recorded in them. */
export interface RebuildGroup {
  collection: Collection
  /** Stored components, all re-resolved (and deleted first). */
  componentIds: string[]
  /** New events of the group (the batch's), resolved with the stored ones. */
  extra: ResolvableEvent[]
}

export interface RebuildOutcome {
  write: GraphWrite
  records: RebuildRecord[]
  /** Extra events that were already recorded (a replay): skipped, not resolved twice. */
  replayed: number
  /** Profiles that exist after but not before, and before but not after, over all groups. */
  profilesCreated: number
  profilesRemoved: number
}

export interface RebuildOptions {
  rules: IdentityRules
  /** The groups' components loaded whole (`IdentityTx.loadComponents` of all their ids). */
  load: ComponentLoad
  groups: readonly RebuildGroup[]
  reason: RebuildRecord['reason']
  actor: string | null
  now: number
  /** Overrides to honour besides those of `load` (e.g. one added in this transaction). */
  overrides?: readonly IdentityOverride[]
}

/**
 * Re-resolves each group from empty: its stored events (from `load`, identifiers re-extracted
 * with `rules` and kept only when they belong to the group's components, so a rules change can
 * never reach into a component that is not rebuilt) plus its extra events, in order-key order.
 */
export function rebuildComponents(options: RebuildOptions): RebuildOutcome {
  const { load } = options
  const outcome: RebuildOutcome = {
    write: emptyWrite(),
    records: [],
    replayed: 0,
    profilesCreated: 0,
    profilesRemoved: 0,
  }
  const units = distribute(options)
  const ctx: GroupContext = {
    options,
    overrides: [...load.overrides, ...(options.overrides ?? [])],
    createdAt: new Map(load.profiles.map((p) => [p.id, p.createdAt])),
    profilesByComponent: groupBy(load.profiles, (p) => p.componentId),
  }
  options.groups.forEach((group, i) => {
    rebuildGroup(ctx, group, units[i] as ResolvableEvent[], outcome)
  })
  return outcome
}

interface GroupContext {
  options: RebuildOptions
  overrides: IdentityOverride[]
  createdAt: ReadonlyMap<string, number>
  profilesByComponent: ReadonlyMap<string, ProfileRecord[]>
}

/** Re-resolves one group from empty and adds its write and record to `outcome`. */
function rebuildGroup(
  ctx: GroupContext,
  group: RebuildGroup,
  stored: ResolvableEvent[],
  outcome: RebuildOutcome,
): void {
  const { options } = ctx
  const seqs = new Set(stored.map((e) => e.seq))
  const units = stored
  for (const event of group.extra) {
    if (seqs.has(event.seq)) outcome.replayed++
    else units.push(event)
  }
  units.sort(byOrderKey)
  const before = group.componentIds
    .flatMap((id) => ctx.profilesByComponent.get(id) ?? [])
    .filter((p) => p.collection === group.collection)
    .map((p) => p.id)
  const engine = new IdentityEngine({
    rules: options.rules,
    slice: { identifiers: [], profiles: [], components: [], overrides: ctx.overrides },
    now: options.now,
    previousCreatedAt: ctx.createdAt,
  })
  for (const unit of units) engine.resolveIn(group.collection, unit)
  const write = engine.write()
  write.deleteComponents = [...group.componentIds]
  appendWrite(outcome.write, write)
  const after = engine.profileIds(group.collection)
  const had = new Set(before)
  const has = new Set(after)
  outcome.profilesCreated += after.filter((id) => !had.has(id)).length
  outcome.profilesRemoved += before.filter((id) => !has.has(id)).length
  outcome.records.push({
    collection: group.collection,
    componentIds: [
      ...new Set([...group.componentIds, ...write.components.map((c) => c.id)]),
    ].sort(),
    reason: options.reason,
    events: units.length,
    profilesBefore: before.sort(),
    profilesAfter: after.sort(),
    actor: options.actor,
    at: options.now,
  })
}

/**
 * The stored events of each group (parallel to `options.groups`), each parsed once: an event
 * goes to the group of its collection whose components hold its identifiers, keeping only the
 * identifiers in those components (so a rules change can never reach into a component that is
 * not rebuilt).
 */
function distribute(options: RebuildOptions): ResolvableEvent[][] {
  const { load, groups } = options
  const groupOf: Record<Collection, Map<string, number>> = { users: new Map(), accounts: new Map() }
  groups.forEach((g, i) => {
    for (const id of g.componentIds) groupOf[g.collection].set(id, i)
  })
  const componentOf: Record<Collection, Map<string, string>> = {
    users: new Map(),
    accounts: new Map(),
  }
  for (const i of load.identifiers) {
    componentOf[i.collection].set(`${i.type}:${i.value}`, i.componentId)
  }
  const units: ResolvableEvent[][] = groups.map(() => [])
  for (const source of load.events) {
    const event = toResolvable(source, options.rules)
    if (event === null) continue
    for (const collection of COLLECTIONS) {
      const placed = place(event, collection, componentOf[collection], groupOf[collection])
      if (placed !== null) units[placed.group]?.push(placed.unit)
    }
  }
  return units
}

const COLLECTIONS: readonly Collection[] = ['users', 'accounts']

/** The event as one collection's group sees it, or null when no group of it holds the event. */
function place(
  event: ResolvableEvent,
  collection: Collection,
  componentOf: ReadonlyMap<string, string>,
  groupOf: ReadonlyMap<string, number>,
): { group: number; unit: ResolvableEvent } | null {
  const ids = collection === 'users' ? event.users : event.accounts
  const keys = eventKeys(event, collection)
  let group: number | undefined
  const kept: Identifier[] = []
  const keptKeys: string[] = []
  for (let i = 0; i < ids.length; i++) {
    const component = componentOf.get(keys[i] as string)
    const g = component === undefined ? undefined : groupOf.get(component)
    if (g === undefined) continue
    group ??= g
    if (g === group) {
      kept.push(ids[i] as Identifier)
      keptKeys.push(keys[i] as string)
    }
  }
  if (group === undefined) return null
  const unit: ResolvableEvent =
    collection === 'users'
      ? { ...event, users: kept, accounts: [], userKeys: keptKeys, accountKeys: [] }
      : { ...event, users: [], accounts: kept, userKeys: [], accountKeys: keptKeys }
  return { group, unit }
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>()
  for (const row of rows) {
    const k = key(row)
    const list = map.get(k)
    if (list === undefined) map.set(k, [row])
    else list.push(row)
  }
  return map
}

export function emptyWrite(): GraphWrite {
  return {
    deleteComponents: [],
    relabelComponents: [],
    moveProfiles: [],
    components: [],
    identifiers: [],
    profiles: [],
    events: [],
    edges: [],
  }
}

/** Appends `more` to `into` (writes of disjoint components combine by concatenation). */
export function appendWrite(into: GraphWrite, more: GraphWrite): void {
  append(into.deleteComponents, more.deleteComponents)
  append(into.relabelComponents, more.relabelComponents)
  append(into.moveProfiles, more.moveProfiles)
  append(into.components, more.components)
  append(into.identifiers, more.identifiers)
  append(into.profiles, more.profiles)
  append(into.events, more.events)
  append(into.edges, more.edges)
}

/** `push(...items)` without the argument-count limit of spreading a large array. */
function append<T>(into: T[], items: readonly T[]): void {
  for (const item of items) into.push(item)
}
