/**
 * The `destinations:` config section (also the body of the destinations API): the shape of
 * one destination with its defaults. A type's own settings are checked by its
 * {@link DestinationKind} (see registry.ts), after this schema.
 */
import { z } from 'zod'
import type { DeliveryOptions, DestinationConfig } from './model.js'

const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/

export const DEFAULT_DELIVERY: DeliveryOptions = {
  batchSize: 100,
  batchBytes: 1_000_000,
  batchWaitMs: 50,
  concurrency: 4,
  rateLimitPerSecond: null,
  retryHorizonMs: 4 * 3_600_000,
  timeoutMs: 10_000,
  orderByUser: false,
}

const filterActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('drop') }).strict(),
  z
    .object({
      type: z.literal('sample'),
      percent: z.number().min(0).max(1).describe('Share of matching events kept, 0 to 1.'),
      path: z
        .string()
        .optional()
        .describe('Sample consistently on this field (e.g. `userId`): one value, one decision.'),
    })
    .strict(),
  z
    .object({
      type: z.literal('drop_properties'),
      fields: z
        .record(z.string(), z.array(z.string()))
        .describe('Object path (`""` top level, `properties`, `context`, …) → keys removed.'),
    })
    .strict(),
  z
    .object({
      type: z.literal('allow_properties'),
      fields: z
        .record(z.string(), z.array(z.string()))
        .describe('Object path → the only keys kept in it.'),
    })
    .strict(),
])

export const destinationFilterSchema = z
  .object({
    id: z.string().regex(ID).optional(),
    title: z.string().max(64).default(''),
    enabled: z.boolean().default(true),
    if: z.string().min(1).describe('FQL condition; `all` matches every event.'),
    actions: z.array(filterActionSchema).min(1),
  })
  .strict()

export const subscriptionSchema = z
  .object({
    name: z.string().max(200).default(''),
    partnerAction: z.string().min(1).describe('The catalog action to run.'),
    subscribe: z.string().min(1).describe('FQL trigger, e.g. `type = "track"`.'),
    mapping: z.record(z.string(), z.unknown()).default({}),
    enabled: z.boolean().default(true),
  })
  .strict()

export const deliveryOptionsSchema = z
  .object({
    batchSize: z.number().int().min(1).max(10_000).default(DEFAULT_DELIVERY.batchSize),
    batchBytes: z.number().int().min(1_000).max(50_000_000).default(DEFAULT_DELIVERY.batchBytes),
    batchWaitMs: z.number().int().min(0).max(60_000).default(DEFAULT_DELIVERY.batchWaitMs),
    concurrency: z.number().int().min(1).max(64).default(DEFAULT_DELIVERY.concurrency),
    rateLimitPerSecond: z.number().positive().nullable().default(null),
    retryHorizonMs: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400_000)
      .default(DEFAULT_DELIVERY.retryHorizonMs)
      .describe('Retries stop this long after the first attempt (default 4 hours).'),
    timeoutMs: z.number().int().min(100).max(300_000).default(DEFAULT_DELIVERY.timeoutMs),
    orderByUser: z.boolean().default(false),
  })
  .strict()

/** One destination as written in the config file or sent to the API. */
export const destinationInputSchema = z
  .object({
    id: z.string().regex(ID, 'lower-case letters, digits, `-` and `_`, up to 64'),
    name: z.string().min(1).max(200).optional(),
    type: z.string().min(1).describe('`webhook`, `postgres-warehouse`, `nats`, or a catalog slug.'),
    enabled: z.boolean().default(true),
    sourceIds: z.array(z.string().min(1)).nullable().default(null),
    settings: z.record(z.string(), z.unknown()).default({}),
    filters: z.array(destinationFilterSchema).default([]),
    subscriptions: z.array(subscriptionSchema).default([]),
    mappings: z
      .array(subscriptionSchema)
      .optional()
      .describe('Alias of `subscriptions` (Segment calls them mappings in its UI).'),
    consentCategories: z.array(z.string().min(1)).default([]),
    delivery: deliveryOptionsSchema.default(DEFAULT_DELIVERY),
  })
  .strict()

export type DestinationInput = z.input<typeof destinationInputSchema>

/** Turns a parsed input into a config: names filters, merges `mappings` into `subscriptions`. */
export function toDestinationConfig(
  input: z.output<typeof destinationInputSchema>,
): DestinationConfig {
  return {
    id: input.id,
    name: input.name ?? input.id,
    type: input.type,
    enabled: input.enabled,
    sourceIds: input.sourceIds,
    settings: input.settings,
    filters: input.filters.map((filter, index) => ({
      id: filter.id ?? `filter-${index + 1}`,
      title: filter.title,
      enabled: filter.enabled,
      if: filter.if,
      actions: filter.actions,
    })),
    subscriptions: [...input.subscriptions, ...(input.mappings ?? [])],
    consentCategories: input.consentCategories,
    delivery: input.delivery,
  }
}

/** The `destinations:` section: present = managed by the file (the API is read-only). */
export const destinationsConfigSchema = z
  .array(destinationInputSchema)
  .superRefine((list, ctx) => {
    const seen = new Set<string>()
    list.forEach((d, i) => {
      if (seen.has(d.id))
        ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate id '${d.id}'` })
      seen.add(d.id)
    })
  })
  .describe('Destinations. When present, they are managed by this file and read-only in the API.')
