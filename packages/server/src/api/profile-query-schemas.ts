import { z } from 'zod'
import type { Identifier } from '../identity/index.js'

/**
 * Input schemas of the Segment Profile API (`/v1/spaces/…`) and of the identity admin routes
 * (`/api/v1/profiles…`, `/api/v1/identity/…`). Admin schemas are strict (unknown fields are
 * errors, as everywhere in the admin API); Profile API query strings ignore unknown parameters,
 * as Segment's clients may send more than we read.
 */

/** An ISO-8601 date or epoch milliseconds, as epoch ms. */
const time = z.string().transform((value, ctx) => {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value)
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: 'expected an ISO-8601 date or epoch milliseconds' })
    return z.NEVER
  }
  return ms
})

const limit = (max: number, fallback: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback)

/** `a,b,c` → `['a', 'b', 'c']`, blanks dropped. */
const list = z.string().transform((value) => value.split(',').flatMap((item) => item.trim() || []))

const flag = z.enum(['true', 'false']).transform((value) => value === 'true')

/** An optional cursor; `next=` (empty, as in Segment's cursor URLs) means the first page. */
const next = z
  .string()
  .optional()
  .transform((value) => value || undefined)

export const collectionSchema = z.enum(['users', 'accounts'])

/** `type:value`, split at the first colon (types have none; values may); neither part empty. */
export const identifierKeySchema = z.string().transform((key, ctx): Identifier => {
  const colon = key.indexOf(':')
  if (colon <= 0 || colon === key.length - 1) {
    ctx.addIssue({ code: 'custom', message: 'expected an identifier written type:value' })
    return z.NEVER
  }
  return { type: key.slice(0, colon), value: key.slice(colon + 1) }
})

// Segment Profile API.

export const profileApiParamsSchema = z.object({
  spaceId: z.string(),
  collection: collectionSchema,
  externalId: identifierKeySchema,
})

export const profileTraitsQuerySchema = z.object({
  include: list.optional(),
  limit: limit(200, 10),
  verbose: flag.default(false),
  class: z.enum(['audience', 'computed_trait']).optional(),
  next,
})

export const profileEventsQuerySchema = z.object({
  start: time.optional(),
  end: time.optional(),
  include: list.optional(),
  exclude: list.optional(),
  limit: limit(200, 10),
  sort: z.enum(['asc', 'desc']).default('desc'),
  next,
})

export const profileExternalIdsQuerySchema = z.object({
  include: list.optional(),
  limit: limit(200, 10),
  verbose: flag.default(false),
  next,
})

// Admin API.

export const profilesQuerySchema = z.strictObject({
  q: z.string().max(500).default(''),
  collection: collectionSchema.default('users'),
  limit: limit(200, 50),
  cursor: z.string().min(1).optional(),
})

export const profileTimelineQuerySchema = z.strictObject({
  limit: limit(1000, 100),
  cursor: z.string().min(1).optional(),
  start: time.optional(),
  end: time.optional(),
})

export const profileHistoryQuerySchema = z.strictObject({
  limit: limit(1000, 100),
  cursor: z.string().min(1).optional(),
})

export const explainQuerySchema = z.strictObject({
  collection: collectionSchema.default('users'),
  a: identifierKeySchema,
  b: identifierKeySchema,
})

export const overridesQuerySchema = z.strictObject({
  collection: collectionSchema.default('users'),
  profileId: z.string().min(1).optional(),
  identifier: identifierKeySchema.optional(),
})

const reason = z.string().trim().min(1).max(500)

export const splitBodySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('block'), identifier: identifierKeySchema, reason }),
  z.strictObject({
    kind: z.literal('separate'),
    a: identifierKeySchema,
    b: identifierKeySchema,
    reason,
  }),
])
