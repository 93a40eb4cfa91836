/**
 * The event's `integrations` object (segment-compat.md §1.6): destination name → `true`,
 * `false` or an options object (which counts as enabled); `All` is the fallback, true by
 * default. Example: `{ All: false, Mixpanel: true }` sends to Mixpanel only.
 */

/**
 * Whether an event's `integrations` object lets it reach a destination known by `names` (its
 * name, its id and, for catalog destinations, the catalog's display name such as
 * `Mixpanel (Actions)` and the name without ` (Actions)`).
 *
 * - Not an object (missing, null, a list…): allowed.
 * - `false` under any of `names`: not allowed, whatever else says `true`.
 * - `true` or an object under any of `names`: allowed, even with `All: false`.
 * - Otherwise `All: false` disallows; anything else allows. Other values (strings, numbers,
 *   null) are ignored.
 *
 * Names compare exactly (Segment's keys are case-sensitive). A key that differs from a name
 * (or from `All`) only in case is also honoured, but only when it is `false`: such a key can
 * turn a destination off, never on, so a mistyped key never leaks an event that was meant to
 * be held back, and it never sends one Segment would not.
 */
export function integrationsAllow(integrations: unknown, names: readonly string[]): boolean {
  if (!isObject(integrations)) return true
  let enabled = false
  for (const name of names) {
    if (!Object.hasOwn(integrations, name)) continue
    const value = integrations[name]
    if (value === false) return false
    if (value === true || isObject(value)) enabled = true
  }
  if (hasFalseIgnoringCase(integrations, names)) return false
  if (enabled) return true
  return !(integrations.All === false || hasFalseIgnoringCase(integrations, ['All']))
}

/** True when some key equal to one of `names` ignoring case holds `false`. */
function hasFalseIgnoringCase(integrations: Record<string, unknown>, names: readonly string[]) {
  for (const key in integrations) {
    if (integrations[key] !== false || !Object.hasOwn(integrations, key)) continue
    // Lengths first: most keys differ in length from every name, and then nothing is lowered.
    let lowered: string | null = null
    for (const name of names) {
      if (name.length !== key.length) continue
      lowered ??= key.toLowerCase()
      if (name.toLowerCase() === lowered) return true
    }
  }
  return false
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
