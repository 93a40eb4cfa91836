/** Destination routes: `/destinations/:id` and `/destinations/:id/:tab`. */
export function destinationUrl(id: string, tab?: string): string {
  const base = `/destinations/${encodeURIComponent(id)}`
  return tab ? `${base}/${tab}` : base
}

/** A local date and time (epoch ms), or a dash. */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—'
  return new Date(ms).toLocaleString()
}

/** `HH:MM` of a minute, for chart axes. */
export function minuteLabel(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
}

/** `850 ms`, `2.5 s`, `3 min`, or a dash. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))} s`
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`
  return `${Number((ms / 3_600_000).toFixed(1))} h`
}

/** JSON as indented text; strings that hold JSON are parsed first. */
export function prettyJson(value: unknown): string {
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2)
    } catch {
      return value
    }
  }
  return JSON.stringify(value, null, 2)
}

/** `datetime-local` text (local time) as epoch ms, or undefined when empty or invalid. */
export function localToMs(local: string): number | undefined {
  if (!local) return undefined
  const ms = new Date(local).getTime()
  return Number.isNaN(ms) ? undefined : ms
}

/** Epoch ms as `datetime-local` text (local time, minutes). */
export function msToLocal(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000)
  return d.toISOString().slice(0, 16)
}

/** Parses JSON text into an object; throws a readable error otherwise. */
export function parseObject(text: string, what: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new Error(`${what} is not valid JSON: ${err instanceof Error ? err.message : ''}`, {
      cause: err,
    })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${what} must be a JSON object.`)
  }
  return value as Record<string, unknown>
}
