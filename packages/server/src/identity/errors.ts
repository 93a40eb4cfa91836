import { defineError } from '../platform/errors/index.js'

/** Errors of identity resolution, the Profile API and the identity admin API. */
export const IdentityErrors = {
  notFound: defineError('IDENTITY_NOT_FOUND', 'No profile holds this identifier.', 404),
  rulesManaged: defineError(
    'IDENTITY_RULES_MANAGED',
    'The identity rules are defined in the config file and are read-only through the API.',
    409,
  ),
  invalidCursor: defineError('IDENTITY_INVALID_CURSOR', 'The cursor is not valid.', 400),
  invalidIdentifier: defineError(
    'IDENTITY_INVALID_IDENTIFIER',
    'The identifier must be written `type:value` with a known type and a non-blocked value.',
    400,
  ),
  invalidRules: defineError('IDENTITY_INVALID_RULES', 'The identity rules are not valid.', 400),
} as const
