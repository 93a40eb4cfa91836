/**
 * Rebuilds: re-resolution of whole components from an empty graph, in order-key order, with
 * every override applied (README.md, "Batches, late events and rebuilds"). Used by a batch for
 * late events and by the identity service for splits. Runs inside the caller's transaction;
 * returns the write (starting with `deleteComponents`) and the audit records, writes nothing.
 */
import { byOrderKey, toResolvable } from './engine-input.js'
import { IdentityEngine, type ResolvableEvent } from './engine.js'
import type { ComponentLoad, GraphWrite } from './identity-store.js'
import type { Collection, IdentityOverride, RebuildRecord } from './model.js'
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
  const { load, rules } = options
  const overrides = [...load.overrides, ...(options.overrides ?? [])]
  const index = indexLoad(load)
  const outcome: RebuildOutcome = {
    write: emptyWrite(),
    records: [],
    replayed: 0,
    profilesCreated: 0,
    profilesRemoved: 0,
  }
  const stored = load.events.map((e) => toResolvable(e, rules))
  for (const group of options.groups) {
    const components = new Set(group.componentIds)
    const units: ResolvableEvent[] = []
    const seqs = new Set<number>()
    for (const event of stored) {
      const unit = event === null ? null : restrict(event, group.collection, components, index)
      if (unit === null) continue
      units.push(unit)
      seqs.add(unit.seq)
    }
    for (const event of group.extra) {
      if (seqs.has(event.seq)) outcome.replayed++
      else units.push(event)
    }
    units.sort(byOrderKey)
    const before = load.profiles
      .filter((p) => p.collection === group.collection && components.has(p.componentId))
      .map((p) => p.id)
    const engine = new IdentityEngine({
      rules,
      slice: { identifiers: [], profiles: [], components: [], overrides },
      now: options.now,
      previousCreatedAt: new Map(load.profiles.map((p) => [p.id, p.createdAt])),
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
  return outcome
}

type KeyIndex = Record<Collection, Map<string, string>>

/** identifier key → component id, per collection, of the loaded components. */
function indexLoad(load: ComponentLoad): KeyIndex {
  const index: KeyIndex = { users: new Map(), accounts: new Map() }
  for (const i of load.identifiers) index[i.collection].set(`${i.type}:${i.value}`, i.componentId)
  return index
}

/**
 * The stored event as one collection of the group sees it: only its identifiers in the group's
 * components; null when it has none there (it belongs to another group or collection).
 */
function restrict(
  event: ResolvableEvent,
  collection: Collection,
  components: ReadonlySet<string>,
  index: KeyIndex,
): ResolvableEvent | null {
  const ids = collection === 'users' ? event.users : event.accounts
  const kept = ids.filter((id) => {
    const component = index[collection].get(`${id.type}:${id.value}`)
    return component !== undefined && components.has(component)
  })
  if (kept.length === 0) return null
  return collection === 'users'
    ? { ...event, users: kept, accounts: [] }
    : { ...event, users: [], accounts: kept }
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
