import { consentPaths } from './openapi-consent.js'
import { destinationPaths } from './openapi-destinations.js'
import { trackingPlanPaths } from './openapi-tracking-plans.js'
import { quarantinePaths } from './openapi-quarantine.js'
import { governancePaths } from './openapi-governance.js'
import { identityPaths, profileApiSecurityScheme } from './openapi-identity.js'
import { privacyPaths } from './openapi-privacy.js'
import { correctionPaths } from './openapi-corrections.js'
import { regulationPaths } from './openapi-regulations.js'
import { qualityPaths } from './openapi-quality.js'

/**
 * The OpenAPI 3.1 description of the tracking API and the admin API, served at `/api/docs`.
 * Kept next to the routes; the e2e suite checks that every documented admin path answers.
 */
const error = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable code, see docs/errors.md' },
        message: { type: 'string' },
        details: { type: 'object' },
        requestId: { type: 'string' },
      },
    },
  },
}

const source = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    writeKey: { type: 'string', description: 'The current write key.' },
    writeKeys: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          key: { type: 'string' },
          expiresAt: { type: ['string', 'null'], format: 'date-time' },
        },
      },
    },
    allowedOrigins: { type: ['array', 'null'], items: { type: 'string' } },
    rateLimit: {
      type: ['object', 'null'],
      properties: { perSecond: { type: 'number' }, burst: { type: 'integer' } },
    },
    managed: { type: 'boolean', description: 'Defined in the config file; read-only here.' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
}

const sourceInput = {
  type: 'object',
  required: ['name'],
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
    name: { type: 'string' },
    allowedOrigins: { type: ['array', 'null'], items: { type: 'string' } },
    rateLimit: source.properties.rateLimit,
  },
}

const q = (name: string, description: string, extra: Record<string, unknown> = {}) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'string', ...extra },
})

const page = (item: Record<string, unknown>) => ({
  type: 'object',
  properties: { data: { type: 'array', items: item }, next: { type: ['string', 'null'] } },
})

const json = (schema: Record<string, unknown>) => ({ content: { 'application/json': { schema } } })
const errors = {
  '400': { description: 'Invalid request', ...json(error) },
  '401': { description: 'Missing or wrong admin token', ...json(error) },
}
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } }

