import type {
  Collection,
  ComponentRecord,
  IdentifierKey,
  IdentifierRecord,
  IdentityEdge,
  IdentitySourceEvent,
  IdentityOverride,
  ProfileEventRecord,
  ProfileRecord,
  RebuildRecord,
} from '../../identity/model.js'
import type {
  EventsTable,
  IdentityComponentsTable,
  IdentityEdgesTable,
  IdentityIdentifiersTable,
  IdentityOverridesTable,
  IdentityRebuildsTable,
  ProfileEventsTable,
  ProfilesTable,
} from './database.js'

/**
 * Row mapping of the identity graph tables (migration 0002_identity), shared by the SQLite and
 * PostgreSQL adapters: snake_case rows in, camelCase records out, JSON documents as text.
 * Integer columns go through `Number()` so a driver that returns `bigint` columns as strings
 * still yields numbers (every such column holds values below 2^53).
 */

export type IdentifierRow = IdentityIdentifiersTable
export type ComponentRow = IdentityComponentsTable
export type ProfileRow = ProfilesTable
export type OverrideRow = Omit<IdentityOverridesTable, 'id'> & { id: number }
export type EdgeRow = Omit<IdentityEdgesTable, 'id'> & { id: number }
export type RebuildRow = Omit<IdentityRebuildsTable, 'id'> & { id: number }
export type ProfileEventRow = ProfileEventsTable
export type SourceEventRow = Pick<
  EventsTable,
  'seq' | 'message_id' | 'source_id' | 'type' | 'timestamp' | 'payload'
>
/** An event of a component as loaded for a rebuild: the event and its `profile_events` key. */
export type ComponentEventRow = SourceEventRow & { order_key: string }

/** `work()` as a promise: a synchronous throw becomes a rejection. */
export const settle = <T>(work: () => T): Promise<T> => new Promise<T>((resolve) => resolve(work()))

/**
 * `type:value` split at the first colon: identifier types never contain one, values may.
 * A key without a colon has an empty type and matches no stored identifier.
 */
export function splitIdentifierKey(key: IdentifierKey): { type: string; value: string } {
  const colon = key.indexOf(':')
  return colon < 0
    ? { type: '', value: key }
    : { type: key.slice(0, colon), value: key.slice(colon + 1) }
}

const nullableNumber = (value: number | null): number | null =>
  value === null ? null : Number(value)

export function toIdentifierRecord(row: IdentifierRow): IdentifierRecord {
  return {
    collection: row.collection as Collection,
    type: row.type,
    value: row.value,
    componentId: row.component_id,
    profileId: row.profile_id,
    addedAt: nullableNumber(row.added_at),
    firstSeen: Number(row.first_seen),
    firstMessageId: row.first_message_id,
    firstSourceId: row.first_source_id,
  }
}

export function toComponentRecord(row: ComponentRow): ComponentRecord {
  return { id: row.id, maxKey: row.max_key, events: Number(row.events) }
}

export function toProfileRecord(row: ProfileRow): ProfileRecord {
  return {
    id: row.id,
    collection: row.collection as Collection,
    componentId: row.component_id,
    traits: JSON.parse(row.traits) as ProfileRecord['traits'],
    counts: JSON.parse(row.counts) as ProfileRecord['counts'],
    merges: Number(row.merges),
    firstSeen: Number(row.first_seen),
    lastSeen: Number(row.last_seen),
    firstMessageId: row.first_message_id,
    firstSourceId: row.first_source_id,
    lastMessageId: row.last_message_id,
    lastSourceId: row.last_source_id,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  }
}

export function toOverride(row: OverrideRow): IdentityOverride {
  return {
    id: Number(row.id),
    collection: row.collection as Collection,
    kind: row.kind as IdentityOverride['kind'],
    a: { type: row.a_type, value: row.a_value },
    b:
      row.b_type === null || row.b_value === null ? null : { type: row.b_type, value: row.b_value },
    reason: row.reason,
    actor: row.actor,
    createdAt: Number(row.created_at),
  }
}

