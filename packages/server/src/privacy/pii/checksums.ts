/**
 * Check-digit and range validators for the numbers the value detectors recognize. All pure;
 * inputs are digit (or alphanumeric) strings without separators.
 */

/** Luhn (mod 10) check used by payment cards. */
export function luhnValid(digits: string): boolean {
  let sum = 0
  let double = false
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48
    if (d < 0 || d > 9) return false
    if (double) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
    double = !double
  }
  return digits.length > 0 && sum % 10 === 0
}

/** Whether a card number starts with an issuer prefix of a known network, at a length it uses. */
export function knownCardPrefix(digits: string): boolean {
  const n = digits.length
  const p2 = Number(digits.slice(0, 2))
  const p3 = Number(digits.slice(0, 3))
  const p4 = Number(digits.slice(0, 4))
  const p6 = Number(digits.slice(0, 6))
  if (digits[0] === '4') return n === 16 || n === 19 // Visa (13-digit numbers are retired)
  if (p2 >= 51 && p2 <= 55) return n === 16 // Mastercard
  if (p4 >= 2221 && p4 <= 2720) return n === 16 // Mastercard 2-series
  if (p2 === 34 || p2 === 37) return n === 15 // American Express
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649)) return n >= 16 && n <= 19 // Discover
  if (p6 >= 622126 && p6 <= 622925) return n >= 16 && n <= 19 // Discover / UnionPay co-brand
  if (p2 === 62) return n >= 16 && n <= 19 // UnionPay
  if (p4 >= 3528 && p4 <= 3589) return n >= 16 && n <= 19 // JCB
  if (p2 === 36 || p2 === 38 || p2 === 39 || (p3 >= 300 && p3 <= 305)) return n >= 14 && n <= 19 // Diners
  if (p2 === 50 || (p2 >= 56 && p2 <= 58) || p2 === 63 || p2 === 67) return n >= 12 && n <= 19 // Maestro
  return false
}

/** IBAN length per country (ISO 13616 registry, the countries in common use). */
const IBAN_LENGTH: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  TN: 24,
  TR: 26,
  UA: 29,
  VG: 24,
  XK: 20,
}

/** IBAN (upper case, no spaces): the country's length and the ISO 7064 mod-97 check. */
export function ibanValid(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false
  if (IBAN_LENGTH[iban.slice(0, 2)] !== iban.length) return false
  const moved = iban.slice(4) + iban.slice(0, 4)
  let rest = 0
  for (const ch of moved) {
    const code = ch.charCodeAt(0)
    const part = code >= 65 ? String(code - 55) : ch
    for (const d of part) rest = (rest * 10 + (d.charCodeAt(0) - 48)) % 97
  }
  return rest === 1
}

/** US SSN (9 digits): area not 000, 666 or 9xx; group not 00; serial not 0000. */
export function ssnValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false
  const area = digits.slice(0, 3)
  if (area === '000' || area === '666' || area[0] === '9') return false
  return digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000'
}

/**
 * UK National Insurance number (no spaces, upper case): two prefix letters from the allowed
 * sets and not a reserved pair, six digits, suffix A to D. It has no check digit.
 */
export function ninoValid(value: string): boolean {
  const m = /^([A-CEGHJ-PR-TW-Z])([A-CEGHJ-NPR-TW-Z])(\d{6})([A-D])$/.exec(value)
  if (!m) return false
  return !['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(m[1]! + m[2]!)
}

/**
 * French social security number (NIR, "numéro INSEE"): 13 characters (sex, year, month,
 * department with Corsica's 2A/2B, commune, order) and a 2-digit key = 97 − (number mod 97).
 */
export function nirValid(value: string): boolean {
  const m = /^([12378])(\d{2})(0[1-9]|1[0-2]|[2-9]\d)(\d[0-9AB])(\d{3})(\d{3})(\d{2})$/.exec(value)
  if (!m) return false
  const body = value.slice(0, 13).replace('2A', '19').replace('2B', '18')
  if (!/^\d{13}$/.test(body)) return false
  const key = 97 - Number(BigInt(body) % 97n)
  return key === Number(m[7])
}
