/**
 * The `trackingPlans:` config section, the bodies of the plans API and the defaults of a
 * source's enforcement. Structural checks only; rule schemas are compiled by
 * {@link validatePlan}, which the config cross-check ({@link checkTrackingPlans}) also runs.
 */
import { z } from 'zod'
import type { Enforcement } from './model.js'

/** A plan id: `tp_…` when generated, any 1–64 letters, digits, `_` or `-` from the file. */
export const PLAN_ID = /^[A-Za-z0-9_-]{1,64}$/

export const ruleTypeSchema = z.enum(['COMMON', 'TRACK', 'IDENTIFY', 'GROUP', 'PAGE', 'SCREEN'])

export const planRuleSchema = z
  .strictObject({
    type: ruleTypeSchema.describe('Which payloads the rule applies to.'),
    key: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('Event name (TRACK, required) or page/screen name (PAGE, SCREEN, optional).'),
    version: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Event version (`context.protocols.event_version`); default 1.'),
    jsonSchema: z
      .record(z.string(), z.unknown())
      .describe('JSON Schema of the whole payload (draft-07, 2019-09 or 2020-12).'),
    labels: z
      .record(z.string(), z.string())
      .optional()
      .describe('Free `key: value` labels, informative only.'),
  })
  .describe('One rule of a tracking plan.')

const verdict = z.enum(['allow', 'block', 'omit'])

/** Every enforcement setting `allow`: what a source gets for each setting it does not give. */
export const DEFAULT_ENFORCEMENT: Enforcement = {
  unplannedEvents: 'allow',
  unplannedProperties: 'allow',
  unplannedIdentifyTraits: 'allow',
  unplannedGroupTraits: 'allow',
  trackViolations: 'allow',
  identifyViolations: 'allow',
  groupViolations: 'allow',
  commonViolations: 'allow',
}

const enforcementFields = {
  unplannedEvents: z
    .enum(['allow', 'block'])
    .describe('Track events with no TRACK rule: allow or block.'),
  unplannedProperties: z
    .enum(['allow', 'omit'])
    .describe('Track properties not in the rule: allow or omit.'),
  unplannedIdentifyTraits: z
    .enum(['allow', 'omit'])
    .describe('Identify traits not in the IDENTIFY rule: allow or omit.'),
  unplannedGroupTraits: z
    .enum(['allow', 'omit'])
    .describe('Group traits not in the GROUP rule: allow or omit.'),
  trackViolations: verdict.describe('Violations of a TRACK rule.'),
  identifyViolations: verdict.describe('Violations of the IDENTIFY rule.'),
  groupViolations: verdict.describe('Violations of the GROUP rule.'),
  commonViolations: verdict.describe('Violations of the COMMON rule.'),
}

const forwardViolationsTo = z
  .string()
  .min(1)
  .describe('Source id that receives `Violation Generated` track events.')

/** A source's enforcement; every omitted setting is `allow`. */
export const enforcementSchema = z
  .strictObject({
    unplannedEvents: enforcementFields.unplannedEvents.default('allow'),
    unplannedProperties: enforcementFields.unplannedProperties.default('allow'),
    unplannedIdentifyTraits: enforcementFields.unplannedIdentifyTraits.default('allow'),
    unplannedGroupTraits: enforcementFields.unplannedGroupTraits.default('allow'),
    trackViolations: enforcementFields.trackViolations.default('allow'),
    identifyViolations: enforcementFields.identifyViolations.default('allow'),
    groupViolations: enforcementFields.groupViolations.default('allow'),
    commonViolations: enforcementFields.commonViolations.default('allow'),
    forwardViolationsTo: forwardViolationsTo.optional(),
  })
  .describe('What the source does with unplanned data and violations (default: allow all).')

/**
 * A partial enforcement (PATCH body): only the settings given change, no defaults;
 * `forwardViolationsTo: null` stops forwarding.
 */
export const enforcementPatchSchema = z.strictObject({
  unplannedEvents: enforcementFields.unplannedEvents.optional(),
  unplannedProperties: enforcementFields.unplannedProperties.optional(),
  unplannedIdentifyTraits: enforcementFields.unplannedIdentifyTraits.optional(),
  unplannedGroupTraits: enforcementFields.unplannedGroupTraits.optional(),
  trackViolations: enforcementFields.trackViolations.optional(),
  identifyViolations: enforcementFields.identifyViolations.optional(),
  groupViolations: enforcementFields.groupViolations.optional(),
  commonViolations: enforcementFields.commonViolations.optional(),
  forwardViolationsTo: forwardViolationsTo.nullable().optional(),
})

export const planSourceSchema = z.strictObject({
  id: z.string().min(1).describe('Source id.'),
  enforcement: enforcementSchema.prefault({}),
})

const planFields = {
  name: z.string().min(1).max(200).describe('Plan name.'),
  description: z.string().max(2000).optional().describe('What the plan covers.'),
  rules: z.array(planRuleSchema).default([]).describe('The rules (at most 2,000).'),
}

/** A plan as the API creates it: the id is optional (generated `tp_…`). */
export const planInputSchema = z.strictObject({
  id: z.string().regex(PLAN_ID, 'letters, digits, _ and - only (1 to 64)').optional(),
  ...planFields,
})

/** One plan of the config file: the id is required, sources are connected by the file. */
export const trackingPlanConfigSchema = z
  .strictObject({
    id: z
      .string()
      .regex(PLAN_ID, 'letters, digits, _ and - only (1 to 64)')
      .describe('Plan id (stable across restarts).'),
    ...planFields,
    sources: z
      .array(planSourceSchema)
      .default([])
      .describe('Sources connected to this plan, with their enforcement.'),
  })
  .describe('A tracking plan managed by the config file.')

export const trackingPlansConfigSchema = z
  .array(trackingPlanConfigSchema)
  .describe(
    'Tracking plans managed by this file (read-only in the API; plans created through the API are kept beside them).',
  )

export type PlanRuleInput = z.input<typeof planRuleSchema>
export type PlanInput = z.infer<typeof planInputSchema>
export type TrackingPlanConfig = z.infer<typeof trackingPlanConfigSchema>