/** An edge row with its id (ids ascend in the order edges were appended). */
export function toIdentityEdge(row: EdgeRow): IdentityEdge & { id: number } {
  return {
    id: Number(row.id),
    collection: row.collection as Collection,
    componentId: row.component_id,
    profileId: row.profile_id,
    kind: row.kind as IdentityEdge['kind'],
    from:
      row.from_type === null || row.from_value === null
        ? null
        : { type: row.from_type, value: row.from_value },
    to: { type: row.to_type, value: row.to_value },
    rule: row.rule,
    mergedProfileId: row.merged_profile_id,
    seq: Number(row.seq),
    messageId: row.message_id,
    sourceId: row.source_id,
    timestamp: Number(row.timestamp),
  }
}

export function toProfileEventRecord(row: ProfileEventRow): ProfileEventRecord {
  return {
    seq: Number(row.seq),
    collection: row.collection as Collection,
    componentId: row.component_id,
    profileId: row.profile_id,
    orderKey: row.order_key,
    timestamp: Number(row.timestamp),
    messageId: row.message_id,
    identifiers: JSON.parse(row.identifiers) as ProfileEventRecord['identifiers'],
  }
}

export function toRebuildRecord(row: RebuildRow): RebuildRecord {
  return {
    collection: row.collection as Collection,
    componentIds: JSON.parse(row.component_ids) as string[],
    reason: row.reason as RebuildRecord['reason'],
    events: Number(row.events),
    profilesBefore: JSON.parse(row.profiles_before) as string[],
    profilesAfter: JSON.parse(row.profiles_after) as string[],
    actor: row.actor,
    at: Number(row.at),
  }
}

export function toSourceEvent(row: SourceEventRow): IdentitySourceEvent {
  return {
    seq: Number(row.seq),
    messageId: row.message_id,
    sourceId: row.source_id,
    type: row.type,
    timestamp: Number(row.timestamp),
    payload: row.payload,
  }
}

/**
 * Events of components, each once (an event resolved in both collections has two
 * `profile_events` rows), in ascending order key compared as JavaScript strings, as the engine
 * compares them (a database collation could order differently), then by `seq`.
 */
export function componentEvents(rows: readonly ComponentEventRow[]): IdentitySourceEvent[] {
  const bySeq = new Map<number, ComponentEventRow>()
  for (const row of rows) {
    const seq = Number(row.seq)
    const known = bySeq.get(seq)
    if (known === undefined || row.order_key < known.order_key) bySeq.set(seq, row)
  }
  return [...bySeq.values()]
    .sort((a, b) =>
      a.order_key < b.order_key
        ? -1
        : a.order_key > b.order_key
          ? 1
          : Number(a.seq) - Number(b.seq),
    )
    .map(toSourceEvent)
}

/** Column values of `identity_identifiers`, in the adapters' insert order. */
export function identifierValues(r: IdentifierRecord): unknown[] {
  return [
    r.collection,
    r.type,
    r.value,
    r.componentId,
    r.profileId,
    r.addedAt,
    r.firstSeen,
    r.firstMessageId,
    r.firstSourceId,
  ]
}

/** The columns of `identity_identifiers` in the order of {@link identifierValues}. */
export const IDENTIFIER_COLUMNS = [
  'collection',
  'type',
  'value',
  'component_id',
  'profile_id',
  'added_at',
  'first_seen',
  'first_message_id',
  'first_source_id',
] as const

/**
 * An identifier from its column values in {@link IDENTIFIER_COLUMNS} order: reading rows as
 * arrays skips building one object per row on the hot path.
 */
export function identifierFromValues(values: unknown[]): IdentifierRecord {
  const [collection, type, value, componentId, profileId, addedAt, firstSeen, messageId, source] =
    values as [
      Collection,
      string,
      string,
      string,
      string | null,
      number | null,
      number,
      string,
      string,
    ]
  return {
    collection,
    type,
    value,
    componentId,
    profileId,
    addedAt: addedAt === null ? null : Number(addedAt),
    firstSeen: Number(firstSeen),
    firstMessageId: messageId,
    firstSourceId: source,
  }
}

/** Column values of `identity_components`, in the adapters' insert order. */
export function componentValues(r: ComponentRecord): unknown[] {
  return [r.id, r.maxKey, r.events]
}

