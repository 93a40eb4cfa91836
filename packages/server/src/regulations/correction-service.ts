import type { Page } from '../events/index.js'
import type {
  IdentifierRecord,
  ProfileQuery,
  ProfileRecord,
  TraitCorrection,
} from '../identity/index.js'
import type { Clock } from '../platform/clock.js'
import { parseCorrectTraits } from './correction-input.js'
import type { RegulationAuditSink } from './erasure-target.js'
import { RegulationErrors } from './errors.js'
import type { NewTraitCorrection, TraitCorrectionStore } from './trait-correction-store.js'

/** Identifiers read per profile (identity's default cap). */
const MAX_PROFILE_IDENTIFIERS = 1000
/** Identifier types a correction is keyed by, most preferred first; else the oldest one. */
const KEY_TYPES = ['user_id', 'email']

/** What a correction did: the profile as read afterwards and the rows stored. */
export interface CorrectionResult {
  profile: ProfileRecord
  identifiers: IdentifierRecord[]
  corrections: TraitCorrection[]
}

export interface CorrectionService {
  /**
   * Checks `body` (`{set?, unset?, reason?}`, see `parseCorrectTraits`), stores one correction
   * per trait keyed by the profile's key identifier (its `user_id`, else its `email`, else its
   * oldest identifier), all in one transaction, records `profile.traits-corrected` to the audit
   * sink (trait names and reason, never values) and answers the corrected profile. Invalid body:
   * `REGULATIONS_INVALID_CORRECTION`, nothing stored; unknown profile:
   * `REGULATIONS_PROFILE_NOT_FOUND`. Not idempotent: a repeat adds rows with the same effect.
   */
  correct(profileId: string, body: unknown, actor: string): Promise<CorrectionResult>
  /** The corrections applying to the profile now, newest first. Unknown profile: 404. */
  list(
    profileId: string,
    options: { limit: number; cursor?: string },
  ): Promise<Page<TraitCorrection>>
}

function keyIdentifier(identifiers: readonly IdentifierRecord[]): IdentifierRecord | undefined {
  for (const type of KEY_TYPES) {
    const found = identifiers.find((i) => i.type === type)
    if (found) return found
  }
  return identifiers[0]
}

/** Trait corrections (rectification) over identity's profiles; see the regulations README. */
export function createCorrectionService(deps: {
  store: TraitCorrectionStore
  profiles: Pick<ProfileQuery, 'get' | 'identifiers'>
  audit: RegulationAuditSink
  clock: Clock
}): CorrectionService {
  async function requireProfile(profileId: string): Promise<ProfileRecord> {
    const profile = await deps.profiles.get(profileId)
    if (profile === null) {
      throw RegulationErrors.profileNotFound(undefined, { details: { id: profileId } })
    }
    return profile
  }

  return {
    async correct(profileId, body, actor) {
      const input = parseCorrectTraits(body)
      const profile = await requireProfile(profileId)
      const identifiers = (
        await deps.profiles.identifiers(profileId, { limit: MAX_PROFILE_IDENTIFIERS })
      ).data
      const key = keyIdentifier(identifiers)
      if (key === undefined) {
        throw RegulationErrors.profileNotFound('The profile has no identifier left.', {
          details: { id: profileId },
        })
      }
      const at = deps.clock.now()
      const previousOf = (trait: string): unknown => profile.traits[trait]?.value ?? null
      const base = {
        profileId,
        collection: profile.collection,
        identifier: { type: key.type, value: key.value },
        reason: input.reason,
        actor,
        createdAt: at,
      }
      const rows: NewTraitCorrection[] = [
        ...input.set.map(([trait, value]) => ({
          ...base,
          trait,
          value,
          removed: false,
          previous: previousOf(trait),
        })),
        ...input.unset.map((trait) => ({
          ...base,
          trait,
          value: null,
          removed: true,
          previous: previousOf(trait),
        })),
      ]
      const corrections = await deps.store.append(rows)
      deps.audit.record({
        action: 'profile.traits-corrected',
        actor,
        target: profileId,
        at,
        details: {
          set: input.set.map(([name]) => name),
          unset: input.unset,
          reason: input.reason,
          corrections: corrections.map((c) => c.id),
        },
      })
      return { profile: await requireProfile(profileId), identifiers, corrections }
    },
    async list(profileId, options) {
      await requireProfile(profileId)
      return deps.store.list(profileId, options)
    },
  }
}
