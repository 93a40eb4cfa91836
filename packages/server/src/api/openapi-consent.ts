/**
 * OpenAPI paths of consent and preferences (`/api/v1/profiles/{id}/consent`, Bearer admin
 * token). Merged into the document of `openapi.ts`.
 */

type Schema = Record<string, unknown>

const json = (schema: Schema) => ({ content: { 'application/json': { schema } } })
const str = { type: 'string' }
const int = { type: 'integer' }
const bool = { type: 'boolean' }
const ms = { type: 'integer', description: 'Epoch ms' }
const obj = (properties: Schema, extra: Schema = {}) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  ...extra,
})
const array = (items: Schema) => ({ type: 'array', items })

const adminError = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: str, message: str, details: { type: 'object' }, requestId: str },
      required: ['code', 'message'],
    },
  },
}
const errors = {
  '400': { description: 'Invalid request', ...json(adminError) },
  '401': { description: 'Missing or wrong admin token', ...json(adminError) },
  '404': { description: 'No such profile (CONSENT_PROFILE_NOT_FOUND)', ...json(adminError) },
}
const idParam = { name: 'id', in: 'path', required: true, description: 'Profile id', schema: str }

const provenance = obj({ seq: int, messageId: str, sourceId: str, timestamp: ms })
const categoryState = obj({
  granted: bool,
  collected: { ...bool, description: 'False for a workspace category never sent (false)' },
  setBy: { oneOf: [provenance, { type: 'null' }] },
})
const consentEntry = obj({
  seq: int,
  messageId: str,
  sourceId: str,
  type: str,
  event: { type: ['string', 'null'] },
  timestamp: ms,
  categories: { type: 'object', additionalProperties: bool },
  ignoredCategories: { ...int, description: 'Invalid ids or non-boolean values ignored' },
})

export function consentPaths(): Record<string, unknown> {
  return {
    '/api/v1/profiles/{id}/consent': {
      parameters: [idParam],
      get: {
        tags: ['Consent'],
        operationId: 'getProfileConsent',
        summary: "A profile's consent: current (event-time fold) and history with provenance",
        parameters: [
          {
            name: 'limit',
            in: 'query',
            required: false,
            description: 'History entries, newest kept (default 100, at most 1000)',
            schema: { type: 'integer', minimum: 1, maximum: 1000 },
          },
        ],
        responses: {
          '200': {
            description: 'Consent',
            ...json(
              obj({
                profileId: str,
                categories: { type: 'object', additionalProperties: categoryState },
                updatedAt: { type: ['integer', 'null'], description: 'Epoch ms' },
                history: { ...array(consentEntry), description: 'Oldest first (event time)' },
              }),
            ),
          },
          ...errors,
        },
      },
    },
  }
}
