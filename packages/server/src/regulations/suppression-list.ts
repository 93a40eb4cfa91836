import type { SubjectIdentifier } from './model.js'
import type { SuppressedCount } from './regulation-store.js'

/** Identifier types checked at ingest, and where each is read from an event. */
export const INGEST_CHECKED_TYPES = ['user_id', 'anonymous_id', 'email'] as const

/**
 * The suppressed identifiers in memory, as the tracking API checks them: one `Set` per checked
 * type (`userId`, `anonymousId`, email of `traits` or `context.traits`), so a check costs a
 * `Set.has` per identifier, and nothing when the list is empty (`isEmpty`). Changes made by
 * regulations apply at once (same process). Other identifier types are stored with the
 * request but are not checked at ingest.
 *
 * Suppressed events are counted per source and minute; {@link drainCounts} hands the counts
 * to the store (`ingest_stats.suppressed`).
 */
export class SuppressionList {
  private readonly userIds = new Set<string>()
  private readonly anonymousIds = new Set<string>()
  private readonly emails = new Set<string>()
  private total = 0
  private counts = new Map<string, SuppressedCount>()

  /** True when nothing is suppressed: ingest skips the check. */
  get isEmpty(): boolean {
    return this.total === 0
  }

  /** Replaces the whole list (at start, and after a request changed it). */
  replaceAll(ids: readonly SubjectIdentifier[]): void {
    this.userIds.clear()
    this.anonymousIds.clear()
    this.emails.clear()
    this.add(ids)
  }

  /** Adds identifiers (types other than the checked ones are ignored). */
  add(ids: readonly SubjectIdentifier[]): void {
    for (const id of ids) this.setOf(id.type)?.add(id.value)
    this.recount()
  }

  remove(ids: readonly SubjectIdentifier[]): void {
    for (const id of ids) this.setOf(id.type)?.delete(id.value)
    this.recount()
  }

  /** True when any of the event's identifiers is suppressed. `email` is normalized here. */
  isSuppressed(userId: string | null, anonymousId: string | null, email: unknown): boolean {
    if (userId !== null && this.userIds.has(userId)) return true
    if (anonymousId !== null && this.anonymousIds.has(anonymousId)) return true
    return (
      typeof email === 'string' &&
      this.emails.size > 0 &&
      this.emails.has(email.trim().toLowerCase())
    )
  }

  /** Counts one suppressed event. */
  suppressed(sourceId: string, receivedAt: number): void {
    const minute = receivedAt - (receivedAt % 60_000)
    const key = `${sourceId}\u0000${minute}`
    const entry = this.counts.get(key)
    if (entry) entry.count += 1
    else this.counts.set(key, { sourceId, minute, count: 1 })
  }

  /** The counts since the last drain (the caller stores them; on failure, {@link restore}). */
  drainCounts(): SuppressedCount[] {
    const counts = [...this.counts.values()]
    this.counts = new Map()
    return counts
  }

  /** Puts back counts a failed store write did not keep. */
  restore(counts: readonly SuppressedCount[]): void {
    for (const c of counts) {
      const key = `${c.sourceId}\u0000${c.minute}`
      const entry = this.counts.get(key)
      if (entry) entry.count += c.count
      else this.counts.set(key, { ...c })
    }
  }

  private setOf(type: string): Set<string> | undefined {
    if (type === 'user_id') return this.userIds
    if (type === 'anonymous_id') return this.anonymousIds
    if (type === 'email') return this.emails
    return undefined
  }

  private recount(): void {
    this.total = this.userIds.size + this.anonymousIds.size + this.emails.size
  }
}
