import { statusClass } from './model'

/** Segment's status values, overall and per store or destination. */
export const REGULATION_STATUSES = [
  'INITIALIZED',
  'INVALID',
  'NOT_SUPPORTED',
  'RUNNING',
  'PARTIAL_SUCCESS',
  'FAILED',
  'FINISHED',
] as const

export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span className={`request-status ${statusClass(status)}`} data-testid={testId}>
      {status}
    </span>
  )
}

/** An ISO time as local date and time, or a dash. */
export function formatIso(iso: string | null | undefined): string {
  if (!iso) return '—'
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? iso : new Date(ms).toLocaleString()
}

/** `850 ms`, `2.5 s`, or a dash. */
export function formatMs(ms: number | null): string {
  if (ms === null) return '—'
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`
}
