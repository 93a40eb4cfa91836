import { defineError } from '../platform/errors/index.js'

export const EventsErrors = {
  invalidCursor: defineError('EVENTS_INVALID_CURSOR', 'The cursor is not valid.', 400),
} as const
