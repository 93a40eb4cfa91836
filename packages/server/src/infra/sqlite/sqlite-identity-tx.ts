import type { Statement } from 'better-sqlite3'
import type { ComponentLoad, GraphWrite, IdentityTx } from '../../identity/identity-store.js'
import type {
  Collection,
  GraphSlice,
  ProfileRecord,
  IdentifierKey,
  IdentifierRecord,
  IdentityOverride,
  RebuildRecord,
} from '../../identity/model.js'
import {
  componentEvents,
  componentValues,
  edgeValues,
  identifierFromValues,
  identifierValues,
  overrideValues,
  profileEventValues,
  profileFromValues,
  profileStateValues,
  profileValues,
  rebuildValues,
  settle,
  toComponentRecord,
  toOverride,
  type ComponentRow,
  type OverrideRow,
  type ComponentEventRow,
} from '../sql/identity-rows.js'
import { lastByKey, netRenames } from '../sql/graph-write-plan.js'
import { keyedIdentifier, type SqliteIdentityStatements } from './sqlite-identity-statements.js'

const json = (values: Iterable<string>): string => JSON.stringify([...values])

/**
 * A stored profile as this transaction read it: its key columns, and a copy of its traits map
 * as parsed (the entries themselves are frozen), or null once written.
 */
interface KnownProfile {
  collection: string
  componentId: string
  traits: ProfileRecord['traits'] | null
  traitCount: number
}

/**
 * True when `traits` holds exactly the entries `known` was read with. The engine may change
 * the map it was given, but replaces a trait with a new object and never changes one in place
 * (loaded entries are frozen, so an attempt would throw): equal entries mean equal JSON.
 */
function hasKnownTraits(traits: ProfileRecord['traits'], known: KnownProfile): boolean {
  const read = known.traits
  if (read === null) return false
  let n = 0
  for (const name in traits) {
    if (traits[name] !== read[name]) return false
    n += 1
  }
  return n === known.traitCount
}

/** `records`, the last of each key only (see `lastByKey`), in ascending key order: writes in
 * key order walk each B-tree forward instead of jumping about. */
