import { defineError } from '../platform/errors/index.js'

export const AuditErrors = {
  invalidQuery: defineError('AUDIT_INVALID_QUERY', 'The audit log query is not valid.', 400),
  invalidCursor: defineError(
    'AUDIT_INVALID_CURSOR',
    'The cursor is not one this API returned; start again without it.',
    400,
  ),
} as const
