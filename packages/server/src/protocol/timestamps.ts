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

/**
 * Parses an ISO-8601 string (or epoch-ms number) into epoch ms; undefined when absent,
 * NaN when present but invalid.
 */
export function parseTime(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN
  if (typeof value !== 'string') return Number.NaN
  return Date.parse(value)
}