function inKeyOrder<T>(records: readonly T[], key: (record: T) => string): T[] {
  return lastByKey(records, key)
    .map((record) => ({ k: key(record), record }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map(({ record }) => record)
}

/**
 * The {@link IdentityTx} of one `SqliteIdentityStore.transact` call: every method runs
 * synchronously on the connection inside the open write transaction (so reads see
 * the earlier writes of the same transaction). Once the transaction has ended, every method
 * rejects: a transaction object kept past its `fn` is a bug. A call that rejects may have
 * written part of its changes: let the rejection reach `transact`, which rolls back.
 */
export class SqliteIdentityTx implements IdentityTx {
  private open = true
  /** Profiles read in this transaction and not changed since other than by `write` upserts. */
  private readonly known = new Map<string, KnownProfile>()

  constructor(private readonly s: SqliteIdentityStatements) {}

  /** Marks the transaction ended; later calls reject. */
  end(): void {
    this.open = false
  }

  /** Runs `work` now, as a promise: a throw (or a call after the end) becomes a rejection. */
  private run<T>(work: () => T): Promise<T> {
    return settle(() => {
      if (!this.open) throw new Error('identity transaction used after it ended')
      return work()
    })
  }

  offset(consumer: string): Promise<number> {
    return this.run(() => (this.s.getOffset.get(consumer) as number | undefined) ?? 0)
  }

  loadSlice(collection: Collection, keys: IdentifierKey[]): Promise<GraphSlice> {
    return this.run(() => this.loadSliceNow(collection, keys))
  }

  loadComponents(componentIds: string[]): Promise<ComponentLoad> {
    return this.run(() => this.loadComponentsNow(new Set(componentIds)))
  }

  write(changes: GraphWrite): Promise<void> {
    return this.run(() => this.writeNow(changes))
  }

  commitOffset(consumer: string, offset: number): Promise<void> {
    return this.run(() => {
      this.s.setOffset.run(consumer, offset)
    })
  }

  addOverride(override: Omit<IdentityOverride, 'id'>): Promise<IdentityOverride> {
    return this.run(() => {
      const info = this.s.insertOverride.run(overrideValues(override))
      return { ...override, id: Number(info.lastInsertRowid) }
    })
  }

  recordRebuild(rebuild: RebuildRecord): Promise<void> {
    return this.run(() => {
      this.s.insertRebuild.run(rebuildValues(rebuild))
    })
  }

  private loadSliceNow(collection: Collection, keys: IdentifierKey[]): GraphSlice {
    const unique = [...new Set(keys)]
    const keysJson = JSON.stringify(unique)
    const rows = this.s.identifiersByKeys.all(keysJson, collection) as unknown[][]
    const found = rows.map((row) => keyedIdentifier(collection, unique, row))
    const profileIds = new Set<string>()
    for (const r of found) if (r.profileId !== null) profileIds.add(r.profileId)
    const byKey = new Map<string, IdentifierRecord>()
    const add = (r: IdentifierRecord): void => {
      byKey.set(`${r.type}:${r.value}`, r)
    }
    found.forEach(add)
    if (profileIds.size > 0) {
      this.identifiers(this.s.identifiersByProfiles.all(json(profileIds))).forEach(add)
    }
    const componentIds = new Set<string>()
    for (const r of byKey.values()) componentIds.add(r.componentId)
    return {
      identifiers: [...byKey.values()],
      profiles: this.profiles(this.rows(this.s.profilesByIds, profileIds)),
      components: this.rows<ComponentRow>(this.s.componentsByIds, componentIds).map(
        toComponentRecord,
      ),
      overrides: this.overrides(collection, keysJson),
    }
  }

  private loadComponentsNow(ids: Set<string>): ComponentLoad {
    const idsJson = json(ids)
    const identifiers = this.identifiers(this.s.identifiersByComponents.all(idsJson, idsJson))
    const keysByCollection = new Map<Collection, string[]>()
    for (const r of identifiers) {
      const keys = keysByCollection.get(r.collection) ?? []
      keys.push(`${r.type}:${r.value}`)
      keysByCollection.set(r.collection, keys)
    }
    const overrides = [...keysByCollection].flatMap(([collection, keys]) =>
      this.overrides(collection, json(keys)),
    )
    return {
      identifiers,
      profiles: this.profiles(this.rows(this.s.profilesByComponents, ids)),
      components: this.rows<ComponentRow>(this.s.componentsByIds, ids).map(toComponentRecord),
      overrides: overrides.sort((a, b) => a.id - b.id),
      events: componentEvents(this.rows<ComponentEventRow>(this.s.eventsOfComponents, ids)),
    }
  }

  /** The steps of {@link GraphWrite} in its documented order. */
  private writeNow(changes: GraphWrite): void {
    const s = this.s
    if (changes.deleteComponents.length > 0) {
      const ids = json(changes.deleteComponents)
      for (const statement of s.deleteByComponents) statement.run(ids)
      s.deleteComponents.run(ids)
    }
    this.rename(s.relabel, s.deleteComponents, changes.relabelComponents)
    this.rename(s.moveProfile, s.deleteProfiles, changes.moveProfiles)
    const moved =
      changes.deleteComponents.length +
      changes.relabelComponents.length +
      changes.moveProfiles.length
    if (moved > 0) this.known.clear()
    for (const r of inKeyOrder(changes.components, (c) => c.id)) {
      s.upsertComponent.run(componentValues(r))
    }
    const identifierKey = (r: IdentifierRecord): string => `${r.collection}:${r.type}:${r.value}`
    for (const r of inKeyOrder(changes.identifiers, identifierKey)) {
      s.upsertIdentifier.run(identifierValues(r))
    }
    for (const r of inKeyOrder(changes.profiles, (p) => p.id)) this.writeProfile(r)
    for (const r of changes.events) s.upsertProfileEvent.run(profileEventValues(r))
    for (const e of changes.edges) s.insertEdge.run(edgeValues(e))
  }

  /**
   * Upserts a profile; a stored one read in this transaction with the same collection and
   * component is updated in place, and without `traits` when they are the ones read.
   */
  private writeProfile(r: ProfileRecord): void {
    const s = this.s
    const known = this.known.get(r.id)
    let updated = false
    if (known?.collection === r.collection && known.componentId === r.componentId) {
      const where = [r.id, r.collection, r.componentId]
      const state = profileStateValues(r)
      const info = hasKnownTraits(r.traits, known)
        ? s.updateProfileState.run(...state, ...where)
        : s.updateProfile.run(JSON.stringify(r.traits), ...state, ...where)
      updated = info.changes > 0
    }
    if (!updated) s.upsertProfile.run(profileValues(r))
    this.known.set(r.id, {
      collection: r.collection,
      componentId: r.componentId,
      traits: null,
      traitCount: 0,
    })
  }

  /** Applies renames with their sequential effect (see `netRenames`), then deletes the sources. */
  private rename(
    updates: readonly Statement[],
    deleteSources: Statement,
    renames: ReadonlyArray<{ from: string; to: string }>,
  ): void {
    const net = netRenames(renames)
    for (const [from, to] of net) for (const statement of updates) statement.run(to, from)
    if (net.size > 0) deleteSources.run(json(net.keys()))
  }

  private rows<R>(statement: Statement, ids: Set<string>): R[] {
    return ids.size === 0 ? [] : (statement.all(json(ids)) as R[])
  }

  /** Profiles from rows read as arrays, remembered as {@link known}. */
  private profiles(rows: unknown[]): ProfileRecord[] {
    return (rows as unknown[][]).map((values) => {
      const r = profileFromValues(values)
      const traits: ProfileRecord['traits'] = {}
      let traitCount = 0
      for (const name in r.traits) {
        traits[name] = Object.freeze(r.traits[name]) as ProfileRecord['traits'][string]
        traitCount += 1
      }
      this.known.set(r.id, {
        collection: r.collection,
        componentId: r.componentId,
        traits,
        traitCount,
      })
      return r
    })
  }

  private identifiers(rows: unknown[]): IdentifierRecord[] {
    return (rows as unknown[][]).map(identifierFromValues)
  }

  private overrides(collection: Collection, keysJson: string): IdentityOverride[] {
    if (this.s.hasOverrides.get(collection) === 0) return []
    const rows = this.s.overridesByKeys.all(keysJson, collection, collection) as OverrideRow[]
    return rows.map(toOverride)
  }
}
