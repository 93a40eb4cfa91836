import { defineError } from '../platform/errors/index.js'

export const RetentionErrors = {
  managed: defineError(
    'RETENTION_MANAGED',
    'Retention policies are defined in the config file and are read-only through the API.',
    409,
  ),
  invalidPolicies: defineError('RETENTION_INVALID_POLICIES', 'Invalid retention policies.', 400),
} as const
