import type { Identifier } from '../../api/identity-types'

/** `type:value`, the identifier's key in the API. */
export const idKey = (id: Identifier): string => `${id.type}:${id.value}`

/** A local date and time, or a dash. Accepts ISO strings and epoch milliseconds. */
export function formatTime(time: string | number | null | undefined): string {
  if (time === null || time === undefined || time === '') return '—'
  const date = new Date(time)
  return Number.isNaN(date.getTime()) ? String(time) : date.toLocaleString()
}

/** The first `length` characters of a long id, with an ellipsis. */
export function shorten(text: string, length = 8): string {
  return text.length > length + 1 ? `${text.slice(0, length)}…` : text
}

/** A trait value as text: strings as they are, anything else as JSON. */
export function traitText(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === undefined) return ''
  return JSON.stringify(value)
}

/** `track 3 · identify 1`, biggest first. */
export function countsText(counts: Record<string, number>): string {
  const entries = Object.entries(counts).filter(([, n]) => n > 0)
  if (entries.length === 0) return 'no events'
  return entries
    .sort((a, b) => b[1] - a[1])
    .map(([type, n]) => `${type} ${n}`)
    .join(' · ')
}

/** What a track, page or screen call is called; empty for other calls. */
export function eventName(event: Record<string, unknown>): string {
  if (typeof event.event === 'string') return event.event
  if (typeof event.name === 'string') return event.name
  return ''
}

/** Profile routes: `/profiles`, `/profiles/:id` and `/profiles/:id/:tab`. */
export function profileUrl(id: string, tab?: string): string {
  const base = `/profiles/${encodeURIComponent(id)}`
  return tab ? `${base}/${tab}` : base
}
