/**
 * Key normalization: `billingAddress`, `billing_address`, `Billing-Address` and `billing.address`
 * all become the tokens `['billing', 'address']`. Acronym runs stay whole (`userIPAddress` →
 * `user ip address`), digits split off (`addressLine1` → `address line 1`).
 */

const cache = new Map<string, readonly string[]>()
const CACHE_LIMIT = 20_000

/** The lower-case word tokens of a key. Pure; memoized (bounded). */
export function keyTokens(key: string): readonly string[] {
  const hit = cache.get(key)
  if (hit !== undefined) return hit
  const tokens = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])([0-9])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t !== '')
  if (cache.size >= CACHE_LIMIT) cache.clear()
  cache.set(key, tokens)
  return tokens
}

/** The normalized form of a key: its tokens joined by one space. */
export function normalizeKey(key: string): string {
  return keyTokens(key).join(' ')
}
