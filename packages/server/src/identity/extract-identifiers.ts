/**
 * Identifiers of one stored event, as Segment Unify reads them (README.md, Concepts;
 * segment-compat.md §4). Runs for every event: pure, allocation-light, no regexes.
 */
import type { Identifier } from './model.js'
import type { IdentityRules } from './rules.js'
import { extractDevice, extractExternalIds } from './extract-context.js'
import { IdentifierSink } from './extract-sink.js'
import { field, valueAt } from './extract-values.js'

/** The identifiers of an event per collection, deduplicated, in extraction order. */
export interface ExtractedIdentifiers {
  users: Identifier[]
  accounts: Identifier[]
}

const splitPaths = new WeakMap<object, string[][]>()

function customPaths(rules: IdentityRules): string[][] {
  let split = splitPaths.get(rules.custom)
  if (split === undefined) {
    split = rules.custom.flatMap((c) => c.paths.map((p) => p.split('.')))
    splitPaths.set(rules.custom, split)
  }
  return split
}

/**
 * Extracts the identifiers of `event` (a normalized Segment event):
 * - users: `user_id` (userId), `anonymous_id`, `email` and `phone` (traits, then
 *   context.traits: the first that makes a valid, unblocked value), device ids, IDFAs and push
 *   tokens by `context.device.type`, `ga_client_id`, `context.externalIds` and the custom
 *   types of `rules`;
 * - accounts: `group_id` (groupId) and `context.externalIds` of collection `accounts`, and
 *   custom types of that collection. `groupId` is not a user identifier: colleagues in one
 *   account must not merge through it; a group call links the user and the account instead
 *   (the event resolves in both collections).
 * Values are strings (finite numbers converted; other kinds ignored); blocked values are
 * left out; duplicates are removed. Never throws on a malformed event.
 */
export function extractIdentifiers(
  event: Record<string, unknown>,
  rules: IdentityRules,
): ExtractedIdentifiers {
  const sink = new IdentifierSink(rules)
  const context = field(event, 'context')
  sink.add('users', 'user_id', event.userId)
  sink.add('users', 'anonymous_id', event.anonymousId)
  const traits = field(event, 'traits')
  const contextTraits = field(context, 'traits')
  sink.addFirst('users', 'email', [field(traits, 'email'), field(contextTraits, 'email')])
  sink.addFirst('users', 'phone', [field(traits, 'phone'), field(contextTraits, 'phone')])
  if (context !== undefined) {
    extractDevice(sink, field(context, 'device'))
    const ga = field(field(context, 'integrations'), 'Google Analytics')
    sink.add('users', 'ga_client_id', field(ga, 'clientId'))
  }
  if (event.groupId !== undefined) sink.add('accounts', 'group_id', event.groupId)
  if (context !== undefined) extractExternalIds(sink, field(context, 'externalIds'))
  if (rules.custom.length > 0) extractCustom(sink, event, rules)
  return { users: sink.users, accounts: sink.accounts }
}

function extractCustom(
  sink: IdentifierSink,
  event: Record<string, unknown>,
  rules: IdentityRules,
): void {
  const paths = customPaths(rules)
  let index = 0
  for (const custom of rules.custom) {
    const raws: unknown[] = []
    for (let i = 0; i < custom.paths.length; i++) raws.push(valueAt(event, paths[index + i] ?? []))
    index += custom.paths.length
    sink.addFirst(custom.collection, custom.type, raws)
  }
}
