/**
 * The `consent:` config section: the workspace's consent categories and what happens to
 * events that carry no consent data.
 */
import { z } from 'zod'
import { isValidCategoryId } from './read-consent.js'

/** What routing does with an event that carries no consent object. */
export const MISSING_CONSENT_MODES = ['segment', 'strict'] as const
export type MissingConsentMode = (typeof MISSING_CONSENT_MODES)[number]

export const categoryIdSchema = z
  .string()
  .min(1)
  .refine(isValidCategoryId, 'a category id does not start with a digit and is under 35 characters')

/** A channel or content type name: lower-case letters, digits, `-` and `_`, from a letter. */
export const preferenceNameSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9_-]{0,63}$/,
    'lower-case letters, digits, `-` and `_`, up to 64, from a letter',
  )

export const consentCategorySchema = z
  .strictObject({
    id: categoryIdSchema.describe('Category id as the consent manager sends it (case-sensitive).'),
    name: z.string().min(1).max(200).optional().describe('Display name (default: the id).'),
    description: z.string().max(2000).default('').describe('What the category covers.'),
  })
  .describe('A consent category.')

export const consentConfigSchema = z
  .strictObject({
    categories: z
      .array(consentCategorySchema)
      .default([])
      .superRefine((list, ctx) => {
        const seen = new Set<string>()
        list.forEach((c, i) => {
          if (seen.has(c.id)) {
            ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate id '${c.id}'` })
          }
          seen.add(c.id)
        })
      })
      .describe('The consent categories destinations may be mapped to.'),
    missingConsent: z
      .enum(MISSING_CONSENT_MODES)
      .default('segment')
      .describe(
        "Events without consent data: `segment` (Segment's default: no enforcement, they reach every destination) or `strict` (they reach only destinations mapped to no category).",
      ),
  })
  .prefault({})
  .describe('Consent categories and enforcement (read at start).')

export type ConsentConfig = z.output<typeof consentConfigSchema>

/** The part of the consent config routing needs (passed to the delivery engine). */
export interface ConsentPolicy {
  missingConsent: MissingConsentMode
}

export const DEFAULT_CONSENT_POLICY: ConsentPolicy = { missingConsent: 'segment' }
