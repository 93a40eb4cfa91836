import type { Page } from '../events/index.js'
import type { TraitCorrection } from '../identity/index.js'
import type { ErasureSubject } from './model.js'

/** A correction to store: everything but the id the store gives it. */
export type NewTraitCorrection = Omit<TraitCorrection, 'id'>

/**
 * Storage of trait corrections (`trait_corrections`, in the main store). Corrections are
 * append-only: a later correction of the same trait supersedes an earlier one when profiles
 * are read (identity's `applyTraitCorrections`); only an erasure deletes them.
 */
export interface TraitCorrectionStore {
  /**
   * Stores the corrections in one transaction (all or none), ids ascending in the given order,
   * and returns them with their ids. Not idempotent: each call adds rows.
   */
  append(corrections: readonly NewTraitCorrection[]): Promise<TraitCorrection[]>
  /**
   * Corrections that apply to the profile now: those keyed by any identifier the profile holds
   * (so a merged profile lists both people's), newest first (by id); `cursor` from the
   * previous page (`IDENTITY_INVALID_CURSOR` when malformed). Unknown profile: an empty page.
   */
  list(
    profileId: string,
    options: { limit: number; cursor?: string },
  ): Promise<Page<TraitCorrection>>
  /**
   * Corrections made on one of the subject's profiles or keyed by one of its identifiers,
   * oldest first (the access export).
   */
  ofSubject(subject: ErasureSubject): Promise<TraitCorrection[]>
}
