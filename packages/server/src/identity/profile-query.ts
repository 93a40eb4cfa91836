import type { Page } from '../events/index.js'
import type {
  Collection,
  Identifier,
  IdentifierRecord,
  IdentityEdge,
  IdentityOverride,
  ProfileRecord,
  RebuildRecord,
} from './model.js'

/** An event on a profile's timeline. */
export interface ProfileTimelineEvent {
  seq: number
  sourceId: string
  type: string
  messageId: string
  timestamp: number
  /** The stored event JSON, parsed. */
  event: Record<string, unknown>
}

/** A merge-history row with its id (ascending in the order it was recorded). */
export type StoredIdentityEdge = IdentityEdge & { id: number }

/**
 * Read side of the identity graph for the Profile API, the admin API and the console.
 * Cursors are opaque strings made by the adapter; an invalid one yields `IDENTITY_INVALID_CURSOR`.
 * Reads are consistent with every resolution batch committed before the call.
 */
export interface ProfileQuery {
  /** The profile holding this identifier in `collection`, or null. */
  findByIdentifier(collection: Collection, id: Identifier): Promise<ProfileRecord | null>
  get(profileId: string): Promise<ProfileRecord | null>
  /** The profile's identifiers, oldest first (by `firstSeen`, then type and value). */
  identifiers(
    profileId: string,
    options: { limit: number; cursor?: string; types?: string[] },
  ): Promise<Page<IdentifierRecord>>
  /**
   * The profile's events across all its identifiers, by event timestamp (`desc` by default),
   * filtered by `start` (inclusive) and `end` (exclusive) timestamps and by event name
   * (`include` / `exclude` match `event` of track calls and `name` of page and screen calls).
   */
  events(
    profileId: string,
    options: {
      limit: number
      cursor?: string
      start?: number
      end?: number
      include?: string[]
      exclude?: string[]
      sort?: 'asc' | 'desc'
    },
  ): Promise<Page<ProfileTimelineEvent>>
  /**
   * Profiles linked to this one in the other collection through group calls: for a user, the
   * accounts its group calls resolved to; for an account, the users whose group calls named
   * it. Most recently seen first, at most `limit`.
   */
  links(profileId: string, limit: number): Promise<ProfileRecord[]>
  /**
   * Profiles of `collection` whose identifier value equals `q` (any type, or `type:value`),
   * or, failing that, whose identifier value starts with `q` or any trait value contains `q`
   * (case-insensitive). Most recently seen first.
   */
  search(
    query: { q: string; collection: Collection },
    options: { limit: number; cursor?: string },
  ): Promise<Page<ProfileRecord>>
  /** Merge history of the profile (all its edges), oldest first. */
  history(
    profileId: string,
    options: { limit: number; cursor?: string },
  ): Promise<Page<StoredIdentityEdge>>
  /** Every edge of the profile (for explain and the graph drawing), at most `limit`. */
  edges(profileId: string, limit: number): Promise<StoredIdentityEdge[]>
  /** Rebuilds that touched the profile's component, newest first. */
  rebuilds(componentId: string, limit: number): Promise<RebuildRecord[]>
  /** Overrides naming any of these identifiers; an empty `ids` lists every override of `collection`. */
  overrides(collection: Collection, ids: Identifier[]): Promise<IdentityOverride[]>
  /** Counts for the overview: profiles per collection and identifiers. */
  totals(): Promise<{ users: number; accounts: number; identifiers: number }>
}
