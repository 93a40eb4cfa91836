/**
 * Shapes of the identity part of the admin API: profiles, their events, merge history, the
 * identity graph, explain and split (see packages/server/src/api/profile-serialize.ts).
 * Times are ISO strings.
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

export interface GraphNode {
  /** `type:value`. */
  id: string
  type: string
  value: string
  firstSeen: string
}

export interface GraphEdge {
  id: number
  /** `type:value`, or null on `create`. */
  from: string | null
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

/** Why two identifiers are (or are not) on one profile: the shortest path of edges. */
export interface Explanation {
  connected: boolean
  profileId: string | null
  path: GraphEdge[]
}

export type SplitRequest =
  | { kind: 'block'; identifier: string; reason: string }
  | { kind: 'separate'; a: string; b: string; reason: string }

export interface SplitResult {
  override: Record<string, unknown>
  rebuild: {
    profilesBefore: string[]
    profilesAfter: string[]
    events: number
    [key: string]: unknown
  }
}
