/**
 * The PII classifier: decides, for one field (its path and optionally its value), which kind of
 * PII it holds and in which class. Order: custom key matchers, default key matchers (on the key,
 * then on enclosing keys for inheritable kinds), custom value matchers, default value
 * detectors, then names found by value under a key that hints at a person. Pure and
 * synchronous; the only state is bounded memo tables, so one classifier can serve every event.
 */
import { compileCustomMatcher, type CustomMatcherConfig } from './custom-matchers.js'
import {
  ANY_QUALIFIERS,
  DEFAULT_KEY_MATCHERS,
  FLAG_PREFIXES,
  PERSON_WORDS,
  QUALIFIERS,
  type KeyMatcher,
} from './key-matchers.js'
import { keyTokens } from './key-tokens.js'
import { DEFAULT_CLASS_OF, type PiiClass, type PiiDetection, type PiiKind } from './model.js'
import { detectValue, type ValueKind } from './value-detectors.js'

/** A field path: keys from the payload root, `$` for an array element. */
export type FieldPath = readonly string[]

export interface MatcherDescription {
  id: string
  source: 'default' | 'custom'
  on: 'key' | 'value'
  kind: string
  class: PiiClass | 'none'
  /** Key phrases, patterns, or a description of the value check. */
  matches: string[]
}

export interface PiiClassifier {
  /**
   * The PII a field holds, or null. `value` undefined classifies by key alone (what the
   * inventory does for every occurrence); null, empty strings, objects and arrays hold no PII
   * of their own (their fields are classified one by one).
   */
  classify(path: FieldPath, value?: unknown): PiiDetection | null
  /** Every matcher in the order they are tried. */
  matchers(): MatcherDescription[]
}

/** Keys whose values are versions or builds: no value detector runs on them. */
const VALUE_VETO = new Set(['version', 'ver', 'build', 'release', 'firmware', 'semver'])
/** Keys that, with a value shaped like a person's name, hold a person's name. */
const NAME_HINTS = new Set(
  (
    'recipient contact customer cardholder holder author sender owner person attendee guest ' +
    'passenger patient signer beneficiary payee payer buyer addressee employee member'
  ).split(' '),
)
const PERSON_NAME_VALUE =
  /^\p{Lu}[\p{Ll}'’-]+(?:\s\p{Lu}\.?)?(?:\s(?:van|de|da|von|del|le|la)?\s?\p{Lu}[\p{Ll}'’-]+){1,3}$/u

const VALUE_DESCRIPTIONS: Record<ValueKind, string> = {
  email: 'an e-mail address (also inside text)',
  phone: 'a valid phone number: E.164, or national formats of US, GB, FR, DE with separators',
  national_id: 'US SSN (valid ranges, NNN-NN-NNNN), UK NINO, French NIR (mod-97 key)',
  payment_card: '13 to 19 digits, card grouping, known network prefix, Luhn check',
  bank_account: 'IBAN: country length and mod-97 check',
  ip_address: 'an IPv4 or IPv6 address (not under version/build keys)',
  street_address: 'a house number with a street type word (EN, FR, DE, ES, IT, NL)',
}

/** Phrases by their first token, each with its matcher's rank (first match wins). */
const BY_FIRST_TOKEN = new Map<
  string,
  { rank: number; matcher: KeyMatcher; phrase: readonly string[] }[]
>()
DEFAULT_KEY_MATCHERS.forEach((matcher, m) => {
  matcher.phrases.forEach((text, p) => {
    const phrase = text.split(' ')
    const list = BY_FIRST_TOKEN.get(phrase[0]!) ?? []
    list.push({ rank: m * 1_000 + p, matcher, phrase })
    BY_FIRST_TOKEN.set(phrase[0]!, list)
  })
})
const ROLE_NAME = DEFAULT_KEY_MATCHERS.find((m) => m.id === 'person-name-role')!
const KEY_MEMO_LIMIT = 20_000
const keyMemo = new Map<string, KeyMatcher | null>()

