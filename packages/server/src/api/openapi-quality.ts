/**
 * OpenAPI paths of data quality (`/api/v1/quality/…`, Bearer admin token). Merged into the
 * document of `openapi.ts`.
 */

type Schema = Record<string, unknown>

const json = (schema: Schema) => ({ content: { 'application/json': { schema } } })
const str = { type: 'string' }
const int = { type: 'integer' }
const num = { type: 'number' }
const nullableNum = { type: ['number', 'null'] }
const nullableStr = { type: ['string', 'null'] }
const nullableInt = { type: ['integer', 'null'] }
const bool = { type: 'boolean' }
const obj = (properties: Schema, extra: Schema = {}) => ({ type: 'object', properties, ...extra })
const array = (items: Schema) => ({ type: 'array', items })
const METRICS = ['volume', 'pass_share', 'completeness', 'duplicate_rate', 'identity_match_rate']

const q = (name: string, description: string, extra: Schema = {}, required = false) => ({
  name,
  in: 'query',
  required,
  description,
  schema: { type: 'string', ...extra },
})
const idParam = (description: string) => ({
  name: 'id',
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
const errors = {
  '400': { description: 'Invalid request (API_INVALID_REQUEST, QUALITY_*)', ...json(adminError) },
  '401': { description: 'Missing or wrong admin token', ...json(adminError) },
}
const ruleNotFound = { description: 'QUALITY_RULE_NOT_FOUND', ...json(adminError) }
const managed = {
  description: 'QUALITY_RULES_MANAGED: the config file manages the rules',
  ...json(adminError),
}
const incidentNotFound = { description: 'QUALITY_INCIDENT_NOT_FOUND', ...json(adminError) }

const ruleInput = obj(
  {
    id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
    name: str,
    metric: { enum: METRICS },
    source: str,
    event: str,
    condition: { enum: ['anomaly', 'below', 'above'] },
    threshold: { ...num, description: 'Required with below and above' },
    window: { type: 'string', pattern: '^[1-9][0-9]*(m|h|d)$', default: '1h' },
    severity: { enum: ['info', 'warning', 'critical'], default: 'warning' },
    critical: { ...bool, default: false },
    notify: obj({ sourceId: str }, { required: ['sourceId'] }),
  },
  { required: ['id', 'name', 'metric', 'condition'] },
)
const rule = { ...ruleInput, properties: { ...ruleInput.properties, managed: bool } }
const incident = obj({
  id: str,
  ruleId: str,
  ruleName: str,
  metric: { enum: METRICS },
  sourceId: nullableStr,
  event: nullableStr,
  severity: { enum: ['info', 'warning', 'critical'] },
  critical: bool,
  condition: { enum: ['drop', 'spike', 'silence', 'below', 'above'] },
  threshold: nullableNum,
  notifySourceId: nullableStr,
  status: { enum: ['open', 'resolved'] },
  openedAt: int,
  resolvedAt: nullableInt,
  ackedAt: nullableInt,
  ackedBy: nullableStr,
  observed: nullableNum,
  expected: nullableNum,
  resolvedObserved: nullableNum,
  openNotifiedAt: nullableInt,
  resolveNotifiedAt: nullableInt,
})

/** The `/api/v1/quality` paths. */
export function qualityPaths(): Record<string, unknown> {
  return {
    '/api/v1/quality/summary': {
      get: {
        summary: 'Every data-quality metric over a range, with the range before it',
        tags: ['Data quality'],
        parameters: [
          q('source', 'Only this source'),
          q('range', 'Duration up to now (15m, 24h, 7d; at most 90d)', { default: '24h' }),
        ],
        responses: {
          '200': {
            description: 'Metrics (value null: not measurable, e.g. no tracking plan)',
            ...json(
              obj({
                from: int,
                to: int,
                sourceId: nullableStr,
                openIncidents: int,
                metrics: array(
                  obj({
                    metric: { enum: METRICS },
                    value: nullableNum,
                    previous: nullableNum,
                    change: nullableNum,
                    denominator: int,
                  }),
                ),
              }),
            ),
          },
          ...errors,
        },
      },
    },
    '/api/v1/quality/series': {
      get: {
        summary: 'One metric per bucket, each point judged by the anomaly detector',
        tags: ['Data quality'],
        parameters: [
          q('metric', 'The metric', { enum: METRICS }, true),
          q('source', 'Only this source'),
          q('event', 'Only this event name (volume, pass_share, completeness)'),
          q('bucket', 'Bucket size', { enum: ['minute', 'hour', 'day'], default: 'hour' }),
          q('from', 'ISO-8601 or epoch ms (default: 24 h before to)'),
          q('to', 'ISO-8601 or epoch ms (default: now)'),
        ],
        responses: {
          '200': {
            description: 'The series (at most 5,000 points)',
            ...json(
              obj({
                metric: { enum: METRICS },
                source: nullableStr,
                event: nullableStr,
                bucket: str,
                data: array(
                  obj({
                    t: int,
                    value: nullableNum,
                    denominator: num,
                    expected: nullableNum,
                    anomaly: { enum: ['drop', 'spike', 'silence', null] },
                  }),
                ),
              }),
            ),
          },
          ...errors,
        },
      },
    },
    '/api/v1/quality/alerts': {
      get: {
        summary: 'Alert rules',
        tags: ['Data quality'],
        responses: {
          '200': { description: 'Rules', ...json(obj({ data: array(rule), managed: bool })) },
          ...errors,
        },
      },
      post: {
        summary: 'Creates an alert rule',
        tags: ['Data quality'],
        requestBody: { required: true, ...json(ruleInput) },
        responses: {
          '201': { description: 'Created', ...json(rule) },
          '409': {
            description: 'QUALITY_RULE_EXISTS or QUALITY_RULES_MANAGED',
            ...json(adminError),
          },
          ...errors,
        },
      },
    },
    '/api/v1/quality/alerts/{id}': {
      parameters: [idParam('Rule id')],
      get: {
        summary: 'One alert rule',
        tags: ['Data quality'],
        responses: {
          '200': { description: 'The rule', ...json(rule) },
          '404': ruleNotFound,
          ...errors,
        },
      },
      put: {
        summary: 'Replaces an alert rule',
        tags: ['Data quality'],
        requestBody: { required: true, ...json(ruleInput) },
        responses: {
          '200': { description: 'The rule', ...json(rule) },
          '404': ruleNotFound,
          '409': managed,
          ...errors,
        },
      },
      delete: {
        summary: 'Deletes an alert rule (its incidents stay)',
        tags: ['Data quality'],
        responses: {
          '204': { description: 'Deleted' },
          '404': ruleNotFound,
          '409': managed,
          ...errors,
        },
      },
    },
    '/api/v1/quality/incidents': {
      get: {
        summary: 'Alert incidents, newest first',
        tags: ['Data quality'],
        parameters: [
          q('status', 'open or resolved', { enum: ['open', 'resolved'] }),
          q('rule', 'Only this rule'),
          q('limit', '1 to 1000', { default: '100' }),
        ],
        responses: {
          '200': { description: 'Incidents', ...json(obj({ data: array(incident) })) },
          ...errors,
        },
      },
    },
    '/api/v1/quality/incidents/{id}': {
      parameters: [idParam('Incident id')],
      get: {
        summary: 'One incident',
        tags: ['Data quality'],
        responses: {
          '200': { description: 'The incident', ...json(incident) },
          '404': incidentNotFound,
          ...errors,
        },
      },
    },
    '/api/v1/quality/incidents/{id}/ack': {
      parameters: [idParam('Incident id')],
      post: {
        summary: 'Acknowledges an incident (idempotent: the first acknowledgement stays)',
        tags: ['Data quality'],
        responses: {
          '200': { description: 'The incident', ...json(incident) },
          '404': incidentNotFound,
          ...errors,
        },
      },
    },
  }
}
