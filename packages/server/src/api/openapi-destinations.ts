/* eslint-disable max-lines -- one description per route, answers spelled out in full */
/**
 * OpenAPI paths of destinations (destination-routes.ts): CRUD, the catalog, metrics, error
 * samples, dead letters, backfills, the event tester, filter previews and event traces. Bearer
 * admin token, like every `/api/v1/*` path. Request bodies and query parameters are generated
 * from the zod schemas the routes parse them with; answers are described by hand.
 * Merged into the document of `openapi.ts`.
 */
import { z } from 'zod'
import {
  deliveryOptionsSchema,
  destinationFilterSchema,
  destinationInputSchema,
  subscriptionSchema,
} from '../destinations/index.js'
import {
  backfillBodySchema,
  catalogQuerySchema,
  deadLetterQuerySchema,
  deadLetterSelectorSchema,
  filterPreviewSchema,
  metricsQuerySchema,
  testBodySchema,
} from './destination-schemas.js'

type Schema = Record<string, unknown>

/** JSON Schema (2020-12, the dialect of OpenAPI 3.1) of a zod schema, without `$schema`. */
function fromZod(schema: z.ZodType, io: 'input' | 'output' = 'input'): Schema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io }) as Schema
  return rest
}

/** Query parameters generated from a route's query schema, with their descriptions. */
function queryFromZod(schema: z.ZodType, descriptions: Record<string, string>): Schema[] {
  const json = fromZod(schema) as { properties: Record<string, Schema>; required?: string[] }
  return Object.entries(json.properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    description: descriptions[name] ?? '',
    schema: property,
  }))
}

const json = (schema: Schema) => ({ content: { 'application/json': { schema } } })
const str = { type: 'string' }
const int = { type: 'integer' }
const bool = { type: 'boolean' }
const ms = { type: 'integer', description: 'Epoch ms' }
const nullable = (schema: Schema) => ({ oneOf: [schema, { type: 'null' }] })
const nullableStr = { type: ['string', 'null'] }
const nullableMs = { type: ['integer', 'null'], description: 'Epoch ms' }
const obj = (properties: Schema, extra: Schema = {}) => ({ type: 'object', properties, ...extra })
/** An object whose every property is always present. */
const all = (properties: Schema, extra: Schema = {}) =>
  obj(properties, { required: Object.keys(properties), ...extra })
const array = (items: Schema) => ({ type: 'array', items })
/** `{name: schema}` for each name. */
const each = (schema: Schema, ...names: string[]) =>
  Object.fromEntries(names.map((name) => [name, schema]))
const stringMap = { type: 'object', additionalProperties: str }
const ok = (description: string, schema: Schema) => ({ description, ...json(schema) })

const adminError = obj({
  error: obj(
    {
      code: { type: 'string', description: 'Stable code, see docs/errors.md' },
      message: str,
      details: { type: 'object' },
      requestId: str,
    },
    { required: ['code', 'message'] },
  ),
})
const fail = (description: string) => ({ description, ...json(adminError) })
const unauthorized = { '401': fail('Missing or wrong admin token (API_UNAUTHORIZED)') }
const badQuery = fail('Invalid query or body (API_INVALID_REQUEST)')
const noDestination = fail('No destination has this id (DESTINATIONS_NOT_FOUND)')
const managed = fail(
  'The config file defines the destinations; the API is read-only (DESTINATIONS_MANAGED)',
)
const unreadable = fail(
  'A stored secret cannot be decrypted with the configured key (DESTINATIONS_SECRET_UNREADABLE)',
)

const pathParam = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: str,
})
const idParam = pathParam('id', 'Destination id')

// Request bodies, from the zod schemas.
const destinationInput = fromZod(destinationInputSchema)
/** PUT and the tester: the id comes from the path (an `id` in the body is ignored). */
const destinationWithoutId = {
  ...destinationInput,
  required: (destinationInput.required as string[]).filter((key) => key !== 'id'),
}
const testBody = ((body: { properties: Schema }) => ({
  ...body,
  properties: {
    event: {
      ...(body.properties.event as Schema),
      description:
        'A Segment event; `type` (default track), `messageId` and `timestamp` are filled in when absent',
    },
    destination: {
      ...destinationWithoutId,
      description: 'Test this unsaved config instead of the stored destination',
    },
  },
}))(fromZod(testBodySchema) as { properties: Schema })
const previewBody = ((body: { properties: Record<string, Schema> }) => ({
  ...body,
  properties: {
    ...body.properties,
    // Each filter is then parsed with the destination filter schema.
    filters: { ...body.properties.filters, items: fromZod(destinationFilterSchema) },
  },
}))(fromZod(filterPreviewSchema) as { properties: Record<string, Schema> })

