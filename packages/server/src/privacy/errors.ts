import { defineError } from '../platform/errors/index.js'

/** Errors of the privacy API (inventory, matchers, classification, observed schema). */
export const PrivacyErrors = {
  sourceNotFound: defineError('PRIVACY_SOURCE_NOT_FOUND', 'No source has this id.', 404),
  invalidCursor: defineError('PRIVACY_INVALID_CURSOR', 'The cursor is not valid.', 400),
} as const
