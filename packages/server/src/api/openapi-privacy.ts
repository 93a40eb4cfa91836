/**
 * OpenAPI paths of privacy: the PII inventory, matchers and classify routes, and a source's
 * observed schema and draft plan (Bearer admin token). Merged into the document of `openapi.ts`.
 */

type Schema = Record<string, unknown>

const json = (schema: Schema) => ({ content: { 'application/json': { schema } } })
const str = { type: 'string' }
const nullableStr = { type: ['string', 'null'] }
const int = { type: 'integer' }
const time = { type: 'string', format: 'date-time' }
const obj = (properties: Schema, extra: Schema = {}) => ({ type: 'object', properties, ...extra })
const array = (items: Schema) => ({ type: 'array', items })
const piiClass = { type: ['string', 'null'], enum: ['restricted', 'sensitive', 'personal', null] }
const typeCounts = {
  type: 'object',
  additionalProperties: int,
  description: 'Occurrences per JSON type',
}

const q = (name: string, description: string, extra: Schema = {}) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'string', ...extra },
})
const sourceId = { name: 'id', in: 'path', required: true, description: 'Source id', schema: str }

const adminError = obj({
  error: obj(
    { code: str, message: str, details: { type: 'object' }, requestId: str },
    { required: ['code', 'message'] },
  ),
})
const errors = {
  '400': {
    description: 'Invalid request or cursor (API_INVALID_REQUEST, PRIVACY_INVALID_CURSOR)',
    ...json(adminError),
  },
  '401': { description: 'Missing or wrong admin token', ...json(adminError) },
}
const notFound = {
  '404': { description: 'No such source (PRIVACY_SOURCE_NOT_FOUND)', ...json(adminError) },
}

const inventoryRow = obj({
  sourceId: str,
  eventType: str,
  event: { type: 'string', description: "Track event, page or screen name; '' for other types" },
  field: { type: 'string', description: 'Dotted path, array elements as `$`' },
  class: piiClass,
  kind: nullableStr,
  types: typeCounts,
  count: int,
  firstSeen: time,
  lastSeen: time,
})
const matcher = obj({
  id: str,
  source: { enum: ['default', 'custom'] },
  on: { enum: ['key', 'value'] },
  kind: str,
  class: { enum: ['restricted', 'sensitive', 'personal', 'none'] },
  matches: array(str),
})
const piiRule = obj({
  class: { enum: ['restricted', 'sensitive', 'personal'] },
  action: { enum: ['block', 'hash', 'mask', 'allow'] },
  scope: { enum: ['global', 'destinations'] },
  destinations: { ...array(str), type: ['array', 'null'] },
  stage: {
    enum: ['ingest', 'delivery'],
    description:
      "Where it acts: `ingest` (global: the store step, before storing) or `delivery` (the named destinations' lanes)",
  },
})
const property = obj({
  path: str,
  types: typeCounts,
  count: int,
  frequency: {
    type: 'number',
    description: "Percent of the event's occurrences holding the field",
  },
  firstSeen: time,
  lastSeen: time,
  piiClass,
  piiKind: nullableStr,
})
const observedEvent = obj({
  type: str,
  name: str,
  count: int,
  firstSeen: time,
  lastSeen: time,
  fields: int,
  droppedFields: { type: 'integer', description: 'New paths not recorded past the per-event cap' },
  properties: { ...array(property), description: 'Most frequent first, at most 300' },
  truncated: { type: 'boolean' },
})
const planRule = obj({
  type: { enum: ['TRACK', 'IDENTIFY', 'GROUP', 'PAGE', 'SCREEN'] },
  key: str,
  jsonSchema: { type: 'object' },
})

export function privacyPaths(): Record<string, unknown> {
  return {
    '/api/v1/privacy/inventory': {
      get: {
        tags: ['Privacy'],
        summary:
          'PII field inventory: which field of which event in which source holds which class',
        parameters: [
          q('source', 'Source id'),
          q('type', 'Event type (track, identify, page, …)'),
          q('event', "Event name ('' for identify and group)"),
          q('class', 'restricted, sensitive, personal, none, pii (any class, default) or all', {
            enum: ['restricted', 'sensitive', 'personal', 'none', 'pii', 'all'],
          }),
          q('limit', '1 to 1,000 (default 100)', { type: 'integer' }),
          q('cursor', 'From `next` of the previous page'),
          q('format', '`csv` for a CSV export (also `Accept: text/csv`), up to 100,000 rows', {
            enum: ['json', 'csv'],
          }),
        ],
        responses: {
          '200': {
            description: 'A page of fields, or the CSV export',
            content: {
              'application/json': { schema: obj({ data: array(inventoryRow), next: nullableStr }) },
              'text/csv': { schema: str },
            },
          },
          ...errors,
        },
      },
    },
    '/api/v1/privacy/matchers': {
      get: {
        tags: ['Privacy'],
        summary: 'Matchers in force: custom ones first, then the defaults, in the order tried',
        responses: { '200': json(obj({ data: array(matcher) })), ...errors },
      },
    },
    '/api/v1/privacy/rules': {
      get: {
        tags: ['Privacy'],
        summary:
          'PII rules of the config, in order: per-destination ones run in those delivery lanes; global ones in the store step before storing',
        responses: { '200': json(obj({ data: array(piiRule) })), ...errors },
      },
    },
    '/api/v1/privacy/classify': {
      post: {
        tags: ['Privacy'],
        summary:
          "Classify a sample payload's fields (properties, traits, context) with the matchers in force",
        requestBody: {
          required: true,
          ...json(obj({ payload: { type: 'object' } }, { required: ['payload'] })),
        },
        responses: {
          '200': json(
            obj({
              data: array(
                obj({
                  field: str,
                  kind: str,
                  class: piiClass,
                  by: { enum: ['key', 'value'] },
                  matcher: str,
                }),
              ),
            }),
          ),
          ...errors,
        },
      },
    },
    '/api/v1/sources/{id}/schema': {
      get: {
        tags: ['Privacy'],
        summary:
          "A source's observed schema: events, their fields, types, frequency, first and last seen",
        parameters: [sourceId],
        responses: {
          '200': json(obj({ sourceId: str, events: array(observedEvent) })),
          ...errors,
          ...notFound,
        },
      },
    },
    '/api/v1/sources/{id}/schema/draft-plan': {
      post: {
        tags: ['Privacy'],
        summary: 'Draft a tracking plan body from the observed schema (not saved)',
        parameters: [sourceId],
        responses: {
          '200': json(obj({ name: str, description: str, rules: array(planRule) })),
          ...errors,
          ...notFound,
        },
      },
    },
  }
}