// Answers.
const exchange = all({
  request: all({ ...each(str, 'method', 'url', 'body'), headers: stringMap }),
  response: nullable(all({ status: int, headers: stringMap, body: str })),
})
const deliveryError = obj(
  {
    code: { type: 'string', description: 'HTTP_500, ECONNREFUSED, TIMEOUT, …' },
    message: str,
    httpStatus: int,
    sample: exchange,
  },
  { required: ['code', 'message'] },
)
const attempt = all({
  at: ms,
  durationMs: int,
  httpStatus: { type: ['integer', 'null'] },
  ...each(nullableStr, 'code', 'message'),
})
const destinationFilter = ((filter: Schema) => ({
  ...filter,
  required: [...new Set(['id', ...((filter.required as string[] | undefined) ?? [])])],
}))(fromZod(destinationFilterSchema, 'output'))
const destinationConfig = all({
  ...each(str, 'id', 'name', 'type'),
  enabled: bool,
  sourceIds: { type: ['array', 'null'], items: str },
  settings: { type: 'object', description: 'Secret settings are masked as ••••••••' },
  filters: array(destinationFilter),
  subscriptions: array(fromZod(subscriptionSchema, 'output')),
  consentCategories: array(str),
  marketing: bool,
  channel: nullableStr,
  contentType: nullableStr,
  delivery: fromZod(deliveryOptionsSchema, 'output'),
})
const backoff = all({
  attempts: int,
  ...each(ms, 'firstFailureAt', 'nextAt'),
  lastError: deliveryError,
  history: { ...array(attempt), description: 'The last 20 failed attempts' },
})
const destinationRecord = all({
  config: destinationConfig,
  createdAt: { ...nullableMs, description: 'Epoch ms; null when the config file defines it' },
  updatedAt: nullableMs,
  managed: { type: 'boolean', description: 'Defined in the config file; read-only here' },
  status: all({
    state: { enum: ['running', 'disabled', 'error', 'starting'] },
    problem: { ...nullableStr, description: 'Why it does not run (state error)' },
    cursor: { type: ['integer', 'null'], description: 'Last seq handled' },
    lag: { type: ['integer', 'null'], description: 'Stored events after the cursor' },
    backoff: { ...nullable(backoff), description: 'Set while every request fails' },
  }),
})
const counters = {
  ...each(int, 'delivered', 'retried', 'failed', 'filtered', 'deadLettered'),
  filteredConsent: { type: 'integer', description: 'Of filtered: by end user consent' },
  filteredPreference: { type: 'integer', description: 'Of filtered: channel or content opt-out' },
  filteredRestriction: { type: 'integer', description: 'Of filtered: restricted processing' },
  ...each({ type: ['number', 'null'] }, 'latencyP50Ms', 'latencyP95Ms', 'latencyP99Ms'),
}
const deadLetter = all({
  ...each(int, 'id', 'seq'),
  ...each(str, 'destinationId', 'messageId', 'sourceId', 'eventType'),
  eventName: nullableStr,
  payload: { type: 'string', description: 'The event as stored (JSON text)' },
  error: deliveryError,
  attempts: array(attempt),
  ...each(ms, 'receivedAt', 'firstAttemptAt', 'failedAt'),
  replayedAt: nullableMs,
})
const backfill = all({
  ...each(str, 'id', 'destinationId'),
  from: { ...ms, description: 'receivedAt ≥ this (epoch ms)' },
  to: { ...ms, description: 'receivedAt < this (epoch ms)' },
  ...each(int, 'startSeq', 'endSeq'),
  position: { type: 'integer', description: 'Seq reached' },
  status: { enum: ['running', 'done', 'cancelled'] },
  events: { type: 'integer', description: 'Events sent so far' },
  createdAt: ms,
  finishedAt: nullableMs,
})
const catalogItem = all({ ...each(str, 'type', 'name', 'description'), builtin: bool })
const outcome = {
  oneOf: [
    obj({ status: { const: 'delivered' }, sample: exchange }, { required: ['status'] }),
    obj(
      { status: { const: 'retry' }, afterMs: int, error: deliveryError },
      { required: ['status', 'error'] },
    ),
    all({ status: { const: 'failed' }, error: deliveryError }),
    all({ status: { const: 'skipped' }, reason: str }),
  ],
}
const kept = {
  oneOf: [all({ kept: { const: true } }), all({ kept: { const: false }, reason: str })],
}
const traceBase = each(str, 'destinationId', 'name', 'type')
const trace = (status: string, more: Schema = {}) =>
  all({ ...traceBase, status: { const: status }, ...more })

const tags = ['Destinations']
/** An operation; every one also answers 401 without a valid admin token. */
const op = (operationId: string, summary: string, rest: Schema & { responses: Schema }) => ({
  tags,
  operationId,
  summary,
  ...rest,
  responses: { ...rest.responses, ...unauthorized },
})
const body = (schema: Schema, required = true) => ({ required, ...json(schema) })
const selector = {
  ...fromZod(deadLetterSelectorSchema),
  description: 'Dead letter ids, or every dead letter matching from/to (failedAt) and errorCode',
}

