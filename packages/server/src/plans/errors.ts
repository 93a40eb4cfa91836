import { defineError } from '../platform/errors/index.js'

/** Errors of tracking plans: the plans API, the plan store and plan validation. */
export const PlanErrors = {
  notFound: defineError('PLANS_NOT_FOUND', 'No tracking plan has this id.', 404),
  managed: defineError(
    'PLANS_MANAGED',
    'This tracking plan is defined in the config file and is read-only through the API.',
    409,
  ),
  exists: defineError('PLANS_EXISTS', 'A tracking plan with this id already exists.', 409),
  invalid: defineError(
    'PLANS_INVALID',
    'The tracking plan is not valid; `details.issues` lists every problem.',
    400,
  ),
  revisionNotFound: defineError('PLANS_REVISION_NOT_FOUND', 'The plan has no such revision.', 404),
  sourceConnected: defineError(
    'PLANS_SOURCE_CONNECTED',
    'The source is already connected to a tracking plan (a source has at most one).',
    409,
  ),
  sourceNotConnected: defineError(
    'PLANS_SOURCE_NOT_CONNECTED',
    'The source is not connected to this tracking plan.',
    404,
  ),
  unknownSource: defineError('PLANS_UNKNOWN_SOURCE', 'No source has this id.', 400),
} as const
