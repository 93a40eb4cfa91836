/**
 * The `identity:` config section (also the body of the rules API) and its compilation into
 * {@link IdentityRules}. Defaults follow Segment Unify: limits `user_id` 1 and every other
 * type 5 (window `ever`); priorities `user_id` 1, `email` 2, every other type alphabetical
 * after the explicit ones; blocked values empty, `null`, `anonymous`, `0`, `-1`, … and `^[0-]*$`.
 */
import { isSupportedCountry } from 'libphonenumber-js'
import { z } from 'zod'
import type { CustomIdentifier, IdentifierRule, IdentityRules, LimitWindow } from './rules.js'
import type { Identifier } from './model.js'

/** Limit windows, shortest last; `ever` counts every identifier ever attached. */
export const LIMIT_WINDOWS = ['ever', 'daily', 'weekly', 'monthly', 'annually'] as const

const DAY_MS = 86_400_000

/** Window lengths in ms; null for `ever`. */
export const LIMIT_WINDOW_MS: Readonly<Record<LimitWindow, number | null>> = {
  ever: null,
  daily: DAY_MS,
  weekly: 7 * DAY_MS,
  monthly: 30 * DAY_MS,
  annually: 365 * DAY_MS,
}

/** The identifier types read from every event (segment-compat.md §4). */
export const BUILT_IN_IDENTIFIER_TYPES = [
  'user_id',
  'anonymous_id',
  'email',
  'phone',
  'android.id',
  'android.idfa',
  'android.push_token',
  'ios.id',
  'ios.idfa',
  'ios.push_token',
  'ga_client_id',
  'group_id',
] as const

/** Values never used as identifiers, compared trimmed and case-insensitively. */
export const DEFAULT_BLOCKED_VALUES: readonly string[] = [
  'null',
  'undefined',
  'anonymous',
  '0',
  '-1',
  'none',
  'nil',
  'n/a',
  'unknown',
  '[object object]',
]

/** Default blocked pattern (zeros and dashes only, including the empty string). */
export const DEFAULT_BLOCKED_PATTERN = '^[0-]*$'

const IDENTIFIER_TYPE = /^[a-z0-9_][a-z0-9_.-]{0,63}$/
const typeName = z
  .string()
  .regex(IDENTIFIER_TYPE, 'an identifier type is 1 to 64 of a-z, 0-9, _, . and - (lower case)')

const regexSource = z.string().superRefine((source, ctx) => {
  const problem = regexProblem(source)
  if (problem !== null) {
    ctx.addIssue({ code: 'custom', message: `invalid regular expression /${source}/: ${problem}` })
  }
})

/** Why `source` is not a JavaScript regular expression (e.g. `Unterminated group`), or null. */
function regexProblem(source: string): string | null {
  try {
    new RegExp(source)
    return null
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return message.slice(message.lastIndexOf(': ') + 1).trim()
  }
}

const identifierRuleSchema = z
  .strictObject({
    limit: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        'At most this many identifiers of the type on one profile; absent: 1 for user_id, 5 otherwise.',
      ),
    window: z
      .enum(LIMIT_WINDOWS)
      .default('ever')
      .describe(
        'Period the limit counts over, back from the event time (daily 1 d, weekly 7 d, monthly 30 d, annually 365 d).',
      ),
    priority: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        '1 is the highest. Absent: user_id 1, email 2, others after every explicit priority in alphabetical order; ties break by type name.',
      ),
  })
  .describe('The rule of one identifier type.')

const customIdentifierSchema = z
  .strictObject({
    type: typeName.describe('Identifier type name, e.g. shopify_id.'),
    collection: z
      .enum(['users', 'accounts'])
      .default('users')
      .describe('Collection whose profiles the identifier matches.'),
    paths: z
      .array(
        z
          .string()
          .regex(/^[^.\s]+(\.[^.\s]+)*$/, 'a dot path such as traits.shopifyId')
          .describe('Dot path into the event.'),
      )
      .min(1)
      .describe(
        'Dot paths into the event (e.g. traits.shopifyId), tried in order; the first string or number found is the value.',
      ),
  })
  .describe('An identifier type read from event fields.')

/** The `identity:` section. Every key is optional; see {@link DEFAULT_IDENTITY_CONFIG}. */
export const identityConfigSchema = z
  .strictObject({
    identifiers: z
      .record(typeName, identifierRuleSchema)
      .default({
        user_id: { limit: 1, window: 'ever', priority: 1 },
        email: { limit: 5, window: 'ever', priority: 2 },
      })
      .describe(
        'Rules per identifier type, merged over the defaults (user_id limit 1 priority 1, email priority 2). Unlisted types get limit 5, window ever, and alphabetical priority after the listed ones.',
      ),
    custom: z
      .array(customIdentifierSchema)
      .default([])
      .describe('Custom identifier types read from trait or property paths.'),
    blockedValues: z
      .strictObject({
        exact: z
          .array(z.string())
          .default([])
          .describe(
            'Values never used as identifiers (trimmed, case-insensitive), added to the defaults.',
          ),
        patterns: z
          .array(regexSource)
          .default([])
          .describe(
            'JavaScript regular expressions (case-sensitive); a value matching one is never an identifier. Added to the default ^[0-]*$.',
          ),
      })
      .prefault({})
      .describe(
        'Blocked values, added to the defaults (empty, null, undefined, anonymous, 0, -1, none, nil, n/a, unknown, [object object], and ^[0-]*$).',
      ),
    mergeCap: z
      .number()
      .int()
      .min(1)
      .default(100)
      .describe('Merges allowed per profile; past it a profile absorbs no more profiles.'),
    identifierCap: z
      .number()
      .int()
      .min(1)
      .default(1000)
      .describe('Identifiers allowed per profile; past it new identifiers are dropped.'),
    phoneRegion: z
      .string()
      .refine((region) => /^[A-Z]{2}$/.test(region) && isSupportedCountry(region), {
        message: 'a two-letter upper-case region code such as US or GB',
      })
      .default('US')
      .describe('Region for phone numbers written without a country code (ISO 3166, e.g. US).'),
  })
  .prefault({})
  .describe('Identity resolution rules.')