const crudPaths = {
  '/api/v1/destinations': {
    get: op('listDestinations', 'List destinations with their delivery status', {
      responses: {
        '200': ok('Destinations', all({ managed: bool, data: array(destinationRecord) })),
        '500': unreadable,
      },
    }),
    post: op('createDestination', 'Create a destination (not when the config file defines them)', {
      requestBody: body(destinationInput),
      responses: {
        '201': ok('Created', destinationRecord),
        '400': fail('Invalid config, settings, filters or type (DESTINATIONS_INVALID)'),
        '409': fail('Id taken (DESTINATIONS_EXISTS), or managed (DESTINATIONS_MANAGED)'),
      },
    }),
  },
  '/api/v1/destinations/{id}': {
    parameters: [idParam],
    get: op('getDestination', 'One destination with its delivery status', {
      responses: {
        '200': ok('The destination', destinationRecord),
        '404': noDestination,
        '500': unreadable,
      },
    }),
    put: op(
      'replaceDestination',
      'Replace a destination; a secret sent back masked keeps its stored value',
      {
        requestBody: body(destinationWithoutId),
        responses: {
          '200': ok('Replaced', destinationRecord),
          '400': fail('Invalid config (DESTINATIONS_INVALID)'),
          '404': noDestination,
          '409': managed,
        },
      },
    ),
    delete: op(
      'deleteDestination',
      'Delete a destination with its lane, retries, dead letters and metrics',
      {
        responses: {
          '204': { description: 'Deleted' },
          '404': noDestination,
          '409': managed,
        },
      },
    ),
  },
  '/api/v1/destinations/validate': {
    post: op('validateDestination', 'Check a destination config without storing it', {
      requestBody: body(destinationInput),
      responses: {
        '200': ok('Problems as `path: message`; empty when valid', all({ problems: array(str) })),
      },
    }),
  },
}

const catalogPaths = {
  '/api/v1/catalog': {
    get: op('listCatalog', 'Built-in types and catalog destinations, filtered by type or name', {
      parameters: queryFromZod(catalogQuerySchema, {
        q: 'Case-insensitive text in the type or name',
        limit: '1 to 500, default 500',
      }),
      responses: {
        '200': ok(
          'Kinds (total counts every match)',
          all({ data: array(catalogItem), total: int }),
        ),
        '400': badQuery,
      },
    }),
  },
  '/api/v1/catalog/{type}': {
    parameters: [pathParam('type', 'Built-in type or catalog slug')],
    get: op('getCatalogEntry', 'One destination type: its settings schema, actions, presets', {
      responses: {
        '200': ok(
          'The type',
          all({
            ...catalogItem.properties,
            settingsSchema: { type: 'object', description: 'JSON Schema of `settings`' },
            secrets: { ...array(str), description: 'Secret setting keys' },
            maxBatchSize: int,
            usesSubscriptions: bool,
            actions: {
              type: ['object', 'array'],
              description:
                'Catalog actions by key (title, description, batch, fields); [] for built-ins',
            },
            presets: array(
              obj(
                { name: str, partnerAction: str, subscribe: str, type: str },
                { required: ['name', 'partnerAction', 'subscribe'] },
              ),
            ),
          }),
        ),
        '400': fail('Unknown type (DESTINATIONS_UNKNOWN_TYPE)'),
      },
    }),
  },
}

