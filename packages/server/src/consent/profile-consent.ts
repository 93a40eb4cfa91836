/**
 * A profile's consent: the history of the consent its events carried, with provenance, and
 * the current consent as the fold of that history in event-time order.
 *
 * Nothing is written for it: the event store keeps every event's consent (keyed by `seq`),
 * and identity resolution's `profile_events` says which events are the profile's today. So a
 * merge, a late event's rebuild or a split re-attributes consent with the events, and no
 * consent can be lost or left on a profile that no longer holds the event.
 */
import type { EventConsent } from './read-consent.js'

/** One event of the profile that carried consent. */
export interface ConsentHistoryEntry {
  seq: number
  messageId: string
  sourceId: string
  /** The event's type and name (`track` / `Segment Consent Preference Updated`, …). */
  type: string
  event: string | null
  /** Event time (skew-corrected), epoch ms: the order of the fold. */
  timestamp: number
  consent: EventConsent
}

/** Read port: the consent-carrying events of a profile. */
export interface ConsentHistory {
  /**
   * The events of `profileId` (as identity resolution attributes them now) whose payload
   * carries `context.consent.categoryPreferences`, in event-time order (timestamp, then
   * messageId: identity's order key), oldest first; at most `limit`, the newest kept when
   * there are more. Consistent with every committed resolution batch; an unknown profile
   * yields [].
   */
  entries(profileId: string, limit: number): Promise<ConsentHistoryEntry[]>
  /**
   * The profile's `Preferences Updated` track events (see preferences.ts), oldest first in
   * event-time order, at most `limit` (the newest kept).
   */
  preferenceEvents(profileId: string, limit: number): Promise<PreferenceEvent[]>
  /** Profiles (users) that have `Preferences Updated` events, at most `limit`. */
  preferenceProfiles(limit: number): Promise<string[]>
}

/** A `Preferences Updated` track event of a profile. */
export interface PreferenceEvent {
  seq: number
  messageId: string
  sourceId: string
  timestamp: number
  /** The event's parsed payload. */
  payload: unknown
}

/** A category's current value, with the event that set it. */
export interface CategoryState {
  granted: boolean
  /** False for a workspace category no event of the profile ever sent (counts as false). */
  collected: boolean
  setBy: { seq: number; messageId: string; sourceId: string; timestamp: number } | null
}

export interface ProfileConsent {
  categories: Record<string, CategoryState>
  /** Time of the latest event that carried consent; null when none did. */
  updatedAt: number | null
}

/**
 * Folds `entries` (oldest first) per category, last write wins; workspace categories the
 * profile never sent are added as not collected, not granted (Segment: missing categories
 * count as false). Pure; sorting is the caller's (the port's) job.
 */
export function foldConsent(
  entries: readonly ConsentHistoryEntry[],
  knownCategories: readonly string[] = [],
): ProfileConsent {
  const categories: Record<string, CategoryState> = {}
  let updatedAt: number | null = null
  for (const entry of entries) {
    const setBy = {
      seq: entry.seq,
      messageId: entry.messageId,
      sourceId: entry.sourceId,
      timestamp: entry.timestamp,
    }
    for (const [id, granted] of Object.entries(entry.consent.categories)) {
      categories[id] = { granted, collected: true, setBy }
    }
    updatedAt = entry.timestamp
  }
  for (const id of knownCategories) {
    if (!Object.hasOwn(categories, id)) {
      categories[id] = { granted: false, collected: false, setBy: null }
    }
  }
  return { categories, updatedAt }
}
