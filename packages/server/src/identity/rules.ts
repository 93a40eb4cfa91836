import type { Collection, Identifier } from './model.js'

/** The limit window of an identifier type; `ever` has no window. */
export type LimitWindow = 'ever' | 'daily' | 'weekly' | 'monthly' | 'annually'

/** One identifier type's rule, as compiled from config. */
export interface IdentifierRule {
  type: string
  /** At most this many identifiers of the type on one profile (within `windowMs`). */
  limit: number
  window: LimitWindow
  /** Window length in ms (daily 1 d, weekly 7 d, monthly 30 d, annually 365 d); null for `ever`. */
  windowMs: number | null
  /** 1 is the highest priority. */
  priority: number
}

/** A custom identifier type read from paths of the event (e.g. `traits.shopifyId`). */
export interface CustomIdentifier {
  type: string
  collection: Collection
  /** Dot paths into the event, tried in order; the first string or number found is used. */
  paths: string[]
}

/**
 * Identity rules, compiled once from the `identity:` config section (or the API) by
 * `compileIdentityRules` (`config.ts`). Pure and immutable; the engine and the extractor read
 * them only through this interface.
 */
export interface IdentityRules {
  /** The rule of `type`; unknown types get the default limit (5, ever) and alphabetical priority. */
  ruleFor(type: string): IdentifierRule
  /**
   * Compares two identifiers by priority: negative when `a` ranks higher (lower priority
   * number), then by type, then by value. Total and deterministic.
   */
  compare(a: Identifier, b: Identifier): number
  /** True when `value` is a blocked value for `type` (exact, regex, defaults). */
  isBlocked(type: string, value: string): boolean
  /** Merges allowed per profile (default 100). */
  readonly mergeCap: number
  /** Identifiers allowed per profile (default 1,000). */
  readonly identifierCap: number
  readonly custom: readonly CustomIdentifier[]
  /** ISO 3166 region for phone numbers written without a country code (default `US`). */
  readonly phoneRegion: string
}
