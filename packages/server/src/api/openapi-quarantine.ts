/**
 * OpenAPI paths of tracking-plan enforcement (quarantine-routes.ts): the quarantine (list,
 * get, edit, replay, discard), grouped violations and per-minute plan stats of a source.
 * Bodies and query parameters come from the zod schemas the routes parse them with. Merged
 * into the document of `openapi.ts`.
 */
import { z } from 'zod'
import { editBodySchema, quarantineQuerySchema, replayBodySchema } from './quarantine-routes.js'

type Schema = Record<string, unknown>

function fromZod(schema: z.ZodType): Schema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Schema
  return rest
}

function queryFromZod(schema: z.ZodType, descriptions: Record<string, string>): Schema[] {
  const json = fromZod(schema) as { properties: Record<string, Schema> }
  return Object.entries(json.properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: false,
    description: descriptions[name] ?? '',
    schema: property,
  }))
}

const json = (schema: Schema) => ({ content: { 'application/json': { schema } } })
const str = { type: 'string' }
const int = { type: 'integer' }
const array = (items: Schema) => ({ type: 'array', items })
const obj = (properties: Schema) => ({ type: 'object', properties })
const error = json(
  obj({ error: obj({ code: str, message: str, details: { type: 'object' }, requestId: str }) }),
)
const fail = (description: string) => ({ description, ...error })
const common = {
  '400': fail('Invalid query or body (API_INVALID_REQUEST)'),
  '401': fail('Missing or wrong admin token (API_UNAUTHORIZED)'),
}
const notFound = { '404': fail('No quarantined event has this id (QUARANTINE_NOT_FOUND)') }
const notOpen = {
  '409': fail('The event was already replayed or discarded (QUARANTINE_NOT_QUARANTINED)'),
}
const noSource = { '404': fail('No source has this id (SOURCES_NOT_FOUND)') }
const violation = obj({ type: str, field: str, description: str })
const quarantined = obj({
  id: str,
  sourceId: str,
  messageId: str,
  receivedAt: str,
  type: str,
  name: { type: ['string', 'null'] },
  event: { type: 'object', description: 'The event as received, or as last edited' },
  violations: array(violation),
  step: { type: 'string', description: 'The gate step that blocked it (plan)' },
  planId: { type: ['string', 'null'] },
  planRevision: { type: ['integer', 'null'] },
  status: { enum: ['quarantined', 'replayed', 'discarded'] },
  quarantinedAt: str,
  updatedAt: str,
})
const idParam = { name: 'id', in: 'path', required: true, schema: str }
const tags = ['Quarantine and violations']

export function quarantinePaths(): Record<string, unknown> {
  return {
    '/api/v1/quarantine': {
      get: {
        tags,
        summary: 'List quarantined events, newest first',
        parameters: queryFromZod(quarantineQuerySchema, {
          sourceId: 'Only this source',
          event: 'Only this track event or page/screen name',
          violationType: 'Only events with a violation of this type',
          status: 'quarantined, replayed or discarded',
          since: 'Received at or after (ISO-8601 or epoch ms)',
          until: 'Received before (ISO-8601 or epoch ms)',
          limit: 'Page size (1-1000, default 100)',
          cursor: '`next` of the previous page',
        }),
        responses: {
          '200': json(obj({ data: array(quarantined), next: { type: ['string', 'null'] } })),
          ...common,
          '400': fail('Invalid query (API_INVALID_REQUEST) or cursor (QUARANTINE_INVALID_CURSOR)'),
        },
      },
    },
    '/api/v1/quarantine/{id}': {
      parameters: [idParam],
      get: {
        tags,
        summary: 'One quarantined event',
        responses: { '200': json(quarantined), ...common, ...notFound },
      },
      patch: {
        tags,
        summary: 'Edit a quarantined event (fix it before a replay); it keeps its messageId',
        requestBody: json(fromZod(editBodySchema)),
        responses: {
          '200': json(quarantined),
          ...common,
          '400': fail('Not a valid Segment event (QUARANTINE_INVALID_EVENT)'),
          ...notFound,
          ...notOpen,
        },
      },
      delete: {
        tags,
        summary: 'Discard a quarantined event (it stays listed with status discarded)',
        responses: { '204': { description: 'Discarded' }, ...common, ...notFound, ...notOpen },
      },
    },
    '/api/v1/quarantine/replay': {
      post: {
        tags,
        summary:
          'Append quarantined events to the log again (by ids, or by filter up to 10,000); they pass the gate against the current plan',
        requestBody: json(fromZod(replayBodySchema)),
        responses: {
          '200': json(
            obj({
              replayed: int,
              failed: array(obj({ id: str, code: str, reason: str })),
            }),
          ),
          ...common,
          '400': fail('Invalid body, or more than 10,000 ids (QUARANTINE_REPLAY_TOO_MANY)'),
          ...notFound,
          ...notOpen,
        },
      },
    },
    '/api/v1/sources/{id}/violations': {
      parameters: [idParam],
      get: {
        tags,
        summary: 'Violations of a source grouped by event, field and type over 1h, 24h or 7d',
        parameters: [
          { name: 'window', in: 'query', schema: { enum: ['1h', '24h', '7d'], default: '24h' } },
        ],
        responses: {
          '200': json(
            obj({
              window: str,
              since: str,
              data: array(
                obj({
                  eventType: str,
                  eventName: str,
                  field: str,
                  violationType: str,
                  count: int,
                  firstSeen: str,
                  lastSeen: str,
                  lastMessageId: str,
                  lastDescription: str,
                }),
              ),
            }),
          ),
          ...common,
          ...noSource,
        },
      },
    },
    '/api/v1/sources/{id}/plan-stats': {
      parameters: [idParam],
      get: {
        tags,
        summary: 'Plan checks of a source per minute and event (default: the last hour)',
        parameters: [
          { name: 'since', in: 'query', schema: str },
          { name: 'until', in: 'query', schema: str },
        ],
        responses: {
          '200': json(
            obj({
              data: array(
                obj({
                  minute: str,
                  eventType: str,
                  eventName: str,
                  checked: int,
                  passed: int,
                  violated: int,
                  blocked: int,
                  omitted: int,
                }),
              ),
            }),
          ),
          ...common,
          ...noSource,
        },
      },
    },
  }
}
