/**
 * OpenAPI paths of data-subject requests (`/api/v1/regulations…`, `/api/v1/suppressions`,
 * Bearer admin token), shaped like Segment's Public API (Deletion and Suppression). Merged
 * into the document of `openapi.ts`.
 */
import { REGULATION_STATUSES, REGULATION_TYPES } from '../regulations/index.js'

type Schema = Record<string, unknown>

const json = (schema: Schema) => ({ content: { 'application/json': { schema } } })
const str = { type: 'string' }
const int = { type: 'integer' }
const nullableStr = { type: ['string', 'null'] }
const time = { type: 'string', format: 'date-time' }
const nullableTime = { type: ['string', 'null'], format: 'date-time' }
const obj = (properties: Schema, extra: Schema = {}) => ({ type: 'object', properties, ...extra })
const array = (items: Schema) => ({ type: 'array', items })
const status = { enum: [...REGULATION_STATUSES] }
const data = (schema: Schema) => obj({ data: schema }, { required: ['data'] })

const adminError = obj({
  error: obj(
    { code: str, message: str, details: { type: 'object' }, requestId: str },
    { required: ['code', 'message'] },
  ),
})
const unauthorized = { description: 'Missing or wrong admin token', ...json(adminError) }
const notFound = { description: 'No such regulation (REGULATIONS_NOT_FOUND)', ...json(adminError) }
const idParam = {
  name: 'regulateId',
  in: 'path',
  required: true,
  description: 'The id returned at creation',
  schema: str,
}

/** Segment's per-destination status, used for stores too. */
const taskStatus = obj({
  name: str,
  id: { type: 'string', description: 'Store name or destination id' },
  status,
  errString: nullableStr,
  finishedAt: nullableTime,
})
const summary = obj({
  id: str,
  overallStatus: status,
  regulationType: { enum: [...REGULATION_TYPES] },
  subjectType: str,
  subjectIds: array(str),
  createdAt: time,
  finishedAt: nullableTime,
})
const regulation = obj({
  ...summary.properties,
  profiles: { ...array(str), description: 'Profiles the subject resolved to at request time' },
  stores: array(taskStatus),
  destinations: array(taskStatus),
})
const counts = { type: 'object', additionalProperties: int }
const restriction = obj({
  profileId: str,
  restricted: { type: 'boolean' },
  identifiers: array(
    obj({ type: str, value: str, setOnProfile: str, actor: str, createdAt: time }),
  ),
})

