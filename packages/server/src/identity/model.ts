/**
 * The identity graph's data model, shared by the resolution engine (pure), the storage port
 * (`identity-store.ts`) and the read side (`profile-query.ts`). Times are epoch milliseconds.
 * See README.md for the algorithm and its invariants.
 */

/** Profiles live in one of two collections, as in Segment Unify. */
export type Collection = 'users' | 'accounts'

/** An identifier ("external id"): `type` such as `user_id`, `email`, `ios.id`; normalized `value`. */
export interface Identifier {
  type: string
  value: string
}

/** `type:value`, the form the Profile API takes in its path (e.g. `email:jdoe@example.com`). */
export type IdentifierKey = string

export const identifierKey = (id: Identifier): IdentifierKey => `${id.type}:${id.value}`

/**
 * Canonical order of events: zero-padded event `timestamp` (15 digits), a space, then the
 * `messageId`. Resolution of a set of events is defined as processing them in ascending key
 * order, whatever order they arrived in.
 */
export type OrderKey = string

export const orderKey = (timestamp: number, messageId: string): OrderKey =>
  `${String(Math.max(0, Math.trunc(timestamp))).padStart(15, '0')} ${messageId}`

/** One stored (deduplicated) event as identity resolution reads it from the event store. */
export interface IdentitySourceEvent {
  /** The event's offset in the log (`events.seq`). */
  seq: number
  messageId: string
  sourceId: string
  type: string
  /** Skew-corrected event time. */
  timestamp: number
  /** The stored event JSON (normalized Segment event). */
  payload: string
}

/** A trait value with where it came from. `value: null` is a tombstone (trait removed). */
export interface TraitValue {
  value: unknown
  sourceId: string
  messageId: string
  /** The event timestamp that set it; last write wins by (timestamp, messageId). */
  timestamp: number
}

/** Row of `identity_identifiers`: every identifier ever seen (blocked values never are). */
export interface IdentifierRecord {
  collection: Collection
  type: string
  value: string
  /** Co-occurrence component (see README.md): every identifier seen together shares one. */
  componentId: string
  /** The profile it belongs to, or null when a rule dropped it and it belongs to none. */
  profileId: string | null
  /** Event timestamp at which it was attached to `profileId` (limit windows count from it). */
  addedAt: number | null
  firstSeen: number
  firstMessageId: string
  firstSourceId: string
}

/** Row of `identity_components`. */
export interface ComponentRecord {
  id: string
  /** Order key of the latest event applied to the component. */
  maxKey: OrderKey
  /** Events applied to the component. */
  events: number
}

/** Row of `profiles` (users and accounts). */
export interface ProfileRecord {
  /** Deterministic: derived from the collection and the first (canonical) event that created it. */
  id: string
  collection: Collection
  componentId: string
  traits: Record<string, TraitValue>
  /** Events by type (`track`, `identify`, …). */
  counts: Record<string, number>
  /** Profiles merged into this one so far. */
  merges: number
  firstSeen: number
  lastSeen: number
  firstMessageId: string
  firstSourceId: string
  lastMessageId: string
  lastSourceId: string
  /** Wall-clock time the row was created and last written. */
  createdAt: number
  updatedAt: number
}

/** Row of `profile_events`: which profile an event resolved to. */
export interface ProfileEventRecord {
  seq: number
  collection: Collection
  componentId: string
  profileId: string
  orderKey: OrderKey
  timestamp: number
  messageId: string
  /** The identifiers extracted from the event, before any rule dropped one. */
  identifiers: Identifier[]
}

/**
 * What resolution did, one row per effect, in `identity_edges` (merge history):
 * - `create`: a new profile for `to` (from null);
 * - `attach`: `to` joined the profile through `from` (an identifier already on it);
 * - `merge`: the profile `mergedProfileId` (holding `to`) merged into this one via `from`;
 * - `drop`: `to` was left out of the event's resolution by `rule`.
 */
export interface IdentityEdge {
  collection: Collection
  componentId: string
  profileId: string
  kind: 'create' | 'attach' | 'merge' | 'drop'
  from: Identifier | null
  to: Identifier
  /**
   * Why: `new-identifier`, `shared-identifier:<type>` (attach or merge through an identifier of
   * that type), `limit:<type>`, `separated`, `merge-cap`, `identifier-cap`.
   */
  rule: string
  mergedProfileId: string | null
  seq: number
  messageId: string
  sourceId: string
  timestamp: number
}

/**
 * An operator's correction, kept and honoured by every later resolution:
 * - `block`: the identifier `a` is never used for matching again (as a blocked value);
 * - `separate`: `a` and `b` must never be on one profile.
 */
export interface IdentityOverride {
  id: number
  collection: Collection
  kind: 'block' | 'separate'
  a: Identifier
  b: Identifier | null
  reason: string
  actor: string
  createdAt: number
}

/** Audit row of one re-resolution (a late event, a split, or changed rules). */
export interface RebuildRecord {
  collection: Collection
  componentIds: string[]
  reason: 'late-event' | 'split' | 'rules'
  events: number
  profilesBefore: string[]
  profilesAfter: string[]
  actor: string | null
  at: number
}

/** The part of the graph a batch needs: loaded by identifier or by component. */
export interface GraphSlice {
  identifiers: IdentifierRecord[]
  profiles: ProfileRecord[]
  components: ComponentRecord[]
  overrides: IdentityOverride[]
}
