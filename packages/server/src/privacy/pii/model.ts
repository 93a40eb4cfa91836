/**
 * The vocabulary of PII classification: what a field holds (`PiiKind`), how much harm its leak
 * does (`PiiClass`) and how a field was found to hold it (`PiiDetection`).
 */

/** Classes from most to least harmful. See README.md for the default mapping. */
export const PII_CLASSES = ['restricted', 'sensitive', 'personal'] as const
export type PiiClass = (typeof PII_CLASSES)[number]

/** What a field holds. Custom matchers may use any other name. */
export type PiiKind =
  | 'email'
  | 'phone'
  | 'national_id'
  | 'payment_card'
  | 'bank_account'
  | 'ip_address'
  | 'street_address'
  | 'birth_date'
  | 'person_name'
  | 'passport'
  | 'credential'
  | 'special_category'
  | 'demographic'
  | 'device_id'
  | 'geolocation'
  | 'username'
  | (string & {})

/** The class of each default kind. */
export const DEFAULT_CLASS_OF: Readonly<Record<string, PiiClass>> = {
  national_id: 'restricted',
  payment_card: 'restricted',
  bank_account: 'restricted',
  passport: 'restricted',
  credential: 'restricted',
  special_category: 'sensitive',
  birth_date: 'sensitive',
  email: 'personal',
  phone: 'personal',
  ip_address: 'personal',
  street_address: 'personal',
  person_name: 'personal',
  demographic: 'personal',
  device_id: 'personal',
  geolocation: 'personal',
  username: 'personal',
}

/** A field found to hold PII. */
export interface PiiDetection {
  kind: PiiKind
  class: PiiClass
  /** Whether the key (or an enclosing key) or the value gave it away. */
  by: 'key' | 'value'
  /** Id of the matcher that fired (`default:<id>` or `custom:<name>`). */
  matcher: string
}

/** Rank for "the most harmful wins": lower is more harmful. */
export function classRank(value: PiiClass): number {
  return PII_CLASSES.indexOf(value)
}
