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

const flags = {
  type: 'object',
  additionalProperties: bool,
  description: 'name → opted in (true) or out (false); absent: not expressed',
}
const frequency = { enum: ['daily', 'weekly', 'monthly', 'never', null] }
const preferenceActor = {
  oneOf: [
    obj({ kind: { const: 'api' }, actor: { ...str, description: 'admin:<token fingerprint>' } }),
    obj({ kind: { const: 'event' }, sourceId: str, messageId: str, seq: int }),
  ],
}
const preferences = obj({
  profileId: str,
  channels: flags,
  contentTypes: flags,
  frequency,
  updatedAt: { type: ['integer', 'null'], description: 'Epoch ms' },
  history: {
    ...array(
      obj({
        id: { type: ['integer', 'null'], description: 'Null for a change an event made' },
        at: ms,
        identifier: obj({ type: str, value: str }),
        actor: preferenceActor,
        changes: {
          type: 'object',
          description:
            '`channels.<name>`, `contentTypes.<name>` or `frequency` → value; null removed it',
        },
      }),
    ),
    description: 'Oldest first',
  },
})
const nullableFlags = { type: 'object', additionalProperties: { type: ['boolean', 'null'] } }
const preferencesBody = {
  type: 'object',
  additionalProperties: false,
  properties: { channels: nullableFlags, contentTypes: nullableFlags, frequency },
}
const preferencesOp = (operationId: string, summary: string) => ({
  tags: ['Consent'],
  operationId,
  summary,
  requestBody: { required: true, ...json(preferencesBody) },
  responses: { '200': { description: 'Preferences', ...json(preferences) }, ...errors },
})

export function consentPaths(): Record<string, unknown> {
  return {
    '/api/v1/profiles/{id}/preferences': {
      parameters: [idParam],
      get: {
        tags: ['Consent'],
        operationId: 'getProfilePreferences',
        summary: 'Preference centre: channels, content types, frequency, with their history',
        responses: { '200': { description: 'Preferences', ...json(preferences) }, ...errors },
      },
      put: preferencesOp(
        'replacePreferences',
        'Replace the preferences (keys not sent are removed); CONSENT_INVALID_PREFERENCES on a bad body',
      ),
      patch: preferencesOp(
        'updatePreferences',
        'Change the keys sent (null removes one); CONSENT_INVALID_PREFERENCES on a bad body',
      ),
    },
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
