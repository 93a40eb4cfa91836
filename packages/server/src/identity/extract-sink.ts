/**
 * The collector of `extractIdentifiers`: normalizes each raw value for its type, leaves out
 * blocked values and keeps each identifier once per collection.
 */
import type { Collection, Identifier } from './model.js'
import type { IdentityRules } from './rules.js'
import { normalizeValue } from './extract-values.js'

/** Adds identifiers to the right collection, normalizing, blocking and deduplicating. */
export class IdentifierSink {
  readonly users: Identifier[] = []
  readonly accounts: Identifier[] = []

  constructor(private readonly rules: IdentityRules) {}

  /**
   * Adds `type:raw` (normalized for its type) to `collection`; returns false when the value is
   * not an identifier (wrong kind, unparseable, blocked) or was already added.
   */
  add(collection: Collection, type: string, raw: unknown): boolean {
    const value = this.valueOf(type, raw)
    return value !== null && this.push(collection, type, value)
  }

  /** Adds the first of `raws` that makes an identifier; the others are ignored. */
  addFirst(collection: Collection, type: string, raws: readonly unknown[]): void {
    for (const raw of raws) {
      const value = this.valueOf(type, raw)
      if (value !== null) {
        this.push(collection, type, value)
        return
      }
    }
  }

  private valueOf(type: string, raw: unknown): string | null {
    if (raw === undefined || raw === null) return null
    const value = normalizeValue(type, raw, this.rules.phoneRegion)
    return value === null || this.rules.isBlocked(type, value) ? null : value
  }

  private push(collection: Collection, type: string, value: string): boolean {
    const list = collection === 'users' ? this.users : this.accounts
    for (const id of list) if (id.type === type && id.value === value) return false
    list.push({ type, value })
    return true
  }
}
