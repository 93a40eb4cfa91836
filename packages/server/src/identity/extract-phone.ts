/**
 * Phone numbers as identifiers: E.164 (`+14155552671`) through libphonenumber-js with full
 * metadata, so invalid numbers (wrong length or pattern for the region) are rejected.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max'

const CACHE_LIMIT = 10_000
const cache = new Map<string, string | null>()

/**
 * `raw` in E.164, reading numbers without a country code (`(415) 555-2671`) as numbers of
 * `region`; null when it does not parse or is not a valid number. Deterministic; the answers
 * are memoized (bounded: the memo is cleared when it reaches 10,000 entries), since the same
 * numbers recur on every event of a person.
 */
export function normalizePhone(raw: string, region: string): string | null {
  const key = `${region} ${raw}`
  const cached = cache.get(key)
  if (cached !== undefined) return cached
  const parsed = parsePhoneNumberFromString(raw, { defaultCountry: region as CountryCode })
  const value = parsed !== undefined && parsed.isValid() ? parsed.number : null
  if (cache.size >= CACHE_LIMIT) cache.clear()
  cache.set(key, value)
  return value
}
