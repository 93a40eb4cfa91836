/**
 * OpenAPI paths of identity: the admin routes (`/api/v1/profiles…`, `/api/v1/identity/…`,
 * Bearer admin token) and Segment's Profile API (`/v1/spaces/…`, Basic access token).
 * Merged into the document of `openapi.ts`.
 */

type Schema = Record<string, unknown>

const json = (schema: Schema) => ({ content: { 'application/json': { schema } } })
const str = { type: 'string' }
const int = { type: 'integer' }
/** `{name: {type: 'string'}}` for each name. */
const strings = (...names: string[]) => Object.fromEntries(names.map((n) => [n, str]))
const bool = { type: 'boolean' }
const time = { type: 'string', format: 'date-time' }
const nullableTime = { type: ['string', 'null'], format: 'date-time' }
const obj = (properties: Schema, extra: Schema = {}) => ({ type: 'object', properties, ...extra })
const array = (items: Schema) => ({ type: 'array', items })

const q = (name: string, description: string, extra: Schema = {}, required = false) => ({
  name,
  in: 'query',
  required,
  description,
  schema: { type: 'string', ...extra },
})
const pathParam = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: str,
})

const adminError = obj({
  error: obj(
    { code: str, message: str, details: { type: 'object' }, requestId: str },
    { required: ['code', 'message'] },
  ),
})
const adminErrors = {
  '400': { description: 'Invalid request or cursor', ...json(adminError) },
  '401': { description: 'Missing or wrong admin token', ...json(adminError) },
}
const notFound = { description: 'No such profile (IDENTITY_NOT_FOUND)', ...json(adminError) }

const identifier = obj({ type: str, value: str })
const summary = obj({
  id: str,
  collection: { enum: ['users', 'accounts'] },
  name: { type: ['string', 'null'], description: 'From name, first/last name or username' },
  email: { type: ['string', 'null'] },
  identifiers: { ...array(identifier), description: 'The first five, oldest first' },
  firstSeen: time,
  lastSeen: time,
  counts: { type: 'object', additionalProperties: int },
})
const edge = obj({
  id: int,
  kind: { enum: ['create', 'attach', 'merge', 'drop'] },
  profileId: str,
  from: { oneOf: [identifier, { type: 'null' }] },
  to: identifier,
  rule: {
    type: 'string',
    description: 'new-identifier, shared-identifier:<type>, limit:<type>, …',
  },
  mergedProfileId: { type: ['string', 'null'] },
  seq: int,
  ...strings('messageId', 'sourceId'),
  timestamp: time,
})
const profile = obj({
  ...summary.properties,
  componentId: str,
  traits: {
    type: 'object',
    description: 'Live traits (removed ones left out) with where they came from',
    additionalProperties: obj({ value: {}, sourceId: str, messageId: str, timestamp: time }),
  },
  identifiers: array(
    obj({
      type: str,
      value: str,
      firstSeen: time,
      firstMessageId: str,
      firstSourceId: str,
      addedAt: nullableTime,
    }),
  ),
  merges: int,
  links: { ...array(summary), description: 'Accounts of a user, users of an account' },
})
const override = obj({
  id: int,
  collection: str,
  kind: { enum: ['block', 'separate'] },
  a: { type: 'string', description: 'type:value' },
  b: { type: ['string', 'null'] },
  reason: str,
  actor: str,
  createdAt: time,
})
const page = (item: Schema) => obj({ data: array(item), next: { type: ['string', 'null'] } })
const limit = (max: number, fallback: number) => q('limit', `1 to ${max}, default ${fallback}`)
const cursor = q('cursor', 'The `next` value of the previous page')
const idParam = pathParam('id', 'Profile id (usr_… or acc_…)')
const collection = q('collection', 'users (default) or accounts', { enum: ['users', 'accounts'] })
const ok = (description: string, schema: Schema) => ({ description, ...json(schema) })

