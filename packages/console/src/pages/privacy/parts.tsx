/** A PII class as a coloured badge; `not PII` for null and `none`. */
export function ClassBadge({ value }: { value: string | null }) {
  const cls = value ?? 'none'
  return (
    <span className={`pii-class ${cls}`} data-testid="pii-class">
      {cls === 'none' ? 'not PII' : cls}
    </span>
  )
}

/** An ISO time as local date and time, or a dash. */
export function formatIso(iso: string | null | undefined): string {
  if (!iso) return '—'
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? iso : new Date(ms).toLocaleString()
}
