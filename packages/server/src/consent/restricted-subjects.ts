/**
 * Restriction of processing (GDPR art. 18): people whose processing is restricted are kept
 * out of destinations marked `marketing: true`. Routing asks this port per event of such a
 * destination, so an implementation answers from memory (no I/O per call).
 */

export interface RestrictedSubjects {
  /**
   * True when the person this identifier belongs to is restricted. `identifierType` is an
   * identity type (`user_id`, `anonymous_id`, `email`, …); emails come lower-cased. Must be
   * synchronous and cheap; a stale answer is allowed (the implementation documents how fresh).
   */
  has(identifierType: string, value: string): boolean
}

/** Nobody is restricted: the default wiring until a store of restrictions is connected. */
export const noRestrictedSubjects: RestrictedSubjects = { has: () => false }

/** A set of restricted identifiers held in memory; `replace` swaps it whole. */
export class InMemoryRestrictedSubjects implements RestrictedSubjects {
  #keys = new Set<string>()

  constructor(identifiers: ReadonlyArray<{ type: string; value: string }> = []) {
    this.replace(identifiers)
  }

  has(identifierType: string, value: string): boolean {
    return this.#keys.size > 0 && this.#keys.has(`${identifierType}\u0000${value}`)
  }

  replace(identifiers: ReadonlyArray<{ type: string; value: string }>): void {
    this.#keys = new Set(identifiers.map((i) => `${i.type}\u0000${i.value}`))
  }
}
