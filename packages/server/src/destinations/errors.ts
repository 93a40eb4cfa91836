import { defineError } from '../platform/errors/index.js'

/** Errors of the destinations API and the delivery engine's admin side. */
export const DestinationErrors = {
  notFound: defineError('DESTINATIONS_NOT_FOUND', 'No destination has this id.', 404),
  managed: defineError(
    'DESTINATIONS_MANAGED',
    'The destinations are defined in the config file and are read-only through the API.',
    409,
  ),
  exists: defineError('DESTINATIONS_EXISTS', 'A destination with this id already exists.', 409),
  invalid: defineError('DESTINATIONS_INVALID', 'The destination config is not valid.', 400),
  unknownType: defineError(
    'DESTINATIONS_UNKNOWN_TYPE',
    'No built-in or catalog destination has this type.',
    400,
  ),
  invalidCursor: defineError('DESTINATIONS_INVALID_CURSOR', 'The cursor is not valid.', 400),
  invalidRequest: defineError('DESTINATIONS_INVALID_REQUEST', 'The request is not valid.', 400),
  sealed: defineError(
    'DESTINATIONS_SECRET_UNREADABLE',
    'A secret setting cannot be decrypted with the configured secret key.',
    500,
  ),
} as const
