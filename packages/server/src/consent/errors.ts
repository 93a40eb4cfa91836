import { defineError } from '../platform/errors/index.js'

/** Errors of the consent and preferences API. */
export const ConsentErrors = {
  profileNotFound: defineError('CONSENT_PROFILE_NOT_FOUND', 'No profile has this id.', 404),
  invalidPreferences: defineError(
    'CONSENT_INVALID_PREFERENCES',
    'The preferences are not valid.',
    400,
  ),
} as const
