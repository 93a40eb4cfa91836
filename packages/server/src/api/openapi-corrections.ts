/**
 * OpenAPI paths of trait corrections (`/api/v1/profiles/{id}/traits`,
 * `/api/v1/profiles/{id}/trait-corrections`, Bearer admin token). Merged into the document of
 * `openapi.ts`.
 */
import { MAX_CORRECTED_TRAITS, MAX_REASON, MAX_TRAIT_NAME } from '../regulations/index.js'

type Schema = Record<string, unknown>

const json = (schema: Schema) => ({ content: { 'application/json': { schema } } })
const str = { type: 'string' }
const time = { type: 'string', format: 'date-time' }
const obj = (properties: Schema, extra: Schema = {}) => ({ type: 'object', properties, ...extra })
const array = (items: Schema) => ({ type: 'array', items })
const data = (schema: Schema) => obj({ data: schema }, { required: ['data'] })

const adminError = obj({
  error: obj(
    { code: str, message: str, details: { type: 'object' }, requestId: str },
    { required: ['code', 'message'] },
  ),
})
const unauthorized = { description: 'Missing or wrong admin token', ...json(adminError) }
const notFound = {
  description: 'No such profile (REGULATIONS_PROFILE_NOT_FOUND)',
  ...json(adminError),
}
const idParam = { name: 'id', in: 'path', required: true, description: 'Profile id', schema: str }
const traitName = { type: 'string', minLength: 1, maxLength: MAX_TRAIT_NAME }

/** A stored correction, as `correctionToJson` writes it. */
export const correctionSchema = obj(
  {
    id: { type: 'integer' },
    profileId: { type: 'string', description: 'The profile corrected at the time' },
    collection: { enum: ['users', 'accounts'] },
    identifier: obj({ type: str, value: str }, { description: 'What the correction is keyed by' }),
    trait: str,
    action: { enum: ['set', 'unset'] },
    value: { description: 'The new value; null for unset' },
    previous: { description: 'The value it replaced; null when the trait was absent' },
    reason: { type: ['string', 'null'] },
    actor: str,
    createdAt: time,
  },
  { required: ['id', 'trait', 'action', 'actor', 'createdAt'] },
)

export function correctionPaths(): Record<string, unknown> {
  return {
    '/api/v1/profiles/{id}/traits': {
      parameters: [idParam],
      patch: {
        tags: ['Regulations'],
        summary: 'Correct traits: set or remove them, with an audit entry',
        description:
          'Stores one correction per trait, keyed by an identifier of the profile (user_id, ' +
          'else email, else the oldest), so merges and rebuilds keep it. A correction ' +
          'overrides the traits computed from events until an event with a later timestamp ' +
          'sets the trait again.',
        requestBody: {
          required: true,
          ...json(
            obj(
              {
                set: {
                  type: 'object',
                  description: 'Trait name to new value (not null: use unset)',
                  additionalProperties: true,
                },
                unset: { ...array(traitName), maxItems: MAX_CORRECTED_TRAITS },
                reason: { type: 'string', maxLength: MAX_REASON },
              },
              { additionalProperties: false },
            ),
          ),
        },
        responses: {
          '200': {
            description: 'The corrected profile and the corrections stored',
            ...json(
              data(obj({ profile: { type: 'object' }, corrections: array(correctionSchema) })),
            ),
          },
          '400': { description: 'REGULATIONS_INVALID_CORRECTION', ...json(adminError) },
          '401': unauthorized,
          '404': notFound,
        },
      },
    },
    '/api/v1/profiles/{id}/trait-corrections': {
      parameters: [idParam],
      get: {
        tags: ['Regulations'],
        summary: 'Corrections applying to the profile, newest first',
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } },
          { name: 'cursor', in: 'query', schema: str },
        ],
        responses: {
          '200': {
            description: 'A page',
            ...json(
              data(
                obj({
                  corrections: array(correctionSchema),
                  pagination: obj({ next: { type: ['string', 'null'] } }),
                }),
              ),
            ),
          },
          '400': { description: 'Invalid query or cursor', ...json(adminError) },
          '401': unauthorized,
          '404': notFound,
        },
      },
    },
  }
}
