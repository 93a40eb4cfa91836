/**
 * OpenAPI paths of tracking plans (tracking-plan-routes.ts): plans, rules, revisions, source
 * connections and a source's plan. Bearer admin token, like every `/api/v1/*` path. Request
 * bodies come from the zod schemas the service parses them with; answers are described by
 * hand. Merged into the document of `openapi.ts`.
 */
import { z } from 'zod'
import {
  enforcementPatchSchema,
  enforcementSchema,
  planInputSchema,
  planRuleSchema,
} from '../plans/index.js'
import { connectBodySchema, ruleRefsBodySchema } from './tracking-plan-schemas.js'

type Schema = Record<string, unknown>

function fromZod(schema: z.ZodType, io: 'input' | 'output' = 'input'): Schema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
  }) as Schema
  return rest
}

const json = (schema: Schema) => ({ content: { 'application/json': { schema } } })
const str = { type: 'string' }
const int = { type: 'integer' }
const bool = { type: 'boolean' }
const array = (items: Schema) => ({ type: 'array', items })
const obj = (properties: Schema, required: string[] = Object.keys(properties)) => ({
  type: 'object',
  properties,
  required,
})
const ok = (description: string, schema: Schema) => ({ description, ...json(schema) })
const body = (schema: Schema) => ({ required: true, ...json(schema) })

const adminError = {
  type: 'object',
  properties: {
    error: obj(
      {
        code: { type: 'string', description: 'Stable code, see docs/errors.md' },
        message: str,
        details: { type: 'object' },
        requestId: str,
      },
      ['code', 'message'],
    ),
  },
}
const fail = (description: string) => ({ description, ...json(adminError) })
const notFound = fail('No plan has this id (PLANS_NOT_FOUND)')
const managed = fail('The plan is defined in the config file; read-only (PLANS_MANAGED)')
const invalid = fail('Invalid plan or rules; `details.issues` lists every problem (PLANS_INVALID)')

const pathParam = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: str,
})
const idParam = pathParam('id', 'Plan id')
const sourceParam = pathParam('sourceId', 'Source id')

const rule = fromZod(planRuleSchema, 'output')
const enforcement = fromZod(enforcementSchema, 'output')
const iso = { type: 'string', format: 'date-time' }
const planFields = {
  id: str,
  name: str,
  description: str,
  revision: int,
  managed: { ...bool, description: 'Defined by the config file (read-only)' },
  createdAt: iso,
  updatedAt: iso,
}
const required = ['id', 'name', 'revision', 'managed', 'createdAt', 'updatedAt']
const plan = obj({ ...planFields, rules: array(rule) }, [...required, 'rules'])
const planSummary = obj({ ...planFields, ruleCount: int }, [...required, 'ruleCount'])
const diff = obj({ added: array(str), removed: array(str), changed: array(str) })
const revisionFields = { planId: str, revision: int, author: str, at: iso, diff }
const revision = obj({ ...revisionFields, rules: array(rule) })
const revisionSummary = obj({ ...revisionFields, ruleCount: int })
const rulesAnswer = obj({ planId: str, revision: int, data: array(rule) })
const connection = obj({ sourceId: str, planId: str, enforcement })
const rulesBody = obj({ rules: { ...array(fromZod(planRuleSchema)), maxItems: 200 } })

const tags = ['Tracking plans']
const op = (operationId: string, summary: string, rest: Schema & { responses: Schema }) => ({
  tags,
  operationId,
  summary,
  ...rest,
  responses: {
    ...rest.responses,
    '401': fail('Missing or wrong admin token (API_UNAUTHORIZED)'),
  },
})

