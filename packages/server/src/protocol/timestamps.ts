/**
 * Segment's clock-skew correction: `timestamp = receivedAt − (sentAt − originalTimestamp)`.
 * Without `sentAt` the client's timestamp is kept as given; without a client timestamp the
 * event time is `receivedAt`. All values are epoch milliseconds.
 */
export function correctTimestamp(input: {
  receivedAt: number
  sentAt: number | undefined
  originalTimestamp: number | undefined
}): number {
  const { receivedAt, sentAt, originalTimestamp } = input
  if (originalTimestamp === undefined) return receivedAt
  if (sentAt === undefined) return originalTimestamp
  return receivedAt - (sentAt - originalTimestamp)
}

/** Largest distance from the epoch a JavaScript Date can hold, in ms (±100,000,000 days). */
const MAX_DATE_MS = 8.64e15

/**
 * Parses an ISO-8601 string (or epoch-ms number) into epoch ms; undefined when absent,
 * NaN when present but invalid. Numbers outside the Date range are invalid too: they cannot
 * be written back as ISO-8601 (`Date.parse` already refuses such strings).
 */
export function parseTime(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'number') {
    return Number.isFinite(value) && Math.abs(value) <= MAX_DATE_MS ? value : Number.NaN
  }
  if (typeof value !== 'string') return Number.NaN
  return Date.parse(value)
}
