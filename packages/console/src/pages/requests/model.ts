import type { RegulationType } from '../../api/governance-types'

/** Statuses after which a request changes no more. */
const DONE = new Set(['FINISHED', 'FAILED', 'PARTIAL_SUCCESS', 'INVALID', 'NOT_SUPPORTED'])

export const isDone = (status: string): boolean => DONE.has(status)

/** Types that erase data (the form asks for a confirmation first). */
export const isDeleting = (type: RegulationType): boolean =>
  type === 'SUPPRESS_WITH_DELETE' ||
  type === 'DELETE_ONLY' ||
  type === 'DELETE_INTERNAL' ||
  type === 'SUPPRESS_WITH_DELETE_INTERNAL'

export const TYPE_HELP: Record<RegulationType, string> = {
  SUPPRESS_ONLY: 'Drop new events of the subject; keep what is stored.',
  SUPPRESS_WITH_DELETE: 'Drop new events and delete stored data here and in destinations.',
  DELETE_ONLY: 'Delete stored data here and in destinations.',
  DELETE_INTERNAL: 'Delete stored data here only (destinations are not asked).',
  SUPPRESS_WITH_DELETE_INTERNAL: 'Drop new events and delete stored data here only.',
  UNSUPPRESS: 'Lift an earlier suppression.',
}

/** Segment's subject types; identity's other identifier types are accepted too. */
export const SUBJECT_TYPES = ['USER_ID', 'ANONYMOUS_ID', 'EMAIL'] as const

/** Subject ids typed one per line (or comma-separated), trimmed, empties dropped. */
export function parseIds(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

/** CSS class of a status badge. */
export function statusClass(status: string): string {
  if (status === 'FINISHED') return 'ok'
  if (status === 'FAILED' || status === 'INVALID') return 'failed'
  if (status === 'PARTIAL_SUCCESS' || status === 'NOT_SUPPORTED') return 'warn'
  return 'pending'
}

/** `/requests/:id`. */
export const requestUrl = (id: string): string => `/requests/${encodeURIComponent(id)}`