const profilePaths = {
  '/api/v1/profiles': {
    get: {
      tags: ['Identity'],
      summary:
        'Search profiles: exact identifier (value or type:value), else identifier prefix or trait value; most recently seen first',
      parameters: [
        q('q', 'Search text; empty lists every profile'),
        collection,
        limit(200, 50),
        cursor,
      ],
      responses: { '200': ok('Profiles', page(summary)), ...adminErrors },
    },
  },
  '/api/v1/profiles/{id}': {
    parameters: [idParam],
    get: {
      tags: ['Identity'],
      summary: 'One profile: traits, identifiers, counts, linked profiles',
      responses: { '200': ok('The profile', profile), '404': notFound, ...adminErrors },
    },
  },
  '/api/v1/profiles/{id}/events': {
    parameters: [idParam],
    get: {
      tags: ['Identity'],
      summary: "The profile's events across all its identifiers, newest first",
      parameters: [
        limit(1000, 100),
        cursor,
        q('start', 'timestamp ≥ this'),
        q('end', 'timestamp < this'),
      ],
      responses: {
        '200': ok(
          'Events',
          page(
            obj({
              seq: int,
              ...strings('sourceId', 'type', 'messageId'),
              timestamp: time,
              event: { type: 'object' },
            }),
          ),
        ),
        '404': notFound,
        ...adminErrors,
      },
    },
  },
  '/api/v1/profiles/{id}/history': {
    parameters: [idParam],
    get: {
      tags: ['Identity'],
      summary: 'Merge history: every create, attach, merge and drop, oldest first',
      parameters: [limit(1000, 100), cursor],
      responses: { '200': ok('Edges', page(edge)), '404': notFound, ...adminErrors },
    },
  },
  '/api/v1/profiles/{id}/graph': {
    parameters: [idParam],
    get: {
      tags: ['Identity'],
      summary: 'Identity graph: identifiers as nodes, attach/merge/drop edges between them',
      responses: {
        '200': ok(
          'Graph',
          obj({
            nodes: array(
              obj({
                id: { type: 'string', description: 'type:value' },
                type: str,
                value: str,
                firstSeen: nullableTime,
                onProfile: bool,
                annotations: {
                  ...array({ type: 'object' }),
                  description: 'create and drop edges without a source',
                },
              }),
            ),
            edges: array(
              obj({
                id: int,
                ...strings('from', 'to', 'kind', 'rule', 'messageId', 'sourceId'),
                timestamp: time,
              }),
            ),
          }),
        ),
        '404': notFound,
        ...adminErrors,
      },
    },
  },
  '/api/v1/profiles/{id}/split': {
    parameters: [idParam],
    post: {
      tags: ['Identity'],
      summary:
        'Split a profile: block one of its identifiers, or keep two of them apart; its events are re-resolved',
      requestBody: json({
        oneOf: [
          obj(
            { kind: { const: 'block' }, identifier: str, reason: str },
            { required: ['kind', 'identifier', 'reason'] },
          ),
          obj(
            { kind: { const: 'separate' }, a: str, b: str, reason: str },
            { required: ['kind', 'a', 'b', 'reason'] },
          ),
        ],
      }),
      responses: {
        '200': ok(
          'The override and the rebuild it caused',
          obj({ override, rebuild: { type: 'object' } }),
        ),
        '404': {
          description: 'No such profile, or the identifier is not on it',
          ...json(adminError),
        },
        ...adminErrors,
      },
    },
  },
}

const identityPathsOnly = {
  '/api/v1/identity/explain': {
    get: {
      tags: ['Identity'],
      summary: 'Why two identifiers are on one profile: the shortest path of edges',
      parameters: [collection, q('a', 'type:value', {}, true), q('b', 'type:value', {}, true)],
      responses: {
        '200': ok(
          'Path',
          obj({
            connected: bool,
            profileId: { type: ['string', 'null'] },
            path: array(edge),
          }),
        ),
        ...adminErrors,
      },
    },
  },
  '/api/v1/identity/overrides': {
    get: {
      tags: ['Identity'],
      summary: "Operators' splits: all of a collection, a profile's, or one identifier's",
      parameters: [
        collection,
        q('profileId', 'Overrides naming its identifiers'),
        q('identifier', 'type:value'),
      ],
      responses: { '200': ok('Overrides', obj({ data: array(override) })), ...adminErrors },
    },
  },
  '/api/v1/identity/rules': {
    get: {
      tags: ['Identity'],
      summary: 'Identity rules in force (limits, priorities, blocked values, custom types)',
      responses: {
        '200': ok('Rules', obj({ config: { type: 'object' }, managed: bool })),
        ...adminErrors,
      },
    },
    put: {
      tags: ['Identity'],
      summary: 'Replace the rules (not when the config file defines them)',
      requestBody: json({ type: 'object', description: 'The identity: config section' }),
      responses: {
        '200': ok('Rules', obj({ config: { type: 'object' }, managed: { const: false } })),
        '409': {
          description: 'Rules managed by the config file (IDENTITY_RULES_MANAGED)',
          ...json(adminError),
        },
        ...adminErrors,
      },
    },
  },
  '/api/v1/identity/stats': {
    get: {
      tags: ['Identity'],
      summary: 'Totals: user and account profiles, identifiers',
      responses: {
        '200': ok(
          'Totals',
          obj({
            users: int,
            accounts: int,
            identifiers: int,
          }),
        ),
        ...adminErrors,
      },
    },
  },
}

