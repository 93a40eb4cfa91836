/**
 * Default key matchers: phrases of normalized key tokens (see key-tokens.ts) that name a kind of
 * PII. A phrase matches when its tokens appear in a row in the key's tokens, unless a token
 * after it qualifies the key into something that is not the value itself (`email_id`,
 * `phone_verified`, `password_changed_at`) or a token before it turns the key into a flag or
 * counter (`has_email`, `num_phones`). Matchers are tried in order; the first match wins, so
 * specific phrases (`ip address`, `email address`) come before general ones (`address`).
 */
import { plausibleBirthDate } from './birth-date.js'
import type { PiiKind } from './model.js'

export interface KeyMatcher {
  id: string
  kind: PiiKind
  /** Token phrases, each a space-separated run of tokens. */
  phrases: readonly string[]
  /**
   * `'text'`: only string (and number) values count (a boolean `email` is a flag, not an email);
   * `'any'`: any value, booleans included (`is_veteran: true` discloses the category).
   */
  values: 'text' | 'any'
  /** For `name`-like phrases: the token before the phrase must be one of these. */
  prefixes?: ReadonlySet<string>
  /** Extra check of a given value (the key alone is not enough for this kind). */
  valueCheck?: (value: string) => boolean
  /** A field nested under a key this matcher matched holds the same kind (`address.line1`). */
  inherit?: boolean
}

/** Tokens after a phrase that make the key describe the value rather than be it. */
export const QUALIFIERS: ReadonlySet<string> = new Set(
  (
    'id ids count counts type types status verified verification opened clicked subject template ' +
    'campaign campaigns sent length format provider enabled disabled valid validated validation ' +
    'code country changed updated created at date time timestamp hash hashed sha md5 domain opt ' +
    'optin optout consent subscribed subscription preference preferences required exists present ' +
    'field label placeholder error errors strength policy reset attempts expires expiry expiration ' +
    'ttl scope kind category list index visible masked last brand network bin method source app ' +
    'os device browser platform version language locale region timezone prefix suffix template ' +
    'on off flag mode setting settings level score step page form button link lookup match matched ' +
    'ratio split distribution stats model make accuracy check result response'
  ).split(' '),
)

/** Tokens after a phrase of a special category (`any` values) that make the key metadata. */
export const ANY_QUALIFIERS: ReadonlySet<string> = new Set(
  'id ids count counts version type enabled field label'.split(' '),
)

/** Tokens before a phrase that make the key a flag or a counter. */
export const FLAG_PREFIXES: ReadonlySet<string> = new Set(
  'has is num no total max min avg count invalid missing'.split(' '),
)

/** Containers and roles whose `name` is a person's name. */
export const PERSON_WORDS: ReadonlySet<string> = new Set(
  (
    'traits user customer contact person recipient sender billing shipping author owner member ' +
    'patient employee cardholder holder buyer payer payee beneficiary guest passenger attendee ' +
    'legal first last full given family middle maiden display nick sur account_holder signer ' +
    'parent guardian spouse emergency client student teacher driver rider'
  ).split(' '),
)

const PASSPORT_FORMAT = /^[A-Z0-9]{6,9}$/i
const person = (s: string): ReadonlySet<string> => new Set(s.split(' '))

