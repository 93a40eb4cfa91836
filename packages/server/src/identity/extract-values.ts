/**
 * Value helpers of identifier extraction (`extract-identifiers.ts`): reading fields of an
 * untyped event and turning them into identifier values. Pure; no regexes on the hot path.
 */
import { normalizePhone } from './extract-phone.js'

/** `obj[key]` when `obj` is a non-array object, else undefined. */
export function field(obj: unknown, key: string): unknown {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return undefined
  return (obj as Record<string, unknown>)[key]
}

/** The value at `segments` (a split dot path) inside `obj`, or undefined. */
export function valueAt(obj: unknown, segments: readonly string[]): unknown {
  let node = obj
  for (const segment of segments) {
    node = field(node, segment)
    if (node === undefined) return undefined
  }
  return node
}

/**
 * An identifier value from a raw field: strings as they are, finite numbers as their decimal
 * string (`12` → `"12"`, never exponent notation for integers); anything else is null.
 */
export function toIdentifierValue(raw: unknown): string | null {
  if (typeof raw === 'string') return raw
  if (typeof raw !== 'number' || !Number.isFinite(raw)) return null
  const text = String(raw)
  if (!text.includes('e')) return text
  return Number.isInteger(raw) ? BigInt(raw).toString() : raw.toFixed(20).replace(/\.?0+$/, '')
}

/** An email as an identifier: trimmed and lower-cased; null when not a non-empty string. */
export function normalizeEmail(raw: unknown): string | null {
  if (typeof raw !== 'string') return null
  const email = raw.trim().toLowerCase()
  return email.length > 0 ? email : null
}

/**
 * The value of an identifier of `type` from a raw field, normalized as the type requires:
 * `email` trimmed and lower-cased, `phone` in E.164 (national numbers in `phoneRegion`),
 * others as {@link toIdentifierValue}. Null when the raw value cannot be an identifier.
 */
export function normalizeValue(type: string, raw: unknown, phoneRegion: string): string | null {
  if (type === 'email') return normalizeEmail(raw)
  if (type === 'phone') {
    const value = toIdentifierValue(raw)
    return value === null ? null : normalizePhone(value, phoneRegion)
  }
  return toIdentifierValue(raw)
}
