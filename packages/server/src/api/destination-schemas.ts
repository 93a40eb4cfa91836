/** Query and body schemas of the destinations admin routes. */
import { z } from 'zod'

const time = z.coerce.number().int().min(0)
/** The admin token may come as a query parameter (EventSource and download links). */
const accessToken = { access_token: z.string().optional() }

export const deadLetterQuerySchema = z.strictObject({
  ...accessToken,
  from: time.optional(),
  to: time.optional(),
  errorCode: z.string().min(1).optional(),
  includeReplayed: z.enum(['true', 'false']).optional(),
  cursor: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
})

export const deadLetterSelectorSchema = z.union([
  z.strictObject({ ids: z.array(z.number().int().positive()).min(1).max(10_000) }),
  z.strictObject({
    from: time.optional(),
    to: time.optional(),
    errorCode: z.string().min(1).optional(),
  }),
])

export const backfillBodySchema = z
  .strictObject({ from: time, to: time })
  .refine((b) => b.from < b.to, { message: '`from` must be before `to`', path: ['to'] })

export const metricsQuerySchema = z.strictObject({
  ...accessToken,
  since: time.optional(),
  until: time.optional(),
})

export const testBodySchema = z.strictObject({
  event: z.record(z.string(), z.unknown()),
  /** Test an unsaved config instead of the stored one. */
  destination: z.record(z.string(), z.unknown()).optional(),
})

export const catalogQuerySchema = z.strictObject({
  ...accessToken,
  q: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(500),
})

export const filterPreviewSchema = z.strictObject({
  filters: z.array(z.unknown()).min(1),
  event: z.record(z.string(), z.unknown()),
})
