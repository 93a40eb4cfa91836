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
  identifierValues,
  overrideValues,
  profileEventValues,
  profileValues,
  rebuildValues,
  splitIdentifierKey,
  toComponentRecord,
  toIdentifierRecord,
  toOverride,
  toProfileRecord,
  type ComponentEventRow,
  type ComponentRow,
  type IdentifierRow,
  type OverrideRow,
  type ProfileRow,
} from '../sql/identity-rows.js'
import { lastByKey, netRenames } from '../sql/graph-write-plan.js'
import * as sql from './postgres-identity-sql.js'
import type { PostgresPoolClient } from './postgres-pool.js'

/** Rows per multi-row statement: bounds the size of one statement's parameters. */
const CHUNK = 5_000

/** Column arrays of `rows` (each row's values in column order), as `unnest` takes them. */
function columns(rows: readonly unknown[][], width: number): unknown[][] {
  const out = Array.from({ length: width }, () => new Array<unknown>(rows.length))
  rows.forEach((row, r) => {
    for (let c = 0; c < width; c += 1) out[c]![r] = row[c]
  })
  return out
}

function splitKeys(keys: Iterable<IdentifierKey>): [string[], string[]] {
  const types: string[] = []
  const values: string[] = []
  for (const key of keys) {
    const { type, value } = splitIdentifierKey(key)
    types.push(type)
    values.push(value)
  }
  return [types, values]
}

/**
 * The {@link IdentityTx} of one `PostgresIdentityStore.transact` call, on the transaction's
 * client (reads see the earlier writes of the same transaction). Each list is sent as array
 * parameters: `loadSlice` is five statements and `write` at most one per table and step (per
 * 5,000 rows), whatever the batch size. Once the transaction has ended, every method rejects.
 * A call that rejects may have written part of its changes (and PostgreSQL then refuses every
 * later statement of the transaction): let the rejection reach `transact`, which rolls back.
 */
export class PostgresIdentityTx implements IdentityTx {
  private open = true

  constructor(private readonly client: PostgresPoolClient) {}

  /** Marks the transaction ended; later calls reject. */
  end(): void {
    this.open = false
  }

  private async query<R extends object>(text: string, parameters: unknown[]): Promise<R[]> {
    if (!this.open) throw new Error('identity transaction used after it ended')
    return (await this.client.query<R>(text, parameters)).rows
  }

  async offset(consumer: string): Promise<number> {
    const rows = await this.query<{ offset: number | string }>(sql.GET_OFFSET, [consumer])
    return rows[0] === undefined ? 0 : Number(rows[0].offset)
  }

  async loadSlice(collection: Collection, keys: IdentifierKey[]): Promise<GraphSlice> {
    const [types, values] = splitKeys(new Set(keys))
    const found = await this.query<IdentifierRow>(sql.IDENTIFIERS_BY_KEYS, [
      collection,
      types,
      values,
    ])
    const profileIds = [
      ...new Set(found.flatMap((r) => (r.profile_id === null ? [] : [r.profile_id]))),
    ]
    const owned =
      profileIds.length === 0
        ? []
        : await this.query<IdentifierRow>(sql.IDENTIFIERS_BY_PROFILES, [profileIds])
    const identifiers = new Map<string, IdentifierRecord>()
    for (const row of [...found, ...owned]) {
      identifiers.set(`${row.type}:${row.value}`, toIdentifierRecord(row))
    }
    const componentIds = [...new Set([...identifiers.values()].map((r) => r.componentId))]
    return {
      identifiers: [...identifiers.values()],
      profiles: (await this.byIds<ProfileRow>(sql.PROFILES_BY_IDS, profileIds)).map(
        toProfileRecord,
      ),
      components: (await this.byIds<ComponentRow>(sql.COMPONENTS_BY_IDS, componentIds)).map(
        toComponentRecord,
      ),
      overrides: await this.overrides(collection, types, values),
    }
  }