function phraseFits(
  tokens: readonly string[],
  at: number,
  matcher: KeyMatcher,
  phrase: readonly string[],
): boolean {
  for (let j = 1; j < phrase.length; j++) if (tokens[at + j] !== phrase[j]) return false
  const vetoes = matcher.values === 'any' ? ANY_QUALIFIERS : QUALIFIERS
  for (let k = at + phrase.length; k < tokens.length; k++) if (vetoes.has(tokens[k]!)) return false
  if (matcher.prefixes && (at === 0 || !matcher.prefixes.has(tokens[at - 1]!))) return false
  if (matcher.values === 'text') {
    for (let k = 0; k < at; k++) if (FLAG_PREFIXES.has(tokens[k]!)) return false
  }
  return true
}

function searchKeyTokens(
  tokens: readonly string[],
  parent: readonly string[] | null,
): KeyMatcher | null {
  if (tokens.length === 0) return null
  if (tokens.length === 1 && tokens[0] === 'name') {
    const owner = parent?.[parent.length - 1]
    const singular = owner?.endsWith('s') ? owner.slice(0, -1) : owner
    return owner !== undefined && (PERSON_WORDS.has(owner) || PERSON_WORDS.has(singular!))
      ? ROLE_NAME
      : null
  }
  let best: { rank: number; matcher: KeyMatcher } | null = null
  tokens.forEach((token, at) => {
    for (const candidate of BY_FIRST_TOKEN.get(token) ?? []) {
      if (best !== null && candidate.rank >= best.rank) break
      if (phraseFits(tokens, at, candidate.matcher, candidate.phrase)) best = candidate
    }
  })
  return (best as { matcher: KeyMatcher } | null)?.matcher ?? null
}

/**
 * The default key matcher for a key's tokens, or null: the first matcher (in list order, then
 * phrase order) with a phrase that fits. `parent` is the enclosing key's tokens (it only
 * matters for a bare `name`). Memoized (bounded).
 */
export function matchKeyTokens(
  tokens: readonly string[],
  parent: readonly string[] | null,
): KeyMatcher | null {
  const memo =
    tokens.length === 1 && tokens[0] === 'name'
      ? `name|${parent?.join(' ') ?? ''}`
      : tokens.join(' ')
  const hit = keyMemo.get(memo)
  if (hit !== undefined) return hit
  const found = searchKeyTokens(tokens, parent)
  if (keyMemo.size >= KEY_MEMO_LIMIT) keyMemo.clear()
  keyMemo.set(memo, found)
  return found
}

function valueFits(matcher: KeyMatcher, value: unknown): boolean {
  if (value === undefined) return true
  if (value === null || value === '') return false
  if (typeof value === 'boolean') return matcher.values === 'any'
  if (typeof value !== 'string' && typeof value !== 'number') return false
  return matcher.valueCheck ? matcher.valueCheck(String(value)) : true
}

/** The last key of a path and the key before it (array markers skipped). */
function keysOf(path: FieldPath): string[] {
  return path.filter((k) => k !== '$')
}