export function regulationPaths(): Record<string, unknown> {
  return {
    '/api/v1/regulations': {
      post: {
        tags: ['Regulations'],
        summary: 'Create a data-subject request (deletion, suppression), as Segment',
        description:
          'The subject covers the whole resolved profile: every identifier of the profiles ' +
          'the ids resolve to. Suppression applies at once; deletions run in the background.',
        requestBody: {
          required: true,
          ...json(
            obj(
              {
                regulationType: { enum: [...REGULATION_TYPES] },
                subjectType: {
                  type: 'string',
                  description: 'USER_ID, ANONYMOUS_ID, EMAIL or an identifier type (phone, …)',
                },
                subjectIds: { ...array(str), minItems: 1, maxItems: 5000 },
              },
              { required: ['regulationType', 'subjectType', 'subjectIds'] },
            ),
          ),
        },
        responses: {
          '200': { description: 'Accepted', ...json(data(obj({ regulateId: str }))) },
          '400': { description: 'REGULATIONS_* validation error', ...json(adminError) },
          '401': unauthorized,
        },
      },
      get: {
        tags: ['Regulations'],
        summary: 'List requests, newest first',
        parameters: [
          { name: 'status', in: 'query', schema: status },
          { name: 'limit', in: 'query', schema: { ...int, minimum: 1, maximum: 200 } },
          { name: 'cursor', in: 'query', schema: str },
        ],
        responses: {
          '200': {
            description: 'A page',
            ...json(
              data(obj({ regulations: array(summary), pagination: obj({ next: nullableStr }) })),
            ),
          },
          '400': { description: 'Invalid query or cursor', ...json(adminError) },
          '401': unauthorized,
        },
      },
    },
    '/api/v1/regulations/{regulateId}': {
      parameters: [idParam],
      get: {
        tags: ['Regulations'],
        summary: 'Status overall and per store and destination',
        responses: {
          '200': { description: 'The request', ...json(data(obj({ regulation }))) },
          '401': unauthorized,
          '404': notFound,
        },
      },
    },
    '/api/v1/regulations/{regulateId}/report': {
      parameters: [idParam],
      get: {
        tags: ['Regulations'],
        summary: 'Completion report: rows removed per store and table, with timings',
        responses: {
          '200': {
            description: 'The report',
            ...json(
              data(
                obj({
                  regulateId: str,
                  regulationType: str,
                  status,
                  subject: obj({ profiles: int, identifiers: int }),
                  createdAt: time,
                  finishedAt: nullableTime,
                  durationMs: { type: ['integer', 'null'] },
                  queuedMs: { type: ['integer', 'null'] },
                  totals: counts,
                  steps: array(
                    obj({
                      kind: { enum: ['store', 'destination', 'suppression'] },
                      name: str,
                      id: str,
                      status,
                      removed: counts,
                      durationMs: { type: ['integer', 'null'] },
                      errString: nullableStr,
                    }),
                  ),
                }),
              ),
            ),
          },
          '401': unauthorized,
          '404': notFound,
        },
      },
    },
    '/api/v1/profiles/{id}/restriction': {
      parameters: [
        { name: 'id', in: 'path', required: true, description: 'Profile id', schema: str },
      ],
      ...Object.fromEntries(
        (
          [
            ['get', 'Whether processing of the profile is restricted'],
            ['post', 'Restrict processing (kept out of profiling and marketing); idempotent'],
            ['delete', 'Lift the restriction'],
          ] as const
        ).map(([method, summary]) => [
          method,
          {
            tags: ['Regulations'],
            summary,
            responses: {
              '200': { description: 'The restriction state', ...json(data(restriction)) },
              '401': unauthorized,
              '404': {
                description: 'No such profile (REGULATIONS_NOT_FOUND)',
                ...json(adminError),
              },
            },
          },
        ]),
      ),
    },
    '/api/v1/subject-access': {
      post: {
        tags: ['Regulations'],
        summary: 'Access export: everything held about a person, as one JSON document',
        requestBody: {
          required: true,
          ...json(
            obj(
              {
                subjectType: str,
                subjectIds: { ...array(str), minItems: 1, maxItems: 100 },
              },
              { required: ['subjectType', 'subjectIds'] },
            ),
          ),
        },
        responses: {
          '200': {
            description:
              'Profiles (traits with provenance, identifiers, merge history, events, consent ' +
              'state and history, preferences), trait corrections, rejected and quarantined ' +
              'events, delivery retries and dead letters, regulations naming the person, ' +
              'suppression and restriction records',
            ...json(
              data(
                obj({
                  generatedAt: time,
                  subjectType: str,
                  subjectIds: array(str),
                  profiles: array(
                    obj({
                      profile: { type: 'object' },
                      mergeHistory: array({ type: 'object' }),
                      events: array({ type: 'object' }),
                      eventsTruncated: { type: 'boolean' },
                      consent: obj({
                        categories: { type: 'object' },
                        updatedAt: { type: ['integer', 'null'] },
                        history: array({ type: 'object' }),
                      }),
                      preferences: { type: 'object' },
                    }),
                  ),
                  traitCorrections: array({ type: 'object' }),
                  rejectedEvents: array({ type: 'object' }),
                  quarantinedEvents: array({ type: 'object' }),
                  delivery: obj({
                    retries: array({ type: 'object' }),
                    deadLetters: array({ type: 'object' }),
                  }),
                  regulations: array(summary),
                  suppressions: array({ type: 'object' }),
                  restrictions: array({ type: 'object' }),
                  truncated: {
                    type: 'object',
                    description: 'Per capped section (10,000 rows), whether rows were left out',
                    additionalProperties: { type: 'boolean' },
                  },
                }),
              ),
            ),
          },
          '400': { description: 'REGULATIONS_INVALID_REQUEST', ...json(adminError) },
          '401': unauthorized,
        },
      },
    },
    '/api/v1/suppressions': {
      get: {
        tags: ['Regulations'],
        summary: 'Suppressed identifiers (their new events are answered 200 and not stored)',
        responses: {
          '200': {
            description: 'Every suppressed identifier',
            ...json(
              data(
                obj({
                  suppressions: array(
                    obj({ type: str, value: str, regulateId: str, createdAt: time }),
                  ),
                }),
              ),
            ),
          },
          '401': unauthorized,
        },
      },
    },
  }
}
