/** The `webhook` destination's settings: schema (validation, JSON Schema for the console) and secrets. */
import { z } from 'zod'

/** The largest number of events in one webhook request. */
export const WEBHOOK_MAX_BATCH = 1_000

/** Headers Tessera sets itself or that the HTTP layer owns; custom headers may not set them. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'idempotency-key',
])
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    return false
  }
}

export const webhookSettingsSchema = z
  .object({
    url: z
      .string()
      .refine(isHttpUrl, 'an absolute http:// or https:// URL')
      .describe('Where events are sent (http or https).'),
    method: z.enum(['POST', 'PUT']).default('POST').describe('HTTP method.'),
    headers: z
      .record(z.string(), z.string())
      .default({})
      .superRefine((headers, ctx) => {
        for (const name of Object.keys(headers)) {
          const lower = name.toLowerCase()
          if (!HEADER_NAME.test(name)) {
            ctx.addIssue({ code: 'custom', path: [name], message: 'not a valid header name' })
          } else if (RESERVED_HEADERS.has(lower) || lower.startsWith('x-tessera-')) {
            ctx.addIssue({ code: 'custom', path: [name], message: 'reserved header' })
          }
        }
      })
      .describe('Extra request headers (e.g. `authorization`). Values are masked in samples.'),
    secret: z
      .string()
      .min(8)
      .optional()
      .describe(
        'Signing secret: requests carry `x-tessera-timestamp` and `x-tessera-signature` ' +
          '(HMAC-SHA256 of `<timestamp>.<body>`). Use 32+ random characters.',
      ),
    batchSize: z
      .number()
      .int()
      .min(1)
      .max(WEBHOOK_MAX_BATCH)
      .default(1)
      .describe('1: one event per request (the event as body). More: `{"batch":[…]}` bodies.'),
    timeoutMs: z
      .number()
      .int()
      .min(100)
      .max(300_000)
      .optional()
      .describe('Per-request timeout; defaults to the destination delivery timeout.'),
  })
  .strict()

export type WebhookSettings = z.output<typeof webhookSettingsSchema>

export const WEBHOOK_SECRETS = ['secret'] as const

export const webhookJsonSchema = z.toJSONSchema(webhookSettingsSchema, {
  io: 'input',
}) as Record<string, unknown>
