/**
 * The preference centre of a person: channels (`email`, `sms`, `push`, `whatsapp`, custom)
 * and content types (`newsletter`, `product_updates`, `offers`, custom) they opted into
 * (true) or out of (false), and how often they want to hear (`frequency`).
 *
 * Stored as an append-only list of changes keyed by identifier (`PreferenceStore`); a
 * profile's preferences are the fold of the changes of all its identifiers, in time order,
 * last write wins per key. Keyed by identifiers, not profile ids, so a merge unites them and a
 * split keeps each with its identifiers.
 */
import { z } from 'zod'
import { preferenceNameSchema } from './config.js'
import { ConsentErrors } from './errors.js'

export const FREQUENCIES = ['daily', 'weekly', 'monthly', 'never'] as const
export type Frequency = (typeof FREQUENCIES)[number]

/** A profile's preferences; a key absent from a map was never expressed (not opted out). */
export interface Preferences {
  channels: Record<string, boolean>
  contentTypes: Record<string, boolean>
  frequency: Frequency | null
}

/**
 * One change: `key` → value, where key is `channels.<name>`, `contentTypes.<name>` or
 * `frequency`, and null removes the key.
 */
export type PreferenceValues = Record<string, boolean | Frequency | null>

/** Who made a change: an admin API caller, or an event. */
export type PreferenceActor =
  | { kind: 'api'; actor: string }
  | { kind: 'event'; sourceId: string; messageId: string; seq: number }

export interface PreferenceChange {
  identifier: { type: string; value: string }
  /** When the change happened (request time, or the event's time), epoch ms: the fold order. */
  at: number
  actor: PreferenceActor
  values: PreferenceValues
}

/** A recorded change; `id` is null for a change an event made (its provenance is the event). */
export type StoredPreferenceChange = PreferenceChange & { id: number | null }

/** The track event that changes preferences (PATCH semantics, see {@link preferenceEventValues}). */
export const PREFERENCES_EVENT = 'Preferences Updated'

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * The change a `Preferences Updated` track event makes: `properties.channels` and
 * `properties.contentTypes` (`{name: true|false|null}`) and `properties.frequency`; keys
 * and values that are not valid are ignored. Pure.
 */
export function preferenceEventValues(event: unknown): PreferenceValues {
  const values: PreferenceValues = {}
  if (!isObject(event) || !isObject(event.properties)) return values
  const properties = event.properties
  for (const dimension of ['channels', 'contentTypes'] as const) {
    const given = properties[dimension]
    if (!isObject(given)) continue
    for (const [name, value] of Object.entries(given)) {
      const valid = typeof value === 'boolean' || value === null
      if (valid && preferenceNameSchema.safeParse(name).success) {
        values[`${dimension}.${name}`] = value
      }
    }
  }
  const frequency = properties.frequency
  if (frequency === null || FREQUENCIES.includes(frequency as Frequency)) {
    values.frequency = frequency as Frequency | null
  }
  return values
}

/** The identifier an event names its person by: userId, else anonymousId. */
export function eventIdentifier(event: unknown): { type: string; value: string } {
  const e = isObject(event) ? event : {}
  if (typeof e.userId === 'string' && e.userId !== '') return { type: 'user_id', value: e.userId }
  return { type: 'anonymous_id', value: typeof e.anonymousId === 'string' ? e.anonymousId : '' }
}

/** Storage of preference changes (append-only). */
export interface PreferenceStore {
  /** Appends a change. Not idempotent (an API retry records a second, identical change). */
  append(change: PreferenceChange): Promise<StoredPreferenceChange>
  /**
   * Changes of any of these identifiers, oldest first (by `at`, then id); at most `limit`,
   * the newest kept. No identifiers: [].
   */
  changes(
    identifiers: ReadonlyArray<{ type: string; value: string }>,
    limit: number,
  ): Promise<StoredPreferenceChange[]>
  /** Every identifier that has changes (for the routing index), at most `limit`. */
  identifiers(limit: number): Promise<Array<{ type: string; value: string }>>
}

/** Folds changes (oldest first), last write wins per key. Pure. */
export function foldPreferences(changes: ReadonlyArray<{ values: PreferenceValues }>): Preferences {
  const out: Preferences = { channels: {}, contentTypes: {}, frequency: null }
  for (const change of changes) {
    for (const [key, value] of Object.entries(change.values)) {
      if (key === 'frequency') {
        out.frequency = (value as Frequency | null) ?? null
        continue
      }
      const dot = key.indexOf('.')
      const map = key.slice(0, dot) === 'channels' ? out.channels : out.contentTypes
      const name = key.slice(dot + 1)
      if (value === null) delete map[name]
      else map[name] = value as boolean
    }
  }
  return out
}

const flags = z.record(preferenceNameSchema, z.boolean().nullable())

/** A PUT or PATCH body. */
export const preferencesBodySchema = z.strictObject({
  channels: flags.optional(),
  contentTypes: flags.optional(),
  frequency: z.enum(FREQUENCIES).nullable().optional(),
})

export type PreferencesBody = z.output<typeof preferencesBodySchema>

/** Parses a body; throws CONSENT_INVALID_PREFERENCES listing every problem. */
export function parsePreferencesBody(body: unknown): PreferencesBody {
  const parsed = preferencesBodySchema.safeParse(body ?? {})
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
    throw ConsentErrors.invalidPreferences(undefined, { details: { problems } })
  }
  return parsed.data
}

/**
 * The change a body makes. `replace` (PUT): keys of `current` the body does not name are
 * removed; otherwise (PATCH) only the named keys change. Keys that would not change are left
 * out; an empty result means nothing to record.
 */
export function preferenceValues(
  body: PreferencesBody,
  current: Preferences,
  replace: boolean,
): PreferenceValues {
  const next: PreferenceValues = {}
  const dimension = (name: 'channels' | 'contentTypes') => {
    const given = body[name] ?? {}
    for (const [key, value] of Object.entries(given)) next[`${name}.${key}`] = value
    if (replace) {
      for (const key of Object.keys(current[name])) {
        if (!Object.hasOwn(given, key)) next[`${name}.${key}`] = null
      }
    }
  }
  dimension('channels')
  dimension('contentTypes')
  if (body.frequency !== undefined) next.frequency = body.frequency
  else if (replace && current.frequency !== null) next.frequency = null
  for (const [key, value] of Object.entries(next)) {
    if (unchanged(key, value, current)) delete next[key]
  }
  return next
}

function unchanged(key: string, value: unknown, current: Preferences): boolean {
  if (key === 'frequency') return current.frequency === value
  const dot = key.indexOf('.')
  const map = key.slice(0, dot) === 'channels' ? current.channels : current.contentTypes
  const name = key.slice(dot + 1)
  return value === null ? !Object.hasOwn(map, name) : map[name] === value
}
