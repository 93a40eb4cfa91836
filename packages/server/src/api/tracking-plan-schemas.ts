/** Bodies and parameters of the tracking-plan routes that the plan service does not parse. */
import { z } from 'zod'
import { ruleTypeSchema } from '../plans/index.js'

/** `DELETE /tracking-plans/:id/rules`: the rules to remove, by identity. */
export const ruleRefsBodySchema = z.strictObject({
  rules: z
    .array(
      z.strictObject({
        type: ruleTypeSchema,
        key: z.string().min(1).optional(),
        version: z.number().int().min(1).optional(),
      }),
    )
    .min(1)
    .max(200),
})

/** `/revisions/:revision`: a positive integer. */
export const revisionParamSchema = z.coerce.number().int().min(1)

/** `POST /tracking-plans/:id/sources`. */
export const connectBodySchema = z.strictObject({
  sourceId: z.string().min(1),
  enforcement: z.unknown().optional(),
})
