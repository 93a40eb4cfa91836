import { EventsErrors } from './errors.js'

/** Encodes a numeric position as an opaque cursor string. */
export function encodeCursor(position: number): string {
  return Buffer.from(`o:${position}`).toString('base64url')
}

/** Decodes a cursor made by {@link encodeCursor}; throws EVENTS_INVALID_CURSOR otherwise. */
export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8')
  const match = /^o:(\d{1,15})$/.exec(text)
  if (!match?.[1]) throw EventsErrors.invalidCursor()
  return Number(match[1])
}
