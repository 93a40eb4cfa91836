/**
 * The `privacy.pii` config section: custom matchers (at most 100), rules per class (global or
 * per destination), the salt of `hash`, and the limits of the field inventory.
 */
import { z } from 'zod'
import { PII_CLASSES } from './pii/model.js'
import { PII_ACTIONS } from './rules/rules.js'

export const MAX_CUSTOM_MATCHERS = 100

const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/

export const customMatcherSchema = z
  .strictObject({
    name: z
      .string()
      .regex(NAME, 'lower-case letters, digits, _ and -')
      .describe('Matcher name (unique).'),
    on: z.enum(['key', 'value']).describe('Whether the key (field name) or the value is matched.'),
    type: z
      .enum(['exact', 'regex', 'similar'])
      .default('exact')
      .describe(
        '`exact` (keys compared normalized), `regex` (JavaScript syntax), or `similar` (Dice coefficient).',
      ),
    pattern: z.string().min(1).max(500).describe('What is matched.'),
    synonyms: z
      .array(z.string().min(1).max(500))
      .max(50)
      .default([])
      .describe('Other patterns of the same matcher.'),
    class: z
      .enum([...PII_CLASSES, 'none'])
      .describe('Class of what matches; `none` marks it as not PII (overrides a default matcher).'),
    kind: z.string().regex(NAME).optional().describe('Kind reported (default: the name).'),
    threshold: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.7)
      .describe('Similarity above which `similar` matches.'),
  })
  .superRefine((m, ctx) => {
    if (m.type !== 'regex') return
    for (const [i, p] of [m.pattern, ...m.synonyms].entries()) {
      try {
        new RegExp(p, 'u')
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          path: i === 0 ? ['pattern'] : ['synonyms', i - 1],
          message: `not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`,
        })
      }
    }
  })

export const piiRuleSchema = z.strictObject({
  class: z.enum(PII_CLASSES).describe('The class the rule applies to.'),
  action: z
    .enum(PII_ACTIONS)
    .describe(
      '`block` removes the field, `hash` replaces it by HMAC-SHA256 (hex), `mask` keeps its shape, `allow` keeps it.',
    ),
  destinations: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe(
      'Destination ids the rule applies to (in their delivery lane); absent: global, applied by the store step before storing (what was done is recorded in `context.privacy.pii`).',
    ),
})

export const piiConfigSchema = z
  .strictObject({
    salt: z
      .string()
      .min(16, 'a salt has at least 16 characters')
      .optional()
      .describe(
        'Salt (HMAC key) of the `hash` action. Default: generated once into <dataDir>/pii-salt (mode 0600).',
      ),
    matchers: z
      .array(customMatcherSchema)
      .max(MAX_CUSTOM_MATCHERS, `at most ${MAX_CUSTOM_MATCHERS} custom matchers`)
      .default([])
      .superRefine((list, ctx) => {
        const seen = new Set<string>()
        list.forEach((m, i) => {
          if (seen.has(m.name)) {
            ctx.addIssue({
              code: 'custom',
              path: [i, 'name'],
              message: `duplicate matcher '${m.name}'`,
            })
          }
          seen.add(m.name)
        })
      })
      .describe('Custom matchers, tried before the default ones.'),
    rules: z
      .array(piiRuleSchema)
      .default([])
      .describe('What happens to fields of each class. None: every class is allowed.'),
    inventory: z
      .strictObject({
        enabled: z
          .boolean()
          .default(true)
          .describe('Run the `fields` consumer (field inventory and observed schema).'),
        valueSamplesPerHour: z
          .number()
          .int()
          .min(0)
          .max(10_000)
          .default(20)
          .describe(
            'Values classified per field per hour (the key is classified on every occurrence).',
          ),
        maxFieldsPerEvent: z
          .number()
          .int()
          .min(10)
          .max(10_000)
          .default(1_000)
          .describe(
            'Distinct field paths kept per source and event; paths past it are counted as dropped.',
          ),
        batchSize: z
          .number()
          .int()
          .min(1)
          .max(10_000)
          .default(500)
          .describe(
            'Events read per step of the consumer (one transaction each, on the store file: larger steps amortize the per-step work but hold its write lock longer).',
          ),
      })
      .prefault({})
      .describe('Field inventory and observed schema.'),
  })
  .prefault({})
  .describe('PII classification and rules.')

export type PiiConfig = z.output<typeof piiConfigSchema>
export type PiiRuleConfig = z.output<typeof piiRuleSchema>
