/**
 * Value detectors: recognize PII in a field's value alone, with format and checksum checks so
 * that look-alikes (order numbers, timestamps, versions, SKUs) are not taken for PII. Each is
 * pure and cheap: a short pre-check rejects most values before any regular expression runs.
 * Detectors that need a key hint (names, passports, birth dates) live in classifier.ts.
 */
import { isIP } from 'node:net'
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max'
import {
  ibanValid,
  knownCardPrefix,
  luhnValid,
  ninoValid,
  nirValid,
  ssnValid,
} from './checksums.js'

export type ValueKind =
  | 'email'
  | 'phone'
  | 'national_id'
  | 'payment_card'
  | 'bank_account'
  | 'ip_address'
  | 'street_address'

const EMAIL =
  /(?:^|[\s<("'])[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?=$|[\s>)"',;])/
const SSN = /^(\d{3})([- ])(\d{2})\2(\d{4})$/
const CARD = /^\d(?:[ -]?\d){11,18}$/
const PHONE_SHAPE = /^\+?[\d(][\d\s().-]{5,22}\d$/
const US_GROUPING = /^(?:1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}$/
const DATE_LIKE = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$/
const STREET_TYPES =
  'street|st|loop|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|terrace|ter|parkway|pkwy|highway|hwy|circle|cir|square|sq|crescent|close|gardens|row|alley|plaza|trail|trl|rue|avenida|calle|strasse|straße|weg|platz|via|viale|piazza|laan|straat|gracht'
const STREET = new RegExp(
  `^\\d{1,6}[A-Za-z]?,?\\s+(?:[\\p{L}0-9.'-]+\\s+){0,5}(?:${STREET_TYPES})\\b\\.?(?:[,\\s].*)?$|` +
    `^(?:${STREET_TYPES})\\s+(?:[\\p{L}.'-]+\\s+){0,5}\\d{1,5}[A-Za-z]?(?:[,\\s].*)?$|` +
    `^[\\p{L}-]+(?:strasse|straße|weg|gasse|platz|straat|laan)\\s+\\d{1,5}[A-Za-z]?(?:[,\\s].*)?$`,
  'iu',
)

/** Regions tried for phone numbers written without a country code. */
export const NATIONAL_PHONE_REGIONS: readonly CountryCode[] = ['US', 'GB', 'FR', 'DE']

function digitsOf(value: string): string {
  return value.replace(/[\s.()-]/g, '')
}

export function isEmail(value: string): boolean {
  return value.length <= 320 && value.includes('@') && EMAIL.test(value)
}

const PHONE_MEMO_LIMIT = 10_000
const phoneMemo = new Map<string, boolean>()

/** A valid phone number (memoized, bounded: parsing with full metadata is the costly check). */
export function isPhone(value: string): boolean {
  const hit = phoneMemo.get(value)
  if (hit !== undefined) return hit
  const result = checkPhone(value)
  if (phoneMemo.size >= PHONE_MEMO_LIMIT) phoneMemo.clear()
  phoneMemo.set(value, result)
  return result
}

function checkPhone(value: string): boolean {
  if (value.length < 7 || value.length > 24 || !PHONE_SHAPE.test(value)) return false
  if (DATE_LIKE.test(value) || /^\d+\.\d+(\.\d+)*$/.test(value)) return false
  const digits = digitsOf(value).replace(/^\+/, '')
  if (digits.length < 8 || digits.length > 15) return false
  if (value.startsWith('+')) {
    const parsed = parsePhoneNumberFromString(value)
    return parsed !== undefined && parsed.isValid()
  }
  // Without a country code, only numbers written the way people write them nationally: with
  // a trunk prefix (0…, 10 or 11 digits, GB/FR/DE) or in the US grouping (3-3-4). A bare or
  // otherwise grouped run of digits is an id more often than not.
  const trunk = digits.startsWith('0') && digits.length >= 10 && digits.length <= 11
  if (!trunk && !US_GROUPING.test(value)) return false
  return NATIONAL_PHONE_REGIONS.some((region) => {
    const parsed = parsePhoneNumberFromString(value, region)
    return parsed !== undefined && parsed.isValid()
  })
}

export function isSsn(value: string): boolean {
  const m = SSN.exec(value)
  return m !== null && ssnValid(m[1]! + m[3]! + m[4]!)
}

export function isOtherNationalId(value: string): boolean {
  if (value.length < 9 || value.length > 25 || !/\d{2}/.test(value)) return false
  const compact = value.replace(/\s/g, '').toUpperCase()
  if (compact.length === 9 && ninoValid(compact)) return true
  return compact.length === 15 && nirValid(compact)
}

export function isPaymentCard(value: string): boolean {
  if (!CARD.test(value)) return false
  const digits = value.replace(/[ -]/g, '')
  if (digits.length < 13 || digits.length > 19) return false
  // Grouped numbers must be grouped like cards (4-4-4-4, 4-6-5, 4-4-4-4-3).
  if (
    /[ -]/.test(value) &&
    !/^\d{4}([ -])(?:\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{6}\1\d{4,5})$/.test(value)
  ) {
    return false
  }
  return knownCardPrefix(digits) && luhnValid(digits)
}

export function isIban(value: string): boolean {
  if (value.length < 15 || value.length > 42) return false
  const compact = value.replace(/ /g, '').toUpperCase()
  if (compact !== value.replace(/ /g, '') && !/^[A-Z]{2}/.test(value)) return false
  return ibanValid(compact)
}

export function isIpAddress(value: string): boolean {
  return value.length >= 7 && value.length <= 45 && isIP(value) !== 0
}

export function isStreetAddress(value: string): boolean {
  return value.length >= 6 && value.length <= 200 && /\d/.test(value) && STREET.test(value.trim())
}

/**
 * The kind a string value holds, or null. Checked from the most to the least specific, so a
 * card number is not also read as a phone number.
 */
/** Detectors for values starting with a digit, `+` or `(`, most specific first. */
const NUMERIC: readonly [ValueKind, (value: string) => boolean][] = [
  ['national_id', isSsn],
  ['payment_card', isPaymentCard],
  ['ip_address', isIpAddress],
  ['street_address', isStreetAddress],
  ['phone', isPhone],
  ['national_id', isOtherNationalId],
]
/** Detectors for other values. */
const TEXTUAL: readonly [ValueKind, (value: string) => boolean][] = [
  ['ip_address', (v) => v.includes(':') && isIpAddress(v)],
  ['bank_account', isIban],
  ['national_id', isOtherNationalId],
  ['street_address', isStreetAddress],
]

/**
 * The kind a string value holds, or null. Checked from the most to the least specific, so a
 * card number is not also read as a phone number.
 */
export function detectValue(value: string): ValueKind | null {
  if (value.length < 6 || value.length > 320) return null
  if (value.includes('@')) return isEmail(value) ? 'email' : null
  const first = value.charCodeAt(0)
  const numeric = (first >= 48 && first <= 57) || value[0] === '+' || value[0] === '('
  for (const [kind, test] of numeric ? NUMERIC : TEXTUAL) if (test(value)) return kind
  return null
}