const deliveryPaths = {
  '/api/v1/destinations/{id}/metrics': {
    parameters: [idParam],
    get: op('getDestinationMetrics', 'Delivery counters and latency per minute', {
      parameters: queryFromZod(metricsQuerySchema, {
        since: 'Epoch ms, default 24 hours before until',
        until: 'Epoch ms, default now + 1 minute',
      }),
      responses: {
        '200': ok(
          'Totals over [since, until) and each minute with data, oldest first',
          all({
            since: ms,
            until: ms,
            totals: all(counters),
            minutes: array(all({ minute: ms, ...counters })),
          }),
        ),
        '400': badQuery,
        '404': noDestination,
      },
    }),
  },
  '/api/v1/destinations/{id}/errors': {
    parameters: [idParam],
    get: op('listDestinationErrors', 'The 50 most recent delivery errors, newest first', {
      responses: {
        '200': ok(
          'Error samples',
          all({
            data: array(
              all({
                id: int,
                destinationId: str,
                at: ms,
                messageId: nullableStr,
                error: deliveryError,
              }),
            ),
          }),
        ),
        '404': noDestination,
      },
    }),
  },
  '/api/v1/destinations/{id}/dead-letters': {
    parameters: [idParam],
    get: op('listDeadLetters', 'Dead letters, newest first (not replayed ones by default)', {
      parameters: queryFromZod(deadLetterQuerySchema, {
        from: 'failedAt ≥ this (epoch ms)',
        to: 'failedAt < this (epoch ms)',
        errorCode: 'Only this error code',
        includeReplayed: 'true: also dead letters already replayed',
        cursor: 'The `next` value of the previous page',
        limit: '1 to 500, default 50',
      }),
      responses: {
        '200': ok('A page', all({ data: array(deadLetter), next: nullableStr })),
        '400': fail('Invalid query or cursor'),
        '404': noDestination,
      },
    }),
  },
  '/api/v1/destinations/{id}/dead-letters/replay': {
    parameters: [idParam],
    post: op('replayDeadLetters', 'Queue dead letters (not replayed yet) for delivery again', {
      requestBody: body(selector, false),
      responses: {
        '200': ok('How many were queued', all({ replayed: int })),
        '400': badQuery,
        '404': noDestination,
      },
    }),
  },
  '/api/v1/destinations/{id}/dead-letters/delete': {
    parameters: [idParam],
    post: op('deleteDeadLetters', 'Delete dead letters', {
      requestBody: body(selector, false),
      responses: {
        '200': ok('How many were deleted', all({ deleted: int })),
        '400': badQuery,
        '404': noDestination,
      },
    }),
  },
  '/api/v1/destinations/{id}/backfills': {
    parameters: [idParam],
    get: op('listBackfills', 'Backfills of the destination, newest first (at most 100)', {
      responses: {
        '200': ok('Backfills', all({ data: array(backfill) })),
        '404': noDestination,
      },
    }),
    post: op('createBackfill', 'Send again the stored events received in [from, to)', {
      requestBody: {
        required: true,
        ...json({ ...fromZod(backfillBodySchema), description: 'Epoch ms; from < to' }),
      },
      responses: {
        '201': ok('The backfill', backfill),
        '400': badQuery,
        '404': noDestination,
      },
    }),
  },
}

const toolPaths = {
  '/api/v1/destinations/{id}/test': {
    parameters: [idParam],
    post: op(
      'testDestination',
      'Send one event to the destination (stored, or the config in the body); filters do not apply',
      {
        requestBody: body(testBody),
        responses: {
          '200': ok(
            'Outcome, routing decision, every request made (secrets masked)',
            all({ outcome, routing: kept, exchanges: array(exchange), durationMs: int }),
          ),
          '400': fail('Invalid body (API_INVALID_REQUEST) or config (DESTINATIONS_INVALID)'),
          '404': fail('No stored destination has this id and no config was sent'),
          '500': unreadable,
        },
      },
    ),
  },
  '/api/v1/destinations/filters/preview': {
    post: op('previewFilters', 'Run destination filters on an event', {
      requestBody: body(previewBody),
      responses: {
        '200': ok('Kept (with the event as changed by the filters) or dropped, and FQL problems', {
          oneOf: [
            all({ kept: { const: true }, event: { type: 'object' }, problems: array(str) }),
            all({ kept: { const: false }, reason: str, problems: array(str) }),
          ],
        }),
        '400': fail('Invalid body (API_INVALID_REQUEST) or filter (DESTINATIONS_INVALID_REQUEST)'),
      },
    }),
  },
  '/api/v1/events/{messageId}/deliveries': {
    parameters: [pathParam('messageId', 'messageId of a stored event')],
    get: op('traceEventDeliveries', 'Where one stored event went, at every destination', {
      responses: {
        '200': ok(
          'The event and its state at each destination',
          all({
            messageId: str,
            seq: int,
            sourceId: str,
            destinations: array({
              oneOf: [
                trace('disabled'),
                trace('filtered', {
                  reason: {
                    type: 'string',
                    description:
                      'source, integrations, unreadable, a filter id, consent, preference or restriction',
                  },
                  detail: { ...nullableStr, description: 'Why a privacy rule discarded it' },
                }),
                trace('dead-lettered', { error: deliveryError, attempts: int, deadLetterId: int }),
                trace('retrying', { attempts: int, nextAttemptAt: ms }),
                trace('pending'),
                trace('not-sent', { reason: str }),
                trace('delivered', {
                  replays: { type: 'integer', description: 'Dead letters of it replayed' },
                }),
              ],
            }),
          }),
        ),
        '404': fail('No stored event has this messageId (DESTINATIONS_NOT_FOUND)'),
        '500': unreadable,
      },
    }),
  },
}

/** Every destination path of the OpenAPI document (tag `Destinations`). */
export function destinationPaths(): Record<string, unknown> {
  return { ...crudPaths, ...catalogPaths, ...deliveryPaths, ...toolPaths }
}
