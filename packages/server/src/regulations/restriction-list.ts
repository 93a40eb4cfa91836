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
  private listener: ((ids: readonly SubjectIdentifier[]) => Promise<void>) | null = null
  private current: readonly SubjectIdentifier[] = []

  get isEmpty(): boolean {
    return this.keys.size === 0
  }

  /**
   * Replaces the whole list; resolves once the listener (if any) has applied it, so a caller
   * that awaits it knows routing already uses the new list. A listener failure rejects.
   */
  async replaceAll(ids: readonly SubjectIdentifier[]): Promise<void> {
    this.keys.clear()
    for (const id of ids) this.keys.add(keyOf(id))
    this.current = ids
    if (this.listener) await this.listener(ids)
  }

  /**
   * Sets the one listener told of every replacement (the delivery engine's restricted set) and
   * hands it the current list at once.
   */
  async follow(listener: (ids: readonly SubjectIdentifier[]) => Promise<void>): Promise<void> {
    this.listener = listener
    await listener(this.current)
  }

  /** True when any of the identifiers (of an event or a profile) is restricted. */
  isRestricted(ids: readonly SubjectIdentifier[]): boolean {
    if (this.keys.size === 0) return false
    return ids.some((id) => this.keys.has(keyOf(id)))
  }
}
