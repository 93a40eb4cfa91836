/**
 * OpenAPI paths of the audit log (audit-routes.ts) and retention (retention-routes.ts). Bearer
 * admin token, like every `/api/v1/*` path. Query parameters and the policies body are
 * generated from the zod schemas the routes parse them with; answers are described by hand.
 * Merged into the document of `openapi.ts`.
 */
import { z } from 'zod'
import { retentionConfigSchema } from '../retention/index.js'
import { auditExportQuerySchema, auditQuerySchema } from './audit-routes.js'

type Schema = Record<string, unknown>

/** JSON Schema (2020-12, the dialect of OpenAPI 3.1) of a zod schema, without `$schema`. */
function fromZod(schema: z.ZodType, io: 'input' | 'output' = 'input'): Schema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io }) as Schema
  return rest
}

const DESCRIPTIONS: Record<string, string> = {
  from: 'Entries at or after this time (ISO-8601 or epoch ms)',
  to: 'Entries before this time (ISO-8601 or epoch ms)',
  actor: 'Exact actor, or a prefix ending with * (admin:1a2b3c4d*)',
  action: 'Action prefix: destinations matches destinations.update',
  targetType: 'Target type (destination, source, profile …)',
  targetId: 'Target id',
  outcome: 'ok, denied or failed',
  limit: 'Entries per page (1–500, default 100)',
  cursor: 'The next of the previous page',
  format: 'jsonl (default) or csv',
  access_token: 'Admin token, for download links',
}

function queryFromZod(schema: z.ZodType): Schema[] {
  const json = fromZod(schema) as { properties: Record<string, Schema>; required?: string[] }
  return Object.entries(json.properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    description: DESCRIPTIONS[name] ?? '',
    schema: property,
  }))
}

const json = (schema: Schema) => ({ content: { 'application/json': { schema } } })
const str = { type: 'string' }
const date = { type: 'string', description: 'ISO-8601' }
const nullableDate = { type: ['string', 'null'], description: 'ISO-8601' }
const int = { type: 'integer' }
const bool = { type: 'boolean' }
const nullable = (schema: Schema) => ({ oneOf: [schema, { type: 'null' }] })
const nullableStr = { type: ['string', 'null'] }
const all = (properties: Schema) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
})
const counts = { type: 'object', additionalProperties: int }
const ok = (description: string, schema: Schema) => ({ description, ...json(schema) })

const adminError = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string', description: 'Stable code, see docs/errors.md' },
        message: str,
        details: { type: 'object' },
        requestId: str,
      },
      required: ['code', 'message'],
    },
  },
}
const fail = (description: string) => ({ description, ...json(adminError) })
const unauthorized = { '401': fail('Missing or wrong admin token (API_UNAUTHORIZED)') }
const badQuery = fail('Invalid query (API_INVALID_REQUEST, AUDIT_INVALID_CURSOR)')

const op = (
  tag: string,
  operationId: string,
  summary: string,
  rest: Schema & { responses: Schema },
) => ({
  tags: [tag],
  operationId,
  summary,
  ...rest,
  responses: { ...rest.responses, ...unauthorized },
})

const entry = all({
  id: { type: 'integer', description: '1, 2, 3 … in append order' },
  at: date,
  actor: {
    type: 'string',
    description: 'admin:<fingerprint>[/<name>], profile-api:…, config, system, anonymous',
  },
  action: { type: 'string', description: '<area>.<verb>, e.g. destinations.update' },
  target: all({ type: str, id: nullableStr }),
  outcome: { enum: ['ok', 'denied', 'failed'] },
  requestId: nullableStr,
  ip: nullableStr,
  details: {
    type: 'object',
    description: 'Method, route, status, changed top-level keys …; never bodies or secrets',
  },
})

const report = all({
  startedAt: date,
  finishedAt: date,
  durationMs: int,
  events: { ...counts, description: 'Raw events deleted per policy' },
  deadLetters: { ...counts, description: 'Dead letters deleted per policy' },
  rejected: int,
  quarantined: { ...int, description: 'Quarantined events deleted (retention.quarantinedDays)' },
  orphanRetries: int,
  oldestEventAt: nullableDate,
})

const policies = all({ managed: bool, config: fromZod(retentionConfigSchema, 'output') })

/** The audit and retention paths, for openapi.ts. */
export function governancePaths(): Record<string, Schema> {
  return { ...auditPaths(), ...retentionPaths() }
}

function auditPaths(): Record<string, Schema> {
  return {
    '/api/v1/audit': {
      get: op('Audit', 'listAuditEntries', 'Query the audit log, newest first', {
        parameters: queryFromZod(auditQuerySchema),
        responses: {
          '200': ok(
            'One page of entries',
            all({ data: { type: 'array', items: entry }, next: nullableStr }),
          ),
          '400': badQuery,
        },
      }),
    },
    '/api/v1/audit/export': {
      get: op('Audit', 'exportAuditEntries', 'Export the audit log (streamed, newest first)', {
        parameters: queryFromZod(auditExportQuerySchema),
        responses: {
          '200': {
            description:
              'One entry per line (application/x-ndjson), or CSV with a header row (text/csv)',
            content: {
              'application/x-ndjson': { schema: str },
              'text/csv': { schema: str },
            },
          },
          '400': badQuery,
        },
      }),
    },
    '/api/v1/audit/verify': {
      get: op('Audit', 'verifyAuditChain', 'Check the hash chain of the whole audit log', {
        responses: {
          '200': ok(
            'Whether every entry still hashes to its stored value, in one unbroken chain',
            all({
              intact: bool,
              checked: int,
              firstBrokenId: nullable(int),
              reason: { enum: ['hash', 'link', 'gap', null] },
            }),
          ),
        },
      }),
    },
  }
}

function retentionPaths(): Record<string, Schema> {
  return {
    '/api/v1/retention/policies': {
      get: op('Retention', 'getRetentionPolicies', 'The retention policies in force', {
        responses: {
          '200': ok('The policies, and whether the config file manages them', policies),
        },
      }),
      put: op('Retention', 'putRetentionPolicies', 'Replace the retention policies', {
        requestBody: { required: true, ...json(fromZod(retentionConfigSchema)) },
        responses: {
          '200': ok('The policies now in force', policies),
          '400': fail('Invalid policies (RETENTION_INVALID_POLICIES)'),
          '409': fail('The config file manages the policies (RETENTION_MANAGED)'),
        },
      }),
    },
    '/api/v1/retention/status': {
      get: op('Retention', 'getRetentionStatus', 'The retention job: last run and schedule', {
        responses: {
          '200': ok(
            'Status',
            all({
              managed: bool,
              running: bool,
              intervalMinutes: int,
              lastRun: nullable(report),
              lastError: nullable(all({ at: date, message: str })),
              nextRunAt: nullableDate,
            }),
          ),
        },
      }),
    },
    '/api/v1/retention/run': {
      post: op(
        'Retention',
        'runRetention',
        'Run the retention job now (or join the run in progress)',
        {
          responses: { '200': ok('What the run deleted', report) },
        },
      ),
    },
  }
}
