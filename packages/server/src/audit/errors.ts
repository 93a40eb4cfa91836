import { defineError } from '../platform/errors/index.js'

export const AuditErrors = {
  invalidCursor: defineError('AUDIT_INVALID_CURSOR', 'Not a cursor this API returned.', 400),
} as const
