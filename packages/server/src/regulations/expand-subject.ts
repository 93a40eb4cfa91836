import type { ErasureSubject, SubjectIdentifier } from './model.js'

/** Segment subject types and the identity identifier type each names. */
const SEGMENT_TYPES: Readonly<Record<string, string>> = {
  USER_ID: 'user_id',
  ANONYMOUS_ID: 'anonymous_id',
  EMAIL: 'email',
}

/** The identity identifier type a subject type names (`USER_ID` → `user_id`; others as is). */
export function identifierTypeOf(subjectType: string): string {
  return SEGMENT_TYPES[subjectType] ?? subjectType
}

/**
 * The value identity stores for a requested id: emails are lower-cased and trimmed as
 * identity normalizes them; other values are kept as sent.
 */
export function normalizeSubjectValue(type: string, value: string): string {
  return type === 'email' ? value.trim().toLowerCase() : value
}

/** A requested id with what identity holds for it: the profile and its identifiers, if any. */
export interface SubjectLookup {
  requested: SubjectIdentifier
  profileId: string | null
  identifiers: readonly SubjectIdentifier[]
}

/**
 * The erasure subject of a request: every profile a requested id resolved to, and the union of
 * the requested ids and of every identifier of those profiles, without duplicates, in the
 * order met. A requested id identity does not know is still part of it (its events may not be
 * resolved yet, or it may appear only in rejected events).
 */
export function expandSubject(lookups: readonly SubjectLookup[]): ErasureSubject {
  const profileIds: string[] = []
  const seenProfiles = new Set<string>()
  const identifiers: SubjectIdentifier[] = []
  const seen = new Set<string>()
  const add = (id: SubjectIdentifier): void => {
    const key = `${id.type}\u0000${id.value}`
    if (seen.has(key)) return
    seen.add(key)
    identifiers.push({ type: id.type, value: id.value })
  }
  for (const lookup of lookups) {
    add(lookup.requested)
    if (lookup.profileId !== null && !seenProfiles.has(lookup.profileId)) {
      seenProfiles.add(lookup.profileId)
      profileIds.push(lookup.profileId)
    }
    for (const id of lookup.identifiers) add(id)
  }
  return { profileIds, identifiers }
}

/** The values of `subject` of one identifier type. */
export const valuesOfType = (subject: ErasureSubject, type: string): string[] =>
  subject.identifiers.filter((id) => id.type === type).map((id) => id.value)
