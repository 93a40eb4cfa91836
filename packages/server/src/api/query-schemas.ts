import { z } from 'zod'
import { EVENT_TYPES } from '../protocol/index.js'

/** An ISO-8601 date or epoch milliseconds, as epoch ms. */
export const time = z.string().transform((value, ctx) => {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value)
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: 'expected an ISO-8601 date or epoch milliseconds' })
    return z.NEVER
  }
  return ms
})

export const limit = (max: number, fallback: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback)

export const eventsQuerySchema = z.strictObject({
  sourceId: z.string().min(1).optional(),
  type: z.enum(EVENT_TYPES).optional(),
  event: z.string().min(1).optional(),
  userId: z.string().min(1).optional(),
  anonymousId: z.string().min(1).optional(),
  messageId: z.string().min(1).optional(),
  since: time.optional(),
  until: time.optional(),
  limit: limit(1000, 100),
  cursor: z.string().min(1).optional(),
})

export const rejectedQuerySchema = z.strictObject({
  sourceId: z.string().min(1).optional(),
  since: time.optional(),
  until: time.optional(),
  limit: limit(1000, 100),
  cursor: z.string().min(1).optional(),
})

export const statsQuerySchema = z.strictObject({
  sourceId: z.string().min(1).optional(),
  since: time.optional(),
  until: time.optional(),
})

export const streamQuerySchema = z.strictObject({
  sourceId: z.string().min(1).optional(),
  access_token: z.string().optional(),
})

const origins = z.array(
  z.string().regex(/^(\*|https?:\/\/[^/\s]+)$/, 'an origin such as https://app.example.com'),
)
const rateLimit = z.strictObject({
  perSecond: z.number().positive(),
  burst: z.number().int().positive(),
})

export const createSourceSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
  name: z.string().min(1).max(200),
  allowedOrigins: origins.nullable().optional(),
  rateLimit: rateLimit.nullable().optional(),
})

export const updateSourceSchema = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  allowedOrigins: origins.nullable().optional(),
  rateLimit: rateLimit.nullable().optional(),
})

export const rotateKeySchema = z
  .strictObject({
    graceSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400)
      .optional(),
  })
  .default({})