/** The default key matchers, most specific first. */
export const DEFAULT_KEY_MATCHERS: readonly KeyMatcher[] = [
  {
    id: 'credential',
    kind: 'credential',
    values: 'text',
    phrases: [
      'password',
      'passwd',
      'pwd',
      'passphrase',
      'pass phrase',
      'pass word',
      'secret',
      'client secret',
      'api key',
      'apikey',
      'api secret',
      'access token',
      'refresh token',
      'auth token',
      'id token',
      'bearer token',
      'session token',
      'csrf token',
      'token',
      'private key',
      'privatekey',
      'secret key',
      'otp',
      'pin',
      'cvv',
      'cvc',
      'cvv2',
      'cid',
      'security code',
      'auth code',
      'authorization code',
      'verification code',
      'recovery code',
    ],
  },
  {
    id: 'national-id',
    kind: 'national_id',
    values: 'text',
    phrases: [
      'ssn',
      'social security',
      'social security number',
      'socialsecuritynumber',
      'national id',
      'nationalid',
      'national identification',
      'national insurance',
      'national insurance number',
      'nino',
      'insee',
      'nir',
      'tax id',
      'taxid',
      'tin',
      'itin',
      'sin',
      'personnummer',
      'cpf',
      'driver license',
      'drivers license',
      'driving licence',
      'driver licence',
      'driving license',
      'license number',
      'licence number',
      'identity number',
      'id card number',
      'id card',
      'visa number',
      'citizen id',
    ],
  },
  {
    id: 'payment-card',
    kind: 'payment_card',
    values: 'text',
    phrases: [
      'credit card',
      'creditcard',
      'debit card',
      'card number',
      'cardnumber',
      'card no',
      'card num',
      'cc number',
      'ccnumber',
      'cc num',
      'ccn',
      'pan',
      'primary account number',
      'payment card',
    ],
    inherit: true,
  },
  {
    id: 'bank-account',
    kind: 'bank_account',
    values: 'text',
    phrases: [
      'iban',
      'bank account',
      'bankaccount',
      'account number',
      'accountnumber',
      'routing number',
      'bank account number',
      'sort code',
      'aba number',
    ],
  },
  {
    id: 'passport',
    kind: 'passport',
    values: 'text',
    phrases: ['passport', 'passport number', 'passport no', 'passport num', 'passportnumber'],
    valueCheck: (v) => PASSPORT_FORMAT.test(v.replace(/\s/g, '')),
  },
  {
    id: 'special-category',
    kind: 'special_category',
    values: 'any',
    phrases: [
      'race',
      'ethnicity',
      'ethnic',
      'ethnic origin',
      'religion',
      'religious',
      'faith',
      'sexual orientation',
      'sexuality',
      'political',
      'political party',
      'political affiliation',
      'union membership',
      'trade union',
      'health',
      'medical',
      'medication',
      'medications',
      'allergy',
      'allergies',
      'diagnosis',
      'diagnoses',
      'medical condition',
      'health condition',
      'medical procedure',
      'disability',
      'disabled',
      'veteran',
      'genetic',
      'biometric',
      'biometrics',
      'fingerprint',
      'blood type',
      'pregnant',
      'pregnancy',
      'hiv',
      'citizenship',
      'nationality',
      'immigration status',
      'criminal record',
      'conviction',
      'salary',
      'income',
      'net worth',
      'credit score',
    ],
  },
  {
    id: 'birth-date',
    kind: 'birth_date',
    values: 'text',
    phrases: [
      'dob',
      'date of birth',
      'dateofbirth',
      'birthdate',
      'birth date',
      'birthday',
      'birth day',
      'born',
      'born on',
      'bday',
    ],
    valueCheck: plausibleBirthDate,
  },
  {
    id: 'email',
    kind: 'email',
    values: 'text',
    phrases: ['email', 'e mail', 'email address', 'emailaddress', 'mail', 'email addr'],
  },
  {
    id: 'ip-address',
    kind: 'ip_address',
    values: 'text',
    phrases: [
      'ip',
      'ip address',
      'ipaddress',
      'ipv 4',
      'ipv 6',
      'ipv4',
      'ipv6',
      'ip addr',
      'remote addr',
      'remote address',
      'client ip',
      'x forwarded for',
    ],
  },
  {
    id: 'device-id',
    kind: 'device_id',
    values: 'text',
    phrases: [
      'mac address',
      'macaddress',
      'mac',
      'advertising id',
      'advertisingid',
      'idfa',
      'idfv',
      'gaid',
      'aaid',
      'imei',
      'imsi',
      'serial number',
    ],
  },
  {
    id: 'phone',
    kind: 'phone',
    values: 'text',
    phrases: [
      'phone',
      'phone number',
      'phonenumber',
      'telephone',
      'tel',
      'mobile',
      'mobile number',
      'mobile phone',
      'cell',
      'cellphone',
      'cell phone',
      'fax',
      'msisdn',
      'whatsapp',
      'sms number',
    ],
  },
  {
    id: 'street-address',
    kind: 'street_address',
    values: 'text',
    phrases: [
      'address',
      'street',
      'street address',
      'address line',
      'addressline',
      'address 1',
      'address 2',
      'line 1',
      'line 2',
      'city',
      'town',
      'zip',
      'zipcode',
      'zip code',
      'postal code',
      'postalcode',
      'postcode',
      'post code',
      'home address',
      'billing address',
      'shipping address',
      'mailing address',
      'apartment',
      'apt',
      'house number',
    ],
    inherit: true,
  },
  {
    id: 'geolocation',
    kind: 'geolocation',
    values: 'text',
    phrases: ['latitude', 'longitude', 'lat', 'lng', 'lon', 'coordinates', 'geolocation'],
    inherit: true,
  },
  {
    id: 'person-name',
    kind: 'person_name',
    values: 'text',
    phrases: [
      'first name',
      'firstname',
      'fname',
      'given name',
      'givenname',
      'last name',
      'lastname',
      'lname',
      'surname',
      'family name',
      'familyname',
      'full name',
      'fullname',
      'middle name',
      'middlename',
      'maiden name',
      'cardholder',
      'card holder',
      'cardholder name',
      'account holder',
      'legal name',
      'nickname',
    ],
  },
  {
    id: 'person-name-role',
    kind: 'person_name',
    values: 'text',
    phrases: ['name'],
    prefixes: person(
      'customer contact person recipient sender billing shipping author owner member patient ' +
        'employee holder buyer payer payee beneficiary guest passenger attendee legal display ' +
        'parent guardian spouse emergency client student teacher driver',
    ),
  },
  {
    id: 'username',
    kind: 'username',
    values: 'text',
    phrases: ['username', 'user name', 'login', 'user handle'],
  },
  {
    id: 'demographic',
    kind: 'demographic',
    values: 'text',
    phrases: ['gender', 'sex', 'marital status', 'pronouns'],
  },
]
