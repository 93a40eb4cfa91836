import type { ProfileQuery } from '../identity/index.js'
import type { Clock } from '../platform/clock.js'
import type { RegulationAuditSink } from './erasure-target.js'
import { RegulationErrors } from './errors.js'
import type { SubjectIdentifier } from './model.js'
import type { RegulationStore, RestrictedIdentifier } from './regulation-store.js'
import type { RestrictionList } from './restriction-list.js'

/** Identifiers read per profile (identity's default cap). */
const MAX_PROFILE_IDENTIFIERS = 1000

/** Whether a profile is restricted, and by which of its identifiers. */
export interface RestrictionState {
  profileId: string
  restricted: boolean
  identifiers: RestrictedIdentifier[]
}

export interface RestrictionService {
  /** Restricts the profile (all its identifiers at the time). Idempotent. */
  restrict(profileId: string, actor: string): Promise<RestrictionState>
  /** Lifts the restriction of the profile (its identifiers, and what was set on it). */
  unrestrict(profileId: string, actor: string): Promise<RestrictionState>
  get(profileId: string): Promise<RestrictionState>
}

/**
 * Per-profile restriction of processing, stored by identifier (see {@link RestrictionList}).
 * Unknown profile: `REGULATIONS_NOT_FOUND`. Every change is recorded to the audit sink.
 */
export function createRestrictionService(deps: {
  store: RegulationStore
  profiles: Pick<ProfileQuery, 'get' | 'identifiers'>
  list: RestrictionList
  audit: RegulationAuditSink
  clock: Clock
}): RestrictionService {
  async function identifiersOf(profileId: string): Promise<SubjectIdentifier[]> {
    const profile = await deps.profiles.get(profileId)
    if (profile === null) {
      throw RegulationErrors.notFound('No profile has this id.', { details: { id: profileId } })
    }
    const page = await deps.profiles.identifiers(profileId, { limit: MAX_PROFILE_IDENTIFIERS })
    return page.data.map((r) => ({ type: r.type, value: r.value }))
  }

  async function state(profileId: string, ids: SubjectIdentifier[]): Promise<RestrictionState> {
    const keys = new Set(ids.map((id) => `${id.type}\u0000${id.value}`))
    const identifiers = (await deps.store.restricted()).filter((r) =>
      keys.has(`${r.type}\u0000${r.value}`),
    )
    return { profileId, restricted: identifiers.length > 0, identifiers }
  }

  async function reload(): Promise<void> {
    await deps.list.replaceAll(await deps.store.restricted())
  }

  return {
    async restrict(profileId, actor) {
      const ids = await identifiersOf(profileId)
      const at = deps.clock.now()
      await deps.store.restrict(ids, { profileId, actor, at })
      await reload()
      deps.audit.record({ action: 'profile.restricted', actor, target: profileId, at, details: {} })
      return state(profileId, ids)
    },
    async unrestrict(profileId, actor) {
      const ids = await identifiersOf(profileId)
      await deps.store.unrestrict(ids, profileId)
      await reload()
      const at = deps.clock.now()
      deps.audit.record({
        action: 'profile.unrestricted',
        actor,
        target: profileId,
        at,
        details: {},
      })
      return state(profileId, ids)
    },
    async get(profileId) {
      return state(profileId, await identifiersOf(profileId))
    },
  }
}