/** The parsed `identity:` section, defaults filled in. */
export type IdentityConfig = z.infer<typeof identityConfigSchema>

/** The rules in force with no config. */
export const DEFAULT_IDENTITY_CONFIG: IdentityConfig = identityConfigSchema.parse({})

const BUILT_IN_RULES: Readonly<Record<string, { limit: number; priority: number }>> = {
  user_id: { limit: 1, priority: 1 },
  email: { limit: 5, priority: 2 },
}

const DEFAULT_LIMIT = 5
const MAX_CACHED_TYPES = 10_000

/**
 * Compiles a parsed config (from {@link identityConfigSchema}) into rules. Pure; the result is
 * immutable and safe to share. Regexes are compiled once here; an unparsed config with an
 * invalid pattern throws (parse first: the schema reports it as a config problem).
 */
export function compileIdentityRules(config: IdentityConfig): IdentityRules {
  const explicit = explicitRules(config)
  let maxPriority = 0
  for (const rule of explicit.values()) {
    if (rule.priority !== undefined) maxPriority = Math.max(maxPriority, rule.priority)
  }
  const implicitPriority = maxPriority + 1
  const cache = new Map<string, IdentifierRule>()
  const ruleFor = (type: string): IdentifierRule => {
    const cached = cache.get(type)
    if (cached !== undefined) return cached
    const given = explicit.get(type)
    const window = given?.window ?? 'ever'
    const rule: IdentifierRule = Object.freeze({
      type,
      limit: given?.limit ?? DEFAULT_LIMIT,
      window,
      windowMs: LIMIT_WINDOW_MS[window],
      priority: given?.priority ?? implicitPriority,
    })
    if (cache.size < MAX_CACHED_TYPES) cache.set(type, rule)
    return rule
  }
  const custom: readonly CustomIdentifier[] = Object.freeze(
    config.custom.map((c) =>
      Object.freeze({ ...c, paths: Object.freeze([...c.paths]) as string[] }),
    ),
  )
  return Object.freeze({
    ruleFor,
    compare: (a: Identifier, b: Identifier): number => compareIdentifiers(ruleFor, a, b),
    isBlocked: createBlockedCheck(config.blockedValues),
    mergeCap: config.mergeCap,
    identifierCap: config.identifierCap,
    custom,
    phoneRegion: config.phoneRegion,
  })
}

interface ExplicitRule {
  limit: number | undefined
  window: LimitWindow
  priority: number | undefined
}

function explicitRules(config: IdentityConfig): Map<string, ExplicitRule> {
  const rules = new Map<string, ExplicitRule>()
  for (const [type, builtIn] of Object.entries(BUILT_IN_RULES)) {
    rules.set(type, { limit: builtIn.limit, window: 'ever', priority: builtIn.priority })
  }
  for (const [type, given] of Object.entries(config.identifiers)) {
    const builtIn = BUILT_IN_RULES[type]
    rules.set(type, {
      limit: given.limit ?? builtIn?.limit,
      window: given.window,
      priority: given.priority ?? builtIn?.priority,
    })
  }
  return rules
}

function compareIdentifiers(
  ruleFor: (type: string) => IdentifierRule,
  a: Identifier,
  b: Identifier,
): number {
  if (a.type !== b.type) {
    const byPriority = ruleFor(a.type).priority - ruleFor(b.type).priority
    if (byPriority !== 0) return byPriority
    return a.type < b.type ? -1 : 1
  }
  if (a.value === b.value) return 0
  return a.value < b.value ? -1 : 1
}

/** True for `''` and strings of `0` and `-` only: the default pattern `^[0-]*$` without a regex. */
function isZerosAndDashes(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c !== 48 && c !== 45) return false
  }
  return true
}

function createBlockedCheck(
  blocked: IdentityConfig['blockedValues'],
): (type: string, value: string) => boolean {
  const exact = new Set<string>(DEFAULT_BLOCKED_VALUES)
  for (const value of blocked.exact) exact.add(value.trim().toLowerCase())
  let longest = 0
  for (const value of exact) longest = Math.max(longest, value.length)
  const patterns = blocked.patterns.map((source) => new RegExp(source))
  return (_type: string, value: string): boolean => {
    if (isZerosAndDashes(value)) return true
    const trimmed = value.trim()
    if (trimmed.length === 0) return true
    if (trimmed.length <= longest && exact.has(trimmed.toLowerCase())) return true
    for (const pattern of patterns) {
      if (pattern.test(value)) return true
    }
    return false
  }
}
