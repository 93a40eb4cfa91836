/**
 * The consent, restriction and preference checks of one destination, compiled once per
 * destination and run by routing for every event, before the `integrations` object (which
 * can only restrict further) and the destination filters.
 *
 * Cost: a destination mapped to no category, not marked `marketing` and with no `channel` or
 * `contentType` gets no gate at all (null). Otherwise the stored JSON is searched for
 * `"consent"` before it is parsed: an event without that key has no consent object, and is
 * parsed only when another check needs it.
 */
import { DEFAULT_CONSENT_POLICY, type ConsentPolicy } from './config.js'
import { emptyPreferenceIndex, type PreferenceIndex } from './preference-index.js'
import { grantsAll, readConsent } from './read-consent.js'
import { noRestrictedSubjects, type RestrictedSubjects } from './restricted-subjects.js'
import { subjectIdentifiers } from './subjects.js'

/** What a destination declares about consent and purpose. */
export interface GatedDestination {
  consentCategories: readonly string[]
  marketing?: boolean
  channel?: string | null
  contentType?: string | null
}

/** Everything routing needs besides the destination (shared by every destination). */
export interface RoutePolicy {
  consent: ConsentPolicy
  restricted: RestrictedSubjects
  preferences: PreferenceIndex
}

export const DEFAULT_ROUTE_POLICY: RoutePolicy = {
  consent: DEFAULT_CONSENT_POLICY,
  restricted: noRestrictedSubjects,
  preferences: emptyPreferenceIndex,
}

/** Why a gate kept an event out: `consent`, `preference` or `restriction`, with a detail. */
export interface GateDiscard {
  by: 'consent' | 'preference' | 'restriction'
  detail: string
}

/**
 * Checks one event. `payload` is the stored JSON; `parse` returns the parsed event (cached
 * by the caller) and may throw on unreadable JSON, which the caller handles.
 */
export type Gate = (payload: string, parse: () => unknown) => GateDiscard | null

/** The gate of `destination`, or null when it has nothing to check. */
export function createGate(
  destination: GatedDestination,
  policy: RoutePolicy = DEFAULT_ROUTE_POLICY,
): Gate | null {
  const required = [...new Set(destination.consentCategories)]
  const marketing = destination.marketing === true
  const channel = destination.channel ?? null
  const contentType = destination.contentType ?? null
  if (required.length === 0 && !marketing && channel === null && contentType === null) {
    return null
  }
  const consent = required.length > 0 ? consentCheck(required, policy) : null
  const people =
    marketing || channel !== null || contentType !== null
      ? peopleCheck({ marketing, channel, contentType }, policy)
      : null
  return (payload, parse) => consent?.(payload, parse) ?? people?.(parse()) ?? null
}

function consentCheck(required: readonly string[], policy: RoutePolicy): Gate {
  const strict = policy.consent.missingConsent === 'strict'
  const missing: GateDiscard = { by: 'consent', detail: 'the event carries no consent' }
  const denied: GateDiscard = {
    by: 'consent',
    detail: `filtered by end user consent (needs ${required.join(', ')})`,
  }
  return (payload, parse) => {
    const consent = payload.includes('"consent"') ? readConsent(parse()) : null
    if (consent === null) return strict ? missing : null
    return grantsAll(consent, required) ? null : denied
  }
}

function peopleCheck(
  rules: { marketing: boolean; channel: string | null; contentType: string | null },
  policy: RoutePolicy,
): (event: unknown) => GateDiscard | null {
  const { marketing, channel, contentType } = rules
  const { restricted, preferences } = policy
  return (event) => {
    for (const person of subjectIdentifiers(event)) {
      if (marketing && restricted.has(person.type, person.value)) {
        return { by: 'restriction', detail: 'processing of this person is restricted' }
      }
      if (channel !== null && preferences.optedOut('channel', channel, person)) {
        return { by: 'preference', detail: `opted out of channel ${channel}` }
      }
      if (contentType !== null && preferences.optedOut('contentType', contentType, person)) {
        return { by: 'preference', detail: `opted out of content type ${contentType}` }
      }
    }
    return null
  }
}
