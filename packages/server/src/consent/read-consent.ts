/**
 * Reads `context.consent.categoryPreferences` from an event with Segment's semantics
 * (segment-compat.md §7, "Consent Management"):
 * - no `context.consent`, or an empty one (no `categoryPreferences`) → `null`: no enforcement;
 * - `categoryPreferences: {}` → a consent in which every category is false;
 * - a category id is case-sensitive, does not start with a digit and is under 35 characters;
 *   other keys, and values that are not booleans, are ignored and counted in `ignored`.
 * Pure: never throws, whatever the payload holds.
 */

/** Category ids: case-sensitive, not starting with a digit, under 35 characters. */
const CATEGORY_ID = /^[^0-9][\s\S]{0,33}$/

export function isValidCategoryId(id: string): boolean {
  return CATEGORY_ID.test(id)
}

/** The consent an event carries: its valid categories and how many keys were ignored. */
export interface EventConsent {
  /** Category id → granted. A category that is absent counts as false. */
  categories: Record<string, boolean>
  /** Keys of `categoryPreferences` that were not valid category ids or not booleans. */
  ignored: number
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The consent of `event` (a parsed payload), or null when it carries none. */
export function readConsent(event: unknown): EventConsent | null {
  if (!isObject(event) || !isObject(event.context)) return null
  const consent = event.context.consent
  if (!isObject(consent)) return null
  const preferences = consent.categoryPreferences
  if (!isObject(preferences)) return null
  const categories: Record<string, boolean> = {}
  let ignored = 0
  for (const key of Object.keys(preferences)) {
    const value = preferences[key]
    if (typeof value === 'boolean' && isValidCategoryId(key)) categories[key] = value
    else ignored++
  }
  return { categories, ignored }
}

/** True when `consent` grants every one of `required` (Segment: all mapped categories). */
export function grantsAll(consent: EventConsent, required: readonly string[]): boolean {
  for (const category of required) {
    if (!Object.hasOwn(consent.categories, category) || consent.categories[category] !== true) {
      return false
    }
  }
  return true
}
