/** The `nats` destination's settings: schema (validation, JSON Schema for the console) and secrets. */
import { z } from 'zod'
import { streamFilter, templateProblems } from './nats-subject.js'

export const natsSettingsSchema = z
  .object({
    servers: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .default('nats://127.0.0.1:4222')
      .describe('NATS server URL, or several of one cluster.'),
    subject: z
      .string()
      .min(1)
      .default('tessera.events.{type}')
      .superRefine((template, ctx) => {
        for (const message of templateProblems(template)) ctx.addIssue({ code: 'custom', message })
      })
      .describe(
        'Subject template; placeholders `{type}`, `{sourceId}`, `{event}` (snake_cased track ' +
          'event name), sanitized to `[A-Za-z0-9_-]`.',
      ),
    stream: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,255}$/, 'letters, digits, `-` and `_`')
      .optional()
      .describe(
        'JetStream stream to ensure on connect: created, or extended, to capture the ' +
          "subject's literal prefix (`tessera.events.>`).",
      ),
    user: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    token: z.string().min(1).optional(),
    timeoutMs: z
      .number()
      .int()
      .min(100)
      .max(300_000)
      .optional()
      .describe('Connect and ack timeout; defaults to the destination delivery timeout.'),
  })
  .strict()
  .superRefine((settings, ctx) => {
    if (settings.stream !== undefined && streamFilter(settings.subject) === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['subject'],
        message: 'with `stream`, the first subject token must be literal',
      })
    }
  })

export type NatsSettings = z.output<typeof natsSettingsSchema>

export const NATS_SECRETS = ['user', 'password', 'token'] as const

export const natsJsonSchema = z.toJSONSchema(natsSettingsSchema, { io: 'input' }) as Record<
  string,
  unknown
>
