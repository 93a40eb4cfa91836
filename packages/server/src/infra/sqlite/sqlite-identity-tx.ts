import type { Statement } from 'better-sqlite3'
import type { ComponentLoad, GraphWrite, IdentityTx } from '../../identity/identity-store.js'
import type {
  Collection,
  GraphSlice,
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
  profileValues,
  rebuildValues,
  settle,
  toComponentRecord,
  toOverride,
  toProfileRecord,
  type ComponentRow,
  type OverrideRow,
  type ProfileRow,
  type ComponentEventRow,
} from '../sql/identity-rows.js'
import { netRenames } from '../sql/graph-write-plan.js'
import { keyedIdentifier, type SqliteIdentityStatements } from './sqlite-identity-statements.js'

const json = (values: Iterable<string>): string => JSON.stringify([...values])

/**
 * The {@link IdentityTx} of one `SqliteIdentityStore.transact` call: every method runs
 * synchronously on the connection inside the open `BEGIN IMMEDIATE` transaction (so reads see
 * the earlier writes of the same transaction). Once the transaction has ended, every method
 * rejects: a transaction object kept past its `fn` is a bug. A call that rejects may have
 * written part of its changes: let the rejection reach `transact`, which rolls back.
 */
export class SqliteIdentityTx implements IdentityTx {
  private open = true

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
      profiles: this.rows<ProfileRow>(this.s.profilesByIds, profileIds).map(toProfileRecord),
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
      profiles: this.rows<ProfileRow>(this.s.profilesByComponents, ids).map(toProfileRecord),
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
    for (const r of changes.components) s.upsertComponent.run(componentValues(r))
    for (const r of changes.identifiers) s.upsertIdentifier.run(identifierValues(r))
    for (const r of changes.profiles) {
      const values = profileValues(r)
      const inPlace = [...values.slice(3), ...values.slice(0, 3)]
      if (s.updateProfileInPlace.run(inPlace).changes === 0) s.upsertProfile.run(values)
    }
    for (const r of changes.events) s.upsertProfileEvent.run(profileEventValues(r))
    for (const e of changes.edges) s.insertEdge.run(edgeValues(e))
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

  private identifiers(rows: unknown[]): IdentifierRecord[] {
    return (rows as unknown[][]).map(identifierFromValues)
  }

  private overrides(collection: Collection, keysJson: string): IdentityOverride[] {
    if (this.s.hasOverrides.get(collection) === 0) return []
    const rows = this.s.overridesByKeys.all(keysJson, collection, collection) as OverrideRow[]
    return rows.map(toOverride)
  }
}
