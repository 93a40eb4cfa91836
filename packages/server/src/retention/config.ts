import { z } from 'zod'

/** Event types a policy can name (Segment's), or `*`. */
export const RETENTION_EVENT_TYPES = [
  '*',
  'track',
  'identify',
  'page',
  'screen',
  'group',
  'alias',
] as const

const days = z.number().int().min(1).max(36_500)

export const retentionPolicySchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _, . and - only')
    .optional()
    .describe('Label of the policy in metrics and run reports. Default: policy_<position>.'),
  sources: z
    .array(z.string().min(1))
    .min(1)
    .default(['*'])
    .describe('Source ids the policy covers, or ["*"] for every source.'),
  types: z
    .array(z.enum(RETENTION_EVENT_TYPES))
    .min(1)
    .default(['*'])
    .describe('Event types the policy covers, or ["*"].'),
  events: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('Only events with one of these names (track events); default every name.'),
  days: days.describe('Raw events older than this many days (by received time) are deleted.'),
})

export const retentionScheduleSchema = z
  .strictObject({
    intervalMinutes: z
      .number()
      .int()
      .min(1)
      .default(60)
      .describe('How often the retention job runs (also once shortly after start).'),
    batchSize: z
      .number()
      .int()
      .min(1)
      .max(5000)
      .default(2000)
      .describe('Rows deleted per transaction; the job yields between batches.'),
  })
  .prefault({})

/** The `retention` section. */
export const retentionConfigSchema = z.strictObject({
  policies: z
    .array(retentionPolicySchema)
    .default([])
    .describe(
      'Ordered policies: the first policy matching an event decides how long it is kept (like firewall rules).',
    ),
  defaultDays: days
    .optional()
    .describe('Days kept for events no policy matches. Default: kept forever.'),
  rejectedDays: days
    .optional()
    .describe('Days kept for rejected (invalid) events. Default: defaultDays, else forever.'),
  quarantinedDays: days
    .optional()
    .describe(
      'Days kept for events a tracking plan or PII rule blocked into the quarantine (any status), by received time. Default: defaultDays, else forever.',
    ),
  schedule: retentionScheduleSchema.describe('When and how fast the job deletes.'),
})

export type RetentionPolicy = z.infer<typeof retentionPolicySchema>
export type RetentionConfig = z.infer<typeof retentionConfigSchema>

/** The policies when neither the file nor the API set any: nothing is ever deleted. */
export const EMPTY_RETENTION: RetentionConfig = retentionConfigSchema.parse({})
