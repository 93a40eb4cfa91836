import { defineError } from '../platform/errors/index.js'

/** Errors of the regulations API (data-subject requests). */
export const RegulationErrors = {
  invalidRequest: defineError(
    'REGULATIONS_INVALID_REQUEST',
    'The regulation is not valid: it needs `regulationType`, `subjectType` and `subjectIds`.',
    400,
  ),
  unknownSubjectType: defineError(
    'REGULATIONS_UNKNOWN_SUBJECT_TYPE',
    'The subject type is neither a Segment subject type nor an identifier type known to identity.',
    400,
  ),
  tooManySubjects: defineError(
    'REGULATIONS_TOO_MANY_SUBJECTS',
    'A regulation names at most 5000 subject ids.',
    400,
  ),
  notFound: defineError('REGULATIONS_NOT_FOUND', 'No regulation has this id.', 404),
  invalidCorrection: defineError(
    'REGULATIONS_INVALID_CORRECTION',
    'The trait correction is not valid: it needs `set` (trait: value) or `unset` ([trait]).',
    400,
  ),
  profileNotFound: defineError('REGULATIONS_PROFILE_NOT_FOUND', 'No profile has this id.', 404),
} as const
