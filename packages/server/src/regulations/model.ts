/**
 * Data-subject requests ("regulations", as Segment's Public API names them): the request, its
 * per-store and per-destination tasks, the subject expanded through identity, and the ports
 * the runner erases through. Times are epoch milliseconds.
 */

/** Segment's regulation types. `*_INTERNAL` never reach destinations. */
export const REGULATION_TYPES = [
  'SUPPRESS_ONLY',
  'SUPPRESS_WITH_DELETE',
  'DELETE_ONLY',
  'DELETE_INTERNAL',
  'SUPPRESS_WITH_DELETE_INTERNAL',
  'UNSUPPRESS',
] as const
export type RegulationType = (typeof REGULATION_TYPES)[number]

/** Segment's status values, used overall and per task. */
export const REGULATION_STATUSES = [
  'INITIALIZED',
  'INVALID',
  'NOT_SUPPORTED',
  'RUNNING',
  'PARTIAL_SUCCESS',
  'FAILED',
  'FINISHED',
] as const
export type RegulationStatus = (typeof REGULATION_STATUSES)[number]

/** Segment's subject types; any other identifier type of identity is also accepted (lower case). */
export const SEGMENT_SUBJECT_TYPES = ['USER_ID', 'ANONYMOUS_ID', 'EMAIL'] as const

/** Up to this many subject ids per request, as Segment. */
export const MAX_SUBJECT_IDS = 5000

export const isSuppressing = (type: RegulationType): boolean =>
  type === 'SUPPRESS_ONLY' ||
  type === 'SUPPRESS_WITH_DELETE' ||
  type === 'SUPPRESS_WITH_DELETE_INTERNAL'

export const isDeleting = (type: RegulationType): boolean =>
  type === 'SUPPRESS_WITH_DELETE' ||
  type === 'DELETE_ONLY' ||
  type === 'DELETE_INTERNAL' ||
  type === 'SUPPRESS_WITH_DELETE_INTERNAL'

/** Only these forward the deletion to destinations. */
export const forwardsToDestinations = (type: RegulationType): boolean =>
  type === 'SUPPRESS_WITH_DELETE' || type === 'DELETE_ONLY'

/** An identifier as identity knows it: `type` such as `user_id`, `email`, `phone`. */
export interface SubjectIdentifier {
  type: string
  value: string
}

/**
 * Everything a deletion reaches, fixed when the request is accepted: the profiles the
 * subject ids resolved to and every identifier of those profiles (plus the requested ids
 * themselves, for events identity has not resolved yet).
 */
export interface ErasureSubject {
  profileIds: string[]
  identifiers: SubjectIdentifier[]
}

/** What one task found and removed, per table. */
export interface ErasureCounts {
  [table: string]: number
}

/** Per task: `store:<name>`, `destination:<id>` or `suppression`. */
export type TaskKind = 'store' | 'destination' | 'suppression'

export interface RegulationTask {
  regulationId: string
  /** Execution order inside the request. */
  position: number
  kind: TaskKind
  /** The store name or the destination id. */
  target: string
  /** Display name (store name or destination name). */
  name: string
  status: RegulationStatus
  errString: string | null
  attempts: number
  /** Rows removed per table (stores), or what the destination answered. */
  removed: ErasureCounts
  startedAt: number | null
  finishedAt: number | null
}

export interface Regulation {
  id: string
  type: RegulationType
  /** As requested: `USER_ID`, `EMAIL`, or an identity identifier type. */
  subjectType: string
  subjectIds: string[]
  subject: ErasureSubject
  status: RegulationStatus
  /** Log head when accepted: deletion waits until the pipeline has passed it. */
  logPosition: number
  actor: string
  createdAt: number
  finishedAt: number | null
}
