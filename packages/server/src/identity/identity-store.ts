import type {
  Collection,
  GraphSlice,
  IdentifierKey,
  IdentifierRecord,
  IdentityEdge,
  IdentityOverride,
  IdentitySourceEvent,
  ComponentRecord,
  ProfileEventRecord,
  ProfileRecord,
  RebuildRecord,
} from './model.js'

/**
 * Everything one resolution batch writes, applied by {@link IdentityTx.write} in this order:
 * 1. `deleteComponents`: every row of these components goes (identifiers, profiles,
 *    profile_events, edges, the component row): a rebuild then inserts the new state;
 * 2. `relabelComponents`: rows of component `from` move to `to` and `from`'s row goes (two
 *    components joined by an event);
 * 3. `moveProfiles`: identifiers, profile_events and edges of profile `from` move to `to`, and
 *    profile `from` is deleted (a merge);
 * 4. upserts by primary key of `components`, `identifiers` (collection, type, value),
 *    `profiles` (id) and `events` (seq, collection);
 * 5. `edges` appended.
 *
 * Writers keep one rule the adapters rely on: a row that names a profile (identifier, event,
 * edge) is in that profile's component, so rows are found by component through `profiles`.
 */
export interface GraphWrite {
  deleteComponents: string[]
  relabelComponents: Array<{ from: string; to: string }>
  moveProfiles: Array<{ from: string; to: string }>
  components: ComponentRecord[]
  identifiers: IdentifierRecord[]
  profiles: ProfileRecord[]
  events: ProfileEventRecord[]
  edges: IdentityEdge[]
}

/** One component loaded whole, with its events, for a rebuild. */
export interface ComponentLoad extends GraphSlice {
  /** Every event of the components (from `profile_events` joined with the event store). */
  events: IdentitySourceEvent[]
}

/**
 * One transaction on the identity graph. Reads see the writes made earlier in it.
 */
export interface IdentityTx {
  /** Committed offset of `consumer` (0 when none). */
  offset(consumer: string): Promise<number>
  /**
   * The identifiers among `keys` that exist; the profiles owning any of them, each with all of
   * its identifiers; the components of all these identifiers; the overrides naming any key.
   */
  loadSlice(collection: Collection, keys: IdentifierKey[]): Promise<GraphSlice>
  /** Every row of the components (all collections' rows with these ids) and their events. */
  loadComponents(componentIds: string[]): Promise<ComponentLoad>
  /** Applies a batch's changes (see {@link GraphWrite} for the order). */
  write(changes: GraphWrite): Promise<void>
  /** Moves the consumer's offset forward (never back). */
  commitOffset(consumer: string, offset: number): Promise<void>
  addOverride(override: Omit<IdentityOverride, 'id'>): Promise<IdentityOverride>
  recordRebuild(rebuild: RebuildRecord): Promise<void>
}

/**
 * Storage of the identity graph and profiles. Adapters: SQLite (embedded) and PostgreSQL,
 * both passing `identity-store.contract.ts`.
 */
export interface IdentityStore {
  /**
   * Stored events with `seq > after`, ascending, at most `limit`: resolution follows the
   * event store (deduplicated), not the raw log.
   */
  readEvents(after: number, limit: number): Promise<IdentitySourceEvent[]>
  /** Highest `seq` in the event store (0 when empty). */
  eventsHead(): Promise<number>
  /**
   * Runs `fn` in one transaction and commits it; on rejection nothing of it is kept.
   * Transactions are serialized: across connections and processes (PostgreSQL: an advisory
   * transaction lock taken first) no two run at once, so a load always sees the graph that the
   * write will change. SQLite: identity.db's write lock, taken by the transaction's first
   * statement on the adapter's own connection (the attached store file stays unlocked).
   */
  transact<T>(fn: (tx: IdentityTx) => Promise<T>): Promise<T>
  /** The JSON document stored under `key` in `settings`, or null. */
  getSetting(key: string): Promise<unknown>
  /** Stores `value` (JSON-serializable) under `key`, replacing any previous value. */
  putSetting(key: string, value: unknown, actor: string): Promise<void>
}
