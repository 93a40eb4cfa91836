/**
 * From a stored event to a {@link ResolvableEvent}: parse the payload, extract identifiers with
 * the rules in force, pick the traits each collection applies. Pure.
 */
import type { ResolvableEvent } from './engine.js'
import { extractIdentifiers } from './extract-identifiers.js'
import { identifierKey, orderKey, type IdentitySourceEvent } from './model.js'
import type { IdentityRules } from './rules.js'

/**
 * The event ready for the engine, or null when its payload is not a JSON object (nothing to
 * resolve; the event store only keeps valid events, so this is defensive). Identify `traits`
 * go to the user profile, group `traits` to the account profile.
 */
export function toResolvable(
  source: IdentitySourceEvent,
  rules: IdentityRules,
): ResolvableEvent | null {
  const payload = parseObject(source.payload)
  if (payload === null) return null
  const { users, accounts } = extractIdentifiers(payload, rules)
  const traits = asRecord(payload.traits)
  return {
    seq: source.seq,
    messageId: source.messageId,
    sourceId: source.sourceId,
    type: source.type,
    timestamp: source.timestamp,
    orderKey: orderKey(source.timestamp, source.messageId),
    users,
    accounts,
    userKeys: users.map(identifierKey),
    accountKeys: accounts.length === 0 ? NO_KEYS : accounts.map(identifierKey),
    userTraits: source.type === 'identify' ? traits : null,
    accountTraits: source.type === 'group' ? traits : null,
  }
}

const NO_KEYS: string[] = []

function parseObject(text: string): Record<string, unknown> | null {
  try {
    return asRecord(JSON.parse(text))
  } catch {
    return null
  }
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null
}

/** Ascending order key (ties cannot happen: messageIds are unique in the event store). */
export function byOrderKey(a: { orderKey: string }, b: { orderKey: string }): number {
  return a.orderKey < b.orderKey ? -1 : a.orderKey > b.orderKey ? 1 : 0
}
