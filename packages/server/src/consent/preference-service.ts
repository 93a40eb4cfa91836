/**
 * The preference centre's application side: read and change a profile's preferences (fold of
 * its identifiers' changes), and build the opt-out index routing uses.
 */
import type { Identifier, ProfileQuery } from '../identity/index.js'
import type { ConsentHistory } from './profile-consent.js'
import { ConsentErrors } from './errors.js'
import { ALL_CHANNELS, type OptOutEntry } from './preference-index.js'
import {
  eventIdentifier,
  foldPreferences,
  preferenceEventValues,
  preferenceValues,
  type PreferenceActor,
  type Preferences,
  type PreferencesBody,
  type PreferenceStore,
  type StoredPreferenceChange,
} from './preferences.js'

/** Changes folded per profile (and shown in its history), newest kept. */
const MAX_CHANGES = 1000
/** Identifiers read per profile. */
const MAX_IDENTIFIERS = 1000
/** Identifiers with preferences the opt-out index covers. */
const MAX_INDEXED = 1_000_000
/** Write-key priority: a change is recorded under the profile's first identifier of these. */
const KEY_TYPES = ['user_id', 'email', 'anonymous_id']
/** Identifier types routing matches people by (see subjects.ts). */
const ROUTED_TYPES = new Set(['user_id', 'anonymous_id', 'email'])

export interface ProfilePreferences {
  profileId: string
  preferences: Preferences
  updatedAt: number | null
  history: StoredPreferenceChange[]
}

export interface PreferenceService {
  /** Throws CONSENT_PROFILE_NOT_FOUND for an unknown profile. */
  get(profileId: string): Promise<ProfilePreferences>
  /**
   * Applies a PUT (`replace`) or PATCH body as one change recorded under the profile's key
   * identifier (user_id, else email, else anonymous_id, else its first), with `actor`. A body
   * that changes nothing records nothing. Awaits `onChange` after a change was recorded.
   */
  update(
    profileId: string,
    body: PreferencesBody,
    options: { replace: boolean; actor: PreferenceActor },
  ): Promise<ProfilePreferences>
  /** Who opted out of what, by the routed identifiers of each profile that has preferences. */
  optOuts(): Promise<OptOutEntry[]>
}

export function createPreferenceService(deps: {
  store: PreferenceStore
  profiles: ProfileQuery
  /** Reads the profile's `Preferences Updated` events. */
  events: ConsentHistory
  now: () => number
  /** Awaited after a change was recorded (the app rebuilds the routing index). */
  onChange?: () => Promise<void>
}): PreferenceService {
  const { store, profiles } = deps

  async function identifiersOf(profileId: string): Promise<Identifier[]> {
    const page = await profiles.identifiers(profileId, { limit: MAX_IDENTIFIERS })
    return page.data.map((i) => ({ type: i.type, value: i.value }))
  }

  async function read(profileId: string): Promise<ProfilePreferences & { ids: Identifier[] }> {
    const profile = await profiles.get(profileId)
    if (profile === null) throw ConsentErrors.profileNotFound(undefined, { details: { profileId } })
    const ids = await identifiersOf(profile.id)
    const history = await changesOf(profile.id, ids)
    return {
      profileId: profile.id,
      preferences: foldPreferences(history),
      updatedAt: history.at(-1)?.at ?? null,
      history,
      ids,
    }
  }

  /** API changes of the identifiers and the profile's events, merged in time order. */
  async function changesOf(profileId: string, ids: Identifier[]) {
    const stored = await store.changes(ids, MAX_CHANGES)
    const events = await deps.events.preferenceEvents(profileId, MAX_CHANGES)
    const fromEvents: StoredPreferenceChange[] = events.map((e) => ({
      id: null,
      identifier: eventIdentifier(e.payload),
      at: e.timestamp,
      actor: { kind: 'event', sourceId: e.sourceId, messageId: e.messageId, seq: e.seq },
      values: preferenceEventValues(e.payload),
    }))
    return [...stored, ...fromEvents].sort((a, b) => a.at - b.at).slice(-MAX_CHANGES)
  }

  return {
    async get(profileId) {
      const { ids: _ids, ...rest } = await read(profileId)
      return rest
    },

    async update(profileId, body, options) {
      const current = await read(profileId)
      const values = preferenceValues(body, current.preferences, options.replace)
      if (Object.keys(values).length === 0) {
        const { ids: _ids, ...rest } = current
        return rest
      }
      const key =
        KEY_TYPES.map((type) => current.ids.find((i) => i.type === type)).find(Boolean) ??
        current.ids[0]
      if (key === undefined) {
        throw ConsentErrors.profileNotFound('The profile has no identifier.', {
          details: { profileId },
        })
      }
      await store.append({ identifier: key, at: deps.now(), actor: options.actor, values })
      await deps.onChange?.()
      const { ids: _ids, ...rest } = await read(profileId)
      return rest
    },

    async optOuts() {
      const seen = new Set<string>()
      const entries: OptOutEntry[] = []
      for (const person of await peopleWithPreferences(store, deps.events)) {
        const profileId =
          person.profileId ?? (await profiles.findByIdentifier('users', person.id!))?.id ?? null
        const ids = profileId === null ? [person.id!] : await identifiersOf(profileId)
        const key = profileId ?? `${person.id!.type}:${person.id!.value}`
        if (seen.has(key)) continue
        seen.add(key)
        const changes =
          profileId === null
            ? await store.changes(ids, MAX_CHANGES)
            : await changesOf(profileId, ids)
        entries.push(...optOutEntries(foldPreferences(changes), ids))
      }
      return entries
    },
  }
}

/** The opt-out entries of one person: their routed identifiers, with what they opted out of. */
function optOutEntries(folded: Preferences, ids: readonly Identifier[]): OptOutEntry[] {
  // `frequency: never` opts out of every channel.
  const channels =
    folded.frequency === 'never'
      ? [ALL_CHANNELS]
      : Object.keys(folded.channels).filter((c) => !folded.channels[c])
  const contentTypes = Object.keys(folded.contentTypes).filter((c) => !folded.contentTypes[c])
  if (channels.length === 0 && contentTypes.length === 0) return []
  return ids
    .filter((i) => ROUTED_TYPES.has(i.type))
    .map((i) => ({ type: i.type, value: i.value, channels, contentTypes }))
}

/** Identifiers with API changes, and profiles with preference events. */
async function peopleWithPreferences(
  store: PreferenceStore,
  events: ConsentHistory,
): Promise<Array<{ profileId: string | null; id: Identifier | null }>> {
  return [
    ...(await store.identifiers(MAX_INDEXED)).map((id) => ({ profileId: null, id })),
    ...(await events.preferenceProfiles(MAX_INDEXED)).map((profileId) => ({
      profileId,
      id: null,
    })),
  ]
}