  async loadComponents(componentIds: string[]): Promise<ComponentLoad> {
    const ids = [...new Set(componentIds)]
    const identifiers = (await this.byIds<IdentifierRow>(sql.IDENTIFIERS_BY_COMPONENTS, ids)).map(
      toIdentifierRecord,
    )
    const overrides: IdentityOverride[] = []
    for (const collection of new Set(identifiers.map((r) => r.collection))) {
      const mine = identifiers.filter((r) => r.collection === collection)
      const found = await this.overrides(
        collection,
        mine.map((r) => r.type),
        mine.map((r) => r.value),
      )
      overrides.push(...found)
    }
    const profiles = await this.byIds<ProfileRow>(sql.PROFILES_BY_COMPONENTS, ids)
    const components = await this.byIds<ComponentRow>(sql.COMPONENTS_BY_IDS, ids)
    const events = await this.byIds<ComponentEventRow>(sql.EVENTS_OF_COMPONENTS, ids)
    return {
      identifiers,
      profiles: profiles.map(toProfileRecord),
      components: components.map(toComponentRecord),
      overrides: overrides.sort((a, b) => a.id - b.id),
      events: componentEvents(events),
    }
  }

  /** The steps of {@link GraphWrite} in its documented order, each as array statements. */
  async write(changes: GraphWrite): Promise<void> {
    if (changes.deleteComponents.length > 0) {
      const ids = [...new Set(changes.deleteComponents)]
      for (const statement of sql.DELETE_BY_COMPONENTS) await this.query(statement, [ids])
      await this.query(sql.DELETE_COMPONENTS, [ids])
    }
    await this.rename(sql.RELABEL, sql.DELETE_COMPONENTS, changes.relabelComponents)
    await this.rename(sql.MOVE_PROFILES, sql.DELETE_PROFILES, changes.moveProfiles)
    await this.upsert(
      sql.UPSERT_COMPONENTS,
      lastByKey(changes.components, (r) => r.id).map(componentValues),
    )
    const identifiers = lastByKey(
      changes.identifiers,
      (r) => `${r.collection}:${r.type}:${r.value}`,
    )
    await this.upsert(sql.UPSERT_IDENTIFIERS, identifiers.map(identifierValues))
    await this.upsert(
      sql.UPSERT_PROFILES,
      lastByKey(changes.profiles, (r) => r.id).map(profileValues),
    )
    const events = lastByKey(changes.events, (r) => `${r.seq}:${r.collection}`)
    await this.upsert(sql.UPSERT_PROFILE_EVENTS, events.map(profileEventValues))
    await this.upsert(sql.INSERT_EDGES, changes.edges.map(edgeValues))
  }

  async commitOffset(consumer: string, offset: number): Promise<void> {
    await this.query(sql.COMMIT_OFFSET, [consumer, offset])
  }

  async addOverride(override: Omit<IdentityOverride, 'id'>): Promise<IdentityOverride> {
    const rows = await this.query<{ id: number | string }>(
      sql.INSERT_OVERRIDE,
      overrideValues(override),
    )
    return { ...override, id: Number(rows[0]?.id) }
  }

  async recordRebuild(rebuild: RebuildRecord): Promise<void> {
    await this.query(sql.INSERT_REBUILD, rebuildValues(rebuild))
  }

  private async byIds<R extends object>(text: string, ids: readonly string[]): Promise<R[]> {
    return ids.length === 0 ? [] : this.query<R>(text, [ids])
  }

  private async overrides(
    collection: Collection,
    types: string[],
    values: string[],
  ): Promise<IdentityOverride[]> {
    if (types.length === 0) return []
    const rows = await this.query<OverrideRow>(sql.OVERRIDES_BY_KEYS, [collection, types, values])
    return rows.map(toOverride)
  }

  /** Applies renames with their sequential effect (see `netRenames`), then deletes the sources. */
  private async rename(
    updates: readonly string[],
    deleteSources: string,
    renames: ReadonlyArray<{ from: string; to: string }>,
  ): Promise<void> {
    const net = netRenames(renames)
    if (net.size === 0) return
    const from = [...net.keys()]
    const to = [...net.values()]
    for (const statement of updates) await this.query(statement, [from, to])
    await this.query(deleteSources, [from])
  }

  private async upsert(text: string, rows: readonly unknown[][]): Promise<void> {
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK)
      const width = chunk[0]?.length ?? 0
      await this.query(text, columns(chunk, width))
    }
  }
}