/** Column values of `profiles`, in the adapters' insert order (JSON documents as text). */
export function profileValues(r: ProfileRecord): unknown[] {
  return [
    r.id,
    r.collection,
    r.componentId,
    JSON.stringify(r.traits),
    JSON.stringify(r.counts),
    r.merges,
    r.firstSeen,
    r.lastSeen,
    r.firstMessageId,
    r.firstSourceId,
    r.lastMessageId,
    r.lastSourceId,
    r.createdAt,
    r.updatedAt,
  ]
}

/** The columns of `profiles` in the order of {@link profileValues}. */
export const PROFILE_COLUMNS = [
  'id',
  'collection',
  'component_id',
  'traits',
  'counts',
  'merges',
  'first_seen',
  'last_seen',
  'first_message_id',
  'first_source_id',
  'last_message_id',
  'last_source_id',
  'created_at',
  'updated_at',
] as const

/**
 * A profile from its column values in {@link PROFILE_COLUMNS} order (rows read as arrays, as
 * {@link identifierFromValues}).
 */
export function profileFromValues(values: unknown[]): ProfileRecord {
  const [id, collection, componentId, traits, counts, merges, firstSeen, lastSeen, ...rest] =
    values as [string, Collection, string, string, string, number, number, number, ...unknown[]]
  const [firstMessageId, firstSourceId, lastMessageId, lastSourceId, createdAt, updatedAt] =
    rest as [string, string, string, string, number, number]
  return {
    id,
    collection,
    componentId,
    traits: JSON.parse(traits) as ProfileRecord['traits'],
    counts: JSON.parse(counts) as ProfileRecord['counts'],
    merges: Number(merges),
    firstSeen: Number(firstSeen),
    lastSeen: Number(lastSeen),
    firstMessageId,
    firstSourceId,
    lastMessageId,
    lastSourceId,
    createdAt: Number(createdAt),
    updatedAt: Number(updatedAt),
  }
}

/**
 * Column values of `profiles` after `traits` (`counts` to `updated_at`, in
 * {@link profileValues} order): an update of a stored row whose key columns and traits stay.
 */
export function profileStateValues(r: ProfileRecord): unknown[] {
  return [
    JSON.stringify(r.counts),
    r.merges,
    r.firstSeen,
    r.lastSeen,
    r.firstMessageId,
    r.firstSourceId,
    r.lastMessageId,
    r.lastSourceId,
    r.createdAt,
    r.updatedAt,
  ]
}

/** Column values of `identity_edges` (without `id`), in the adapters' insert order. */
export function edgeValues(e: IdentityEdge): unknown[] {
  return [
    e.collection,
    e.componentId,
    e.profileId,
    e.kind,
    e.from?.type ?? null,
    e.from?.value ?? null,
    e.to.type,
    e.to.value,
    e.rule,
    e.mergedProfileId,
    e.seq,
    e.messageId,
    e.sourceId,
    e.timestamp,
  ]
}

/** Column values of `profile_events`, in the adapters' insert order. */
export function profileEventValues(r: ProfileEventRecord): unknown[] {
  return [
    r.seq,
    r.collection,
    r.componentId,
    r.profileId,
    r.orderKey,
    r.timestamp,
    r.messageId,
    JSON.stringify(r.identifiers),
  ]
}

/** Column values of `identity_rebuilds` (without `id`), in the adapters' insert order. */
export function rebuildValues(r: RebuildRecord): unknown[] {
  return [
    r.collection,
    JSON.stringify(r.componentIds),
    r.reason,
    r.events,
    JSON.stringify(r.profilesBefore),
    JSON.stringify(r.profilesAfter),
    r.actor,
    r.at,
  ]
}

/** Column values of `identity_overrides` (without `id`), in the adapters' insert order. */
export function overrideValues(r: Omit<IdentityOverride, 'id'>): unknown[] {
  return [
    r.collection,
    r.kind,
    r.a.type,
    r.a.value,
    r.b?.type ?? null,
    r.b?.value ?? null,
    r.reason,
    r.actor,
    r.createdAt,
  ]
}