const segmentError = obj({ error: obj({ code: str, message: str }) })
const segmentCursor = obj({
  url: str,
  has_more: bool,
  next: str,
  limit: int,
})
const externalId = obj({
  source_id: str,
  collection: str,
  id: str,
  type: str,
  created_at: time,
  encoding: { const: 'none' },
  first_message_id: str,
})
const profileApiOp = (summary: string, parameters: Schema[], body: Schema) => ({
  get: {
    tags: ['Profile API'],
    summary,
    security: [{ profileApiToken: [] }],
    parameters,
    responses: {
      '200': ok('OK (Request-Id header on every answer)', body),
      '400': { description: 'invalid_request_error', ...json(segmentError) },
      '401': { description: 'authentication_error', ...json(segmentError) },
      '404': { description: 'not_found: unknown profile or space', ...json(segmentError) },
    },
  },
})
const next = q('next', 'The cursor.next of the previous page')
const spLimit = q('limit', '1 to 200, default 10')
const profileApiBase = '/v1/spaces/{spaceId}/collections/{collection}/profiles/{externalId}'

const profileApiPaths = {
  [`${profileApiBase}/traits`]: profileApiOp(
    'Traits of a profile',
    [
      q('include', 'Trait names, comma-separated'),
      spLimit,
      q('verbose', 'true: value, source_id, updated_at'),
      q('class', 'audience or computed_trait'),
      next,
    ],
    obj({ traits: { type: 'object' }, cursor: segmentCursor }),
  ),
  [`${profileApiBase}/events`]: profileApiOp(
    'Events of a profile',
    [
      q('start', 'ISO-8601'),
      q('end', 'ISO-8601'),
      q('include', 'Event names'),
      q('exclude', 'Event names'),
      spLimit,
      q('sort', 'asc or desc (default)'),
      next,
    ],
    obj({ data: array({ type: 'object' }), cursor: segmentCursor }),
  ),
  [`${profileApiBase}/external_ids`]: profileApiOp(
    'External ids (identifiers) of a profile, oldest first',
    [q('include', 'Identifier types'), spLimit, q('verbose', 'Accepted'), next],
    obj({ data: array(externalId), cursor: segmentCursor }),
  ),
  [`${profileApiBase}/metadata`]: profileApiOp(
    'Metadata of a profile',
    [],
    obj({ metadata: { type: 'object' } }),
  ),
  [`${profileApiBase}/links`]: profileApiOp(
    'Linked accounts of a user, or users of an account (at most 20)',
    [],
    obj({ data: array(obj({ to_collection: str, external_ids: array(externalId) })) }),
  ),
}

const profileApiParams = [
  pathParam('spaceId', 'The configured space id'),
  { ...pathParam('collection', 'users or accounts'), schema: { enum: ['users', 'accounts'] } },
  pathParam(
    'externalId',
    'type:value, URL-encoded (e.g. email:jane%40example.com), or segment_id:<profile id>',
  ),
]

/** Security scheme of the Profile API, for `components.securitySchemes`. */
export const profileApiSecurityScheme = {
  profileApiToken: {
    type: 'http',
    scheme: 'basic',
    description: 'Profile API access token as username, empty password.',
  },
}

/** Every identity path of the OpenAPI document. */
export function identityPaths(): Record<string, unknown> {
  const withParams = Object.fromEntries(
    Object.entries(profileApiPaths).map(([path, ops]) => [
      path,
      { parameters: profileApiParams, ...ops },
    ]),
  )
  return { ...profilePaths, ...identityPathsOnly, ...withParams }
}
