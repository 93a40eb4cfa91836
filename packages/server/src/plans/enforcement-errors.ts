import { defineError } from '../platform/errors/index.js'

/** Errors of quarantine and violations (tracking-plan enforcement). */
export const QuarantineErrors = {
  notFound: defineError('QUARANTINE_NOT_FOUND', 'No quarantined event has this id.', 404),
  notQuarantined: defineError(
    'QUARANTINE_NOT_QUARANTINED',
    'The event is no longer quarantined (it was replayed or discarded).',
    409,
  ),
  invalidEvent: defineError(
    'QUARANTINE_INVALID_EVENT',
    'The edited event is not a valid Segment event.',
    400,
  ),
  tooMany: defineError(
    'QUARANTINE_REPLAY_TOO_MANY',
    'A replay takes at most 10,000 events; narrow the filter or replay in several calls.',
    400,
  ),
  invalidCursor: defineError('QUARANTINE_INVALID_CURSOR', 'The cursor is not valid.', 400),
} as const