/** The tracking-plan paths of the OpenAPI document. */
export function trackingPlanPaths(): Record<string, unknown> {
  return {
    '/api/v1/tracking-plans': {
      get: op('listTrackingPlans', 'List plans (file plans first), without their rules', {
        responses: { '200': ok('Plans', obj({ data: array(planSummary) })) },
      }),
      post: op('createTrackingPlan', 'Create a plan (id generated as tp_… unless given)', {
        requestBody: body(fromZod(planInputSchema)),
        responses: {
          '201': ok('Created at revision 1', plan),
          '400': invalid,
          '409': fail('The id is taken (PLANS_EXISTS) or a file plan’s (PLANS_MANAGED)'),
        },
      }),
    },
    '/api/v1/tracking-plans/{id}': {
      parameters: [idParam],
      get: op('getTrackingPlan', 'One plan with its current rules', {
        responses: { '200': ok('The plan', plan), '404': notFound },
      }),
      patch: op('updateTrackingPlan', 'Change name, description (null clears) and/or rules', {
        requestBody: body({
          type: 'object',
          properties: {
            name: str,
            description: { type: ['string', 'null'] },
            rules: array(fromZod(planRuleSchema)),
          },
          additionalProperties: false,
        }),
        responses: {
          '200': ok('The next revision', plan),
          '400': invalid,
          '404': notFound,
          '409': managed,
        },
      }),
      delete: op('deleteTrackingPlan', 'Delete a plan with its revisions and connections', {
        responses: { '204': { description: 'Deleted' }, '404': notFound, '409': managed },
      }),
    },
    '/api/v1/tracking-plans/{id}/rules': {
      parameters: [idParam],
      get: op('listTrackingPlanRules', 'The current rules', {
        responses: { '200': ok('Rules', rulesAnswer), '404': notFound },
      }),
      put: op('replaceTrackingPlanRules', 'Replace every rule (at most 200)', {
        requestBody: body(rulesBody),
        responses: {
          '200': ok('The next revision’s rules', rulesAnswer),
          '400': invalid,
          '404': notFound,
          '409': managed,
        },
      }),
      post: op(
        'upsertTrackingPlanRules',
        'Add or replace rules by type:key:version (at most 200)',
        {
          requestBody: body(rulesBody),
          responses: {
            '200': ok('The next revision’s rules', rulesAnswer),
            '400': invalid,
            '404': notFound,
            '409': managed,
          },
        },
      ),
      delete: op('deleteTrackingPlanRules', 'Remove rules by type, key and version', {
        requestBody: body(fromZod(ruleRefsBodySchema)),
        responses: {
          '200': ok('The next revision’s rules', rulesAnswer),
          '400': fail('Invalid body (API_INVALID_REQUEST)'),
          '404': notFound,
          '409': managed,
        },
      }),
    },
    '/api/v1/tracking-plans/{id}/revisions': {
      parameters: [idParam],
      get: op('listTrackingPlanRevisions', 'Revisions, newest first, with author, time and diff', {
        responses: {
          '200': ok('Revisions', obj({ data: array(revisionSummary) })),
          '404': notFound,
        },
      }),
    },
    '/api/v1/tracking-plans/{id}/revisions/{revision}': {
      parameters: [
        idParam,
        { ...pathParam('revision', 'Revision number'), schema: { type: 'integer', minimum: 1 } },
      ],
      get: op('getTrackingPlanRevision', 'One revision with its rules and diff', {
        responses: {
          '200': ok('The revision', revision),
          '400': fail('Not a revision number (API_INVALID_REQUEST)'),
          '404': fail('No such plan or revision (PLANS_NOT_FOUND, PLANS_REVISION_NOT_FOUND)'),
        },
      }),
    },
    '/api/v1/tracking-plans/{id}/sources': {
      parameters: [idParam],
      get: op('listTrackingPlanSources', 'Sources connected to the plan', {
        responses: { '200': ok('Connections', obj({ data: array(connection) })), '404': notFound },
      }),
      post: op('connectTrackingPlanSource', 'Connect a source (a source has at most one plan)', {
        requestBody: body({
          ...fromZod(connectBodySchema),
          properties: {
            sourceId: { type: 'string', minLength: 1 },
            enforcement: fromZod(enforcementSchema),
          },
        }),
        responses: {
          '201': ok('Connected', connection),
          '400': fail(
            'Invalid enforcement (PLANS_INVALID) or unknown source (PLANS_UNKNOWN_SOURCE)',
          ),
          '404': notFound,
          '409': fail('Already connected (PLANS_SOURCE_CONNECTED) or file plan (PLANS_MANAGED)'),
        },
      }),
    },
    '/api/v1/tracking-plans/{id}/sources/{sourceId}': {
      parameters: [idParam, sourceParam],
      patch: op('updateTrackingPlanSource', 'Change some enforcement settings of a source', {
        requestBody: body(fromZod(enforcementPatchSchema)),
        responses: {
          '200': ok('The connection', connection),
          '400': invalid,
          '404': fail('Not connected to this plan (PLANS_SOURCE_NOT_CONNECTED)'),
          '409': managed,
        },
      }),
      delete: op('disconnectTrackingPlanSource', 'Disconnect a source', {
        responses: {
          '204': { description: 'Disconnected' },
          '404': fail('Not connected to this plan (PLANS_SOURCE_NOT_CONNECTED)'),
          '409': managed,
        },
      }),
    },
    '/api/v1/sources/{id}/tracking-plan': {
      parameters: [pathParam('id', 'Source id')],
      get: op('getSourceTrackingPlan', 'The plan and enforcement of a source', {
        responses: {
          '200': ok('The source’s plan', obj({ sourceId: str, enforcement, plan })),
          '404': fail('The source has no plan (PLANS_NOT_FOUND)'),
        },
      }),
    },
  }
}
