/**
 * Shapes of the identity part of the admin API: profiles, their events, merge history, the
 * identity graph, explain and split (packages/server/src/api/identity-routes.ts and
 * profile-serialize.ts). Times are ISO strings.
 */

export type Collection = 'users' | 'accounts'

/** An identifier such as `{type: 'email', value: 'jane@example.com'}`, written `type:value`. */
export interface Identifier {
  type: string
  value: string
}

export interface ProfileSummary {
  id: string
  collection: Collection
  name: string | null
  email: string | null
  /** The first few identifiers of the profile. */
  identifiers: Identifier[]
  firstSeen: string
  lastSeen: string
  /** Events by type (`track`, `identify`, …). */
  counts: Record<string, number>
}

/** A trait's current value and the event that set it. */
export interface TraitEntry {
  value: unknown
  sourceId: string
  messageId: string
  timestamp: string
}

export interface ProfileIdentifier extends Identifier {
  firstSeen: string
  firstMessageId: string
  firstSourceId: string
  /** When it joined this profile. */
  addedAt: string | null
}

export interface ProfileDetail {
  id: string
  collection: Collection
  /** Identifiers ever seen together share a component. */
  componentId: string
  traits: Record<string, TraitEntry>
  identifiers: ProfileIdentifier[]
  counts: Record<string, number>
  firstSeen: string
  lastSeen: string
  /** Profiles merged into this one so far. */
  merges: number
  /** Linked profiles of the other collection (a user's accounts, an account's users). */
  links: ProfileSummary[]
}

export interface ProfileEvent {
  seq: number
  sourceId: string
  type: string
  messageId: string
  timestamp: string
  /** The stored event JSON. */
  event: Record<string, unknown>
}

export type EdgeKind = 'create' | 'attach' | 'merge' | 'drop'

/** What resolution did, with the event that made it (`from` is null on `create`). */
export interface HistoryEdge {
  id: number
  kind: EdgeKind
  /** The profile the edge was recorded on. */
  profileId: string
  from: Identifier | null
  to: Identifier
  /** Why: `new-identifier`, `shared-identifier:<type>`, `limit:<type>`, `separated`, … */
  rule: string
  mergedProfileId: string | null
  seq: number
  messageId: string
  sourceId: string
  timestamp: string
}

/** An edge with no `from` (`create`, or `drop` of an identifier on its own), on its node. */
export interface GraphAnnotation {
  kind: EdgeKind
  rule: string
  messageId: string
  timestamp: string
}

export interface GraphNode {
  /** `type:value`. */
  id: string
  type: string
  value: string
  /** Null for identifiers not on the profile. */
  firstSeen: string | null
  /** False for identifiers an edge names that are not on the profile (dropped ones). */
  onProfile: boolean
  annotations: GraphAnnotation[]
}

/** An attach, merge or drop between two identifiers (`type:value`). */
export interface GraphEdge {
  id: number
  from: string
  to: string
  kind: EdgeKind
  rule: string
  messageId: string
  sourceId: string
  timestamp: string
}

export interface IdentityGraph {
  nodes: GraphNode[]
  edges: GraphEdge[]
}

/** An edge of an explanation's path (it has no id). */
export type PathEdge = Omit<HistoryEdge, 'id'>

/** Why two identifiers are (or are not) on one profile: the shortest path of edges. */
export interface Explanation {
  connected: boolean
  profileId: string | null
  path: PathEdge[]
}

export type SplitRequest =
  | { kind: 'block'; identifier: string; reason: string }
  | { kind: 'separate'; a: string; b: string; reason: string }

/** An operator's correction, honoured by every later resolution. */
export interface IdentityOverride {
  id: number
  collection: Collection
  kind: 'block' | 'separate'
  /** `type:value`. */
  a: string
  b: string | null
  reason: string
  actor: string
  createdAt: string
}

/** One re-resolution of components: the profiles it found and the ones it made. */
export interface Rebuild {
  collection: Collection
  componentIds: string[]
  reason: 'late-event' | 'split' | 'rules'
  /** Events resolved again. */
  events: number
  profilesBefore: string[]
  profilesAfter: string[]
  actor: string | null
  at: string
}

export interface SplitResult {
  override: IdentityOverride
  rebuild: Rebuild
}
