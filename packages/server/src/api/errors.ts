import { defineError } from '../platform/errors/index.js'

export const ApiErrors = {
  unauthorized: defineError(
    'API_UNAUTHORIZED',
    'Send a valid admin token as `Authorization: Bearer <token>`.',
    401,
  ),
  invalidRequest: defineError('API_INVALID_REQUEST', 'The request is not valid.', 400),
} as const