const trackingOp = (summary: string) => ({
  tags: ['Tracking API'],
  summary,
  security: [{ writeKeyBasic: [] }, {}],
  requestBody: json({
    type: 'object',
    description: 'A Segment-spec event; `writeKey` may be in the body.',
  }),
  responses: {
    '200': {
      description: 'Accepted and durable',
      ...json({ type: 'object', properties: { success: { const: true } } }),
    },
    '400': { description: 'Bad JSON, oversize or invalid event', ...json(error) },
    '401': { description: 'Missing or unknown write key', ...json(error) },
    '413': {
      description:
        'Batch body over 500 KB, or its events over 16 MB once the batch-level context is merged into each',
      ...json(error),
    },
    '429': {
      description: 'Rate limited; see Retry-After and X-RateLimit-Reset (seconds)',
      ...json(error),
    },
  },
})

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tessera API',
      version: '0.1.0',
      description:
        'The Segment-compatible tracking API (`/v1/*`, write key auth) and the admin API (`/api/v1/*`, Bearer admin token).',
    },
    components: {
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer' },
        writeKeyBasic: {
          type: 'http',
          scheme: 'basic',
          description: 'Write key as username, empty password.',
        },
        ...profileApiSecurityScheme,
      },
      schemas: { Error: error, Source: source },
    },
    security: [{ adminToken: [] }],
    paths: {
      ...Object.fromEntries(
        ['identify', 'track', 'page', 'screen', 'group', 'alias'].map((t) => [
          `/v1/${t}`,
          { post: trackingOp(`Send one ${t} call (also /v1/${t[0] ?? ''})`) },
        ]),
      ),
      '/v1/batch': { post: trackingOp('Send up to 2,500 events (also /v1/b and /v1/import)') },
      '/v1/projects/{writeKey}/settings': {
        get: {
          tags: ['Tracking API'],
          summary: 'Settings for @segment/analytics-next pointing it at this server',
          security: [],
          parameters: [
            { name: 'writeKey', in: 'path', required: true, schema: { type: 'string' } },
          ],
          responses: {
            '200': { description: 'CDN settings object' },
            '404': { description: 'Unknown write key' },
          },
        },
      },
      '/api/v1/sources': {
        get: {
          tags: ['Sources'],
          summary: 'List sources',
          responses: {
            '200': json({ type: 'object', properties: { data: { type: 'array', items: source } } }),
            ...errors,
          },
        },
        post: {
          tags: ['Sources'],
          summary: 'Create a source',
          requestBody: json(sourceInput),
          responses: {
            '201': json(source),
            '409': {
              description:
                'Id or write key already taken (SOURCES_ID_TAKEN, SOURCES_WRITE_KEY_TAKEN)',
              ...json(error),
            },
            ...errors,
          },
        },
      },
      '/api/v1/sources/{id}': {
        parameters: [idParam],
        get: {
          tags: ['Sources'],
          summary: 'Get a source',
          responses: { '200': json(source), '404': json(error), ...errors },
        },
        patch: {
          tags: ['Sources'],
          summary: 'Update a source (not managed ones)',
          requestBody: json({ ...sourceInput, required: [] }),
          responses: { '200': json(source), '404': json(error), '409': json(error), ...errors },
        },
        delete: {
          tags: ['Sources'],
          summary: 'Delete a source (not managed ones)',
          responses: {
            '204': { description: 'Deleted' },
            '404': json(error),
            '409': json(error),
            ...errors,
          },
        },
      },
      '/api/v1/sources/{id}/rotate-write-key': {
        parameters: [idParam],
        post: {
          tags: ['Sources'],
          summary: 'Issue a new write key; the old one works for graceSeconds more',
          requestBody: json({
            type: 'object',
            properties: { graceSeconds: { type: 'integer', minimum: 0 } },
          }),
          responses: { '200': json(source), '404': json(error), '409': json(error), ...errors },
        },
      },
      '/api/v1/events': {
        get: {
          tags: ['Events'],
          summary: 'Query stored events, newest first',
          parameters: [
            q('sourceId', 'Source id'),
            q('type', 'Event type', {
              enum: ['identify', 'track', 'page', 'screen', 'group', 'alias'],
            }),
            q('event', 'Track event name, or page/screen name'),
            q('userId', 'userId'),
            q('anonymousId', 'anonymousId'),
            q('messageId', 'messageId'),
            q('since', 'receivedAt ≥ this (ISO-8601 or epoch ms)'),
            q('until', 'receivedAt < this (ISO-8601 or epoch ms)'),
            q('limit', '1 to 1000, default 100'),
            q('cursor', 'The `next` value of the previous page'),
          ],
          responses: {
            '200': json(
              page({
                type: 'object',
                properties: {
                  offset: { type: 'integer' },
                  sourceId: { type: 'string' },
                  receivedAt: { type: 'string' },
                  event: { type: 'object' },
                },
              }),
            ),
            ...errors,
          },
        },
      },
      '/api/v1/rejected-events': {
        get: {
          tags: ['Events'],
          summary: 'Events refused at ingest, with their reasons, newest first',
          parameters: [
            q('sourceId', 'Source id'),
            q('since', 'From'),
            q('until', 'To'),
            q('limit', '1 to 1000'),
            q('cursor', 'Cursor'),
          ],
          responses: { '200': json(page({ type: 'object' })), ...errors },
        },
      },
      '/api/v1/stats/ingest': {
        get: {
          tags: ['Events'],
          summary:
            'Accepted, duplicate and rejected counts per source per minute (default: last hour)',
          parameters: [q('sourceId', 'Source id'), q('since', 'From'), q('until', 'To')],
          responses: { '200': json({ type: 'object' }), ...errors },
        },
      },
      '/api/v1/stream': {
        get: {
          tags: ['Events'],
          summary: 'Live events and rejections as Server-Sent Events (`event` and `rejection`)',
          parameters: [
            q('sourceId', 'Only this source'),
            q('access_token', 'Admin token, for EventSource clients'),
          ],
          responses: { '200': { description: 'text/event-stream' }, ...errors },
        },
      },
      '/api/v1/whoami': {
        get: {
          tags: ['Admin'],
          summary: 'Check a token',
          responses: { '200': json({ type: 'object' }), ...errors },
        },
      },
      ...identityPaths(),
      ...qualityPaths(),
      ...destinationPaths(),
      ...trackingPlanPaths(),
      ...quarantinePaths(),
      ...privacyPaths(),
      ...regulationPaths(),
      ...correctionPaths(),
      ...consentPaths(),
      ...governancePaths(),
    },
  }
}