export function createClassifier(custom: readonly CustomMatcherConfig[] = []): PiiClassifier {
  const compiled = custom.map(compileCustomMatcher)
  const customKeys = compiled.filter((m) => m.config.on === 'key')
  const customValues = compiled.filter((m) => m.config.on === 'value')

  const fromCustom = (m: (typeof compiled)[number], by: 'key' | 'value'): PiiDetection | null =>
    m.config.class === 'none'
      ? null
      : {
          kind: m.config.kind ?? m.config.name,
          class: m.config.class,
          by,
          matcher: `custom:${m.config.name}`,
        }
  const fromDefault = (kind: PiiKind, id: string, by: 'key' | 'value'): PiiDetection => ({
    kind,
    class: DEFAULT_CLASS_OF[kind] ?? 'personal',
    by,
    matcher: `default:${id}`,
  })

  const pathMemo = new Map<string, { direct: KeyMatcher | null; inherited: KeyMatcher[] }>()
  /** The key's own matcher and the inheritable matchers of enclosing keys, nearest first. */
  function keyMatchers(keys: readonly string[]) {
    const memo = keys.join('\u0000')
    let hit = pathMemo.get(memo)
    if (hit === undefined) {
      const at = (i: number) => keyTokens(keys[i]!)
      const direct = matchKeyTokens(
        at(keys.length - 1),
        keys.length > 1 ? at(keys.length - 2) : null,
      )
      const inherited: KeyMatcher[] = []
      for (let i = keys.length - 2; i >= 0; i--) {
        const outer = matchKeyTokens(at(i), i > 0 ? at(i - 1) : null)
        if (outer?.inherit) inherited.push(outer)
      }
      hit = { direct, inherited }
      if (pathMemo.size >= KEY_MEMO_LIMIT) pathMemo.clear()
      pathMemo.set(memo, hit)
    }
    return hit
  }

  function classify(path: FieldPath, value?: unknown): PiiDetection | null {
    if (value !== undefined) {
      if (value === null || value === '' || typeof value === 'object') return null
    }
    const keys = keysOf(path)
    const key = keys[keys.length - 1]
    if (key === undefined) return null
    for (const m of customKeys) if (m.test(key)) return fromCustom(m, 'key')
    const tokens = keyTokens(key)
    const { direct, inherited } = keyMatchers(keys)
    if (direct && valueFits(direct, value)) return fromDefault(direct.kind, direct.id, 'key')
    for (const outer of inherited) {
      if (valueFits(outer, value)) return fromDefault(outer.kind, outer.id, 'key')
    }
    if (typeof value !== 'string') return null
    for (const m of customValues) if (m.test(value)) return fromCustom(m, 'value')
    if (tokens.some((t) => VALUE_VETO.has(t))) return null
    const kind = detectValue(value)
    if (kind !== null) return fromDefault(kind, `value-${kind}`, 'value')
    if (
      tokens.some((t) => NAME_HINTS.has(t)) &&
      value.length <= 60 &&
      PERSON_NAME_VALUE.test(value)
    ) {
      return fromDefault('person_name', 'value-person-name', 'value')
    }
    return null
  }

  function matchers(): MatcherDescription[] {
    const describeCustom = compiled.map(({ config }): MatcherDescription => ({
      id: `custom:${config.name}`,
      source: 'custom',
      on: config.on,
      kind: config.kind ?? config.name,
      class: config.class,
      matches: [`${config.type}: ${config.pattern}`, ...config.synonyms],
    }))
    const keyDefaults = DEFAULT_KEY_MATCHERS.map((m): MatcherDescription => ({
      id: `default:${m.id}`,
      source: 'default',
      on: 'key',
      kind: m.kind,
      class: DEFAULT_CLASS_OF[m.kind] ?? 'personal',
      matches: [...m.phrases],
    }))
    const valueDefaults = (Object.keys(VALUE_DESCRIPTIONS) as ValueKind[]).map(
      (kind): MatcherDescription => ({
        id: `default:value-${kind}`,
        source: 'default',
        on: 'value',
        kind,
        class: DEFAULT_CLASS_OF[kind] ?? 'personal',
        matches: [VALUE_DESCRIPTIONS[kind]],
      }),
    )
    const nameByValue: MatcherDescription = {
      id: 'default:value-person-name',
      source: 'default',
      on: 'value',
      kind: 'person_name',
      class: 'personal',
      matches: [
        `a capitalized full name under a key naming a person (${[...NAME_HINTS].join(', ')})`,
      ],
    }
    return [
      ...describeCustom.filter((m) => m.on === 'key'),
      ...keyDefaults,
      ...describeCustom.filter((m) => m.on === 'value'),
      ...valueDefaults,
      nameByValue,
    ]
  }

  return { classify, matchers }
}
