import { z } from 'zod'
import { RegulationErrors } from './errors.js'
import { identifierTypeOf, normalizeSubjectValue } from './expand-subject.js'
import {
  MAX_SUBJECT_IDS,
  REGULATION_TYPES,
  SEGMENT_SUBJECT_TYPES,
  type RegulationType,
  type SubjectIdentifier,
} from './model.js'

/** Body of `POST /api/v1/regulations`, as Segment's `CreateWorkspaceRegulationV1Input`. */
export const createRegulationSchema = z
  .object({
    regulationType: z.enum(REGULATION_TYPES),
    subjectType: z.string().min(1).max(64),
    subjectIds: z.array(z.string().min(1).max(1024)).min(1),
  })
  .strict()

export interface CreateRegulationInput {
  type: RegulationType
  subjectType: string
  subjectIds: string[]
  /** The requested ids as identity identifiers (type mapped, values normalized, deduplicated). */
  requested: SubjectIdentifier[]
}

/**
 * Checks a create request: its shape, at most {@link MAX_SUBJECT_IDS} ids, and a subject type
 * that is Segment's (`USER_ID`, `ANONYMOUS_ID`, `EMAIL`) or an identifier type identity knows
 * (`isKnownType`, e.g. `phone`, `ga_client_id` or a custom one). Throws `REGULATIONS_*` errors.
 */
export function parseCreateRegulation(
  body: unknown,
  isKnownType: (type: string) => boolean,
): CreateRegulationInput {
  const result = createRegulationSchema.safeParse(body)
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({
      path: i.path.map(String).join('.'),
      message: i.message,
    }))
    throw RegulationErrors.invalidRequest(
      issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; '),
      { details: { issues } },
    )
  }
  const { regulationType, subjectType, subjectIds } = result.data
  if (subjectIds.length > MAX_SUBJECT_IDS) {
    throw RegulationErrors.tooManySubjects(undefined, {
      details: { max: MAX_SUBJECT_IDS, received: subjectIds.length },
    })
  }
  const isSegmentType = (SEGMENT_SUBJECT_TYPES as readonly string[]).includes(subjectType)
  const type = identifierTypeOf(subjectType)
  if (!isSegmentType && !isKnownType(type)) {
    throw RegulationErrors.unknownSubjectType(undefined, { details: { subjectType } })
  }
  const seen = new Set<string>()
  const requested: SubjectIdentifier[] = []
  for (const raw of subjectIds) {
    const value = normalizeSubjectValue(type, raw)
    if (seen.has(value)) continue
    seen.add(value)
    requested.push({ type, value })
  }
  return { type: regulationType, subjectType, subjectIds, requested }
}
