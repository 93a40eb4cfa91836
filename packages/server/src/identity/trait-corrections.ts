/**
 * Trait corrections: an operator's edit or removal of a profile's trait (the right to
 * rectification). A correction is stored by one identifier of the profile, not by profile id,
 * so it follows the person through merges, late-event rebuilds and splits (the profile id may
 * change; the identifier stays). It is applied where profiles are read (`ProfileQuery`), over
 * the traits resolution computed from events:
 *
 * - a correction overrides the computed trait **until an event newer than the correction sets
 *   the trait again**: an event whose timestamp is later than the correction's `createdAt`
 *   wins; an event at or before it (a late event, a replay, a rebuild) never undoes it;
 * - several corrections of one trait on one profile (a merge brings two people's together):
 *   the latest (`createdAt`, then `id`) counts;
 * - a correction with `removed` shows as a tombstone (`value: null`), so the trait is absent.
 *
 * A corrected trait's provenance names the correction: `sourceId` {@link CORRECTION_SOURCE},
 * `messageId` `correction:<id>`, `timestamp` the correction's time.
 */
import type { Collection, Identifier, TraitValue } from './model.js'

/** `sourceId` of a trait value that a correction set. */
export const CORRECTION_SOURCE = 'correction'

/** One stored correction of one trait (row of `trait_corrections`). */
export interface TraitCorrection {
  /** Ascending in the order corrections were stored. */
  id: number
  /** The profile corrected (when the correction was made; it may have changed since). */
  profileId: string
  collection: Collection
  /** The identifier of the profile the correction is keyed by. */
  identifier: Identifier
  trait: string
  /** The new value (`removed` false), or null when the trait was removed. */
  value: unknown
  removed: boolean
  /** The value it replaced, or null when the trait was absent. */
  previous: unknown
  reason: string | null
  actor: string
  /** Wall-clock time of the correction, epoch ms: events later than this win over it. */
  createdAt: number
}

/** Latest first: `createdAt`, then `id`. */
const newer = (a: TraitCorrection, b: TraitCorrection): boolean =>
  a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id)

/**
 * The traits with `corrections` applied (see the module comment). Pure; `traits` is not
 * changed. Corrections of other profiles must be filtered out by the caller.
 */
export function applyTraitCorrections(
  traits: Readonly<Record<string, TraitValue>>,
  corrections: readonly TraitCorrection[],
): Record<string, TraitValue> {
  if (corrections.length === 0) return { ...traits }
  const latest = new Map<string, TraitCorrection>()
  for (const c of corrections) {
    const seen = latest.get(c.trait)
    if (seen === undefined || newer(c, seen)) latest.set(c.trait, c)
  }
  const out: Record<string, TraitValue> = { ...traits }
  for (const [name, c] of latest) {
    const computed = traits[name]
    if (computed !== undefined && computed.timestamp > c.createdAt) continue
    out[name] = {
      value: c.removed ? null : c.value,
      sourceId: CORRECTION_SOURCE,
      messageId: `correction:${c.id}`,
      timestamp: c.createdAt,
    }
  }
  return out
}
