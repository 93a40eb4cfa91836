/**
 * The identifiers routing matches people by: `userId` (`user_id`), `anonymousId`
 * (`anonymous_id`) and email (`traits.email`, `context.traits.email`; `email`). Values as sent,
 * emails trimmed and lower-cased (as identity resolution keys them).
 */

export interface SubjectIdentifier {
  type: 'user_id' | 'anonymous_id' | 'email'
  value: string
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const text = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : null

/** The identifiers of the person an event (a parsed payload) is about. Pure. */
export function subjectIdentifiers(event: unknown): SubjectIdentifier[] {
  if (!isObject(event)) return []
  const out: SubjectIdentifier[] = []
  const userId = text(event.userId)
  if (userId !== null) out.push({ type: 'user_id', value: userId })
  const anonymousId = text(event.anonymousId)
  if (anonymousId !== null) out.push({ type: 'anonymous_id', value: anonymousId })
  const traits = isObject(event.traits) ? event.traits : null
  const context = isObject(event.context) ? event.context : null
  const contextTraits = context && isObject(context.traits) ? context.traits : null
  const email = text(traits?.email) ?? text(contextTraits?.email)
  if (email !== null) out.push({ type: 'email', value: email.trim().toLowerCase() })
  return out
}
