import type { SubjectIdentifier } from './model.js'

const keyOf = (id: SubjectIdentifier): string => `${id.type}\u0000${id.value}`

/**
 * Restricted processing (GDPR art. 18), in memory: identifiers of profiles whose data may be
 * kept but not used for profiling or marketing. Stored by identifier, not by profile id, so a
 * merge carries the flag to the merged profile and a rebuild cannot lose it. Consent
 * enforcement (marketing destinations) and audiences read {@link isRestricted}.
 */
export class RestrictionList {
  private readonly keys = new Set<string>()

  get isEmpty(): boolean {
    return this.keys.size === 0
  }

  replaceAll(ids: readonly SubjectIdentifier[]): void {
    this.keys.clear()
    for (const id of ids) this.keys.add(keyOf(id))
  }

  /** True when any of the identifiers (of an event or a profile) is restricted. */
  isRestricted(ids: readonly SubjectIdentifier[]): boolean {
    if (this.keys.size === 0) return false
    return ids.some((id) => this.keys.has(keyOf(id)))
  }
}
