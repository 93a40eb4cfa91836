/**
 * The `destinations:` config section (also the body of the destinations API): the shape of
 * one destination with its defaults. A type's own settings are checked by its
 * {@link DestinationKind} (see registry.ts), after this schema.
 */
import { z } from 'zod'
import { categoryIdSchema, preferenceNameSchema } from '../consent/index.js'
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
  z.object({ type: z.literal('drop').describe('Drop the event.') }).strict(),
  z
    .object({
      type: z.literal('sample').describe('Keep a share of the events.'),
      percent: z.number().min(0).max(1).describe('Share of matching events kept, 0 to 1.'),
      path: z
        .string()
        .optional()
        .describe('Sample consistently on this field (e.g. `userId`): one value, one decision.'),
    })
    .strict(),
  z
    .object({
      type: z.literal('drop_properties').describe('Remove fields.'),
      fields: z
        .record(z.string(), z.array(z.string()))
        .describe('Object path (`""` top level, `properties`, `context`, …) → keys removed.'),
    })
    .strict(),
  z
    .object({
      type: z.literal('allow_properties').describe('Keep only the listed fields.'),
      fields: z
        .record(z.string(), z.array(z.string()))
        .describe('Object path → the only keys kept in it.'),
    })
    .strict(),
])

export const destinationFilterSchema = z
  .object({
    id: z.string().regex(ID).optional().describe('Filter id (default `filter-<n>`).'),
    title: z.string().max(64).default('').describe('Title, up to 64 characters.'),
    enabled: z.boolean().default(true).describe('Whether the filter applies.'),
    if: z.string().min(1).describe('FQL condition; `all` matches every event.'),
    actions: z
      .array(filterActionSchema)
      .min(1)
      .describe("Run in Segment's order: drop, sample, drop_properties, allow_properties."),
  })
  .strict()

export const subscriptionSchema = z
  .object({
    name: z.string().max(200).default('').describe('Name of the mapping.'),
    partnerAction: z.string().min(1).describe('The catalog action to run.'),
    subscribe: z.string().min(1).describe('FQL trigger, e.g. `type = "track"`.'),
    mapping: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('Field values or mapping directives (`@path`, `@template`, …).'),
    enabled: z.boolean().default(true).describe('Whether the mapping runs.'),
  })
  .strict()

export const deliveryOptionsSchema = z
  .object({
    batchSize: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(DEFAULT_DELIVERY.batchSize)
      .describe('Events per request when the type takes batches.'),
    batchBytes: z
      .number()
      .int()
      .min(1_000)
      .max(50_000_000)
      .default(DEFAULT_DELIVERY.batchBytes)
      .describe('Upper bound of a batch in bytes.'),
    batchWaitMs: z
      .number()
      .int()
      .min(0)
      .max(60_000)
      .default(DEFAULT_DELIVERY.batchWaitMs)
      .describe('How long a short batch waits for more events.'),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(DEFAULT_DELIVERY.concurrency)
      .describe('Requests in flight at once.'),
    rateLimitPerSecond: z
      .number()
      .positive()
      .nullable()
      .default(null)
      .describe('Events per second at most; null for no limit.'),
    retryHorizonMs: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400_000)
      .default(DEFAULT_DELIVERY.retryHorizonMs)
      .describe('Retries stop this long after the first attempt (default 4 hours).'),
    timeoutMs: z
      .number()
      .int()
      .min(100)
      .max(300_000)
      .default(DEFAULT_DELIVERY.timeoutMs)
      .describe('Per request, in ms.'),
    orderByUser: z
      .boolean()
      .default(false)
      .describe("Hold a user's later events while an earlier one is retried."),
  })
  .strict()

/** One destination as written in the config file or sent to the API. */
export const destinationInputSchema = z
  .object({
    id: z
      .string()
      .regex(ID, 'lower-case letters, digits, `-` and `_`, up to 64')
      .describe('Stable id of the destination.'),
    name: z.string().min(1).max(200).optional().describe('Display name (default: the id).'),
    type: z.string().min(1).describe('`webhook`, `postgres-warehouse`, `nats`, or a catalog slug.'),
    enabled: z.boolean().default(true).describe('Whether events are delivered.'),
    sourceIds: z
      .array(z.string().min(1))
      .nullable()
      .default(null)
      .describe('Sources whose events go here; null for every source.'),
    settings: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('Settings of the type (see GET /api/v1/catalog/<type>).'),
    filters: z.array(destinationFilterSchema).default([]).describe('Destination filters.'),
    subscriptions: z
      .array(subscriptionSchema)
      .default([])
      .describe('Catalog destinations: FQL triggers with their action and mapping.'),
    mappings: z
      .array(subscriptionSchema)
      .optional()
      .describe('Alias of `subscriptions` (Segment calls them mappings in its UI).'),
    consentCategories: z
      .array(categoryIdSchema)
      .default([])
      .describe(
        'Consent categories the destination is mapped to: an event reaches it only when its consent grants all of them. Empty: unmapped, it always receives.',
      ),
    marketing: z
      .boolean()
      .default(false)
      .describe('A marketing destination: people whose processing is restricted never reach it.'),
    channel: preferenceNameSchema
      .nullable()
      .default(null)
      .describe(
        'Channel it sends on (`email`, `sms`, `push`, `whatsapp` or custom): people who opted out of it are not sent.',
      ),
    contentType: preferenceNameSchema
      .nullable()
      .default(null)
      .describe(
        'Content type it sends (`newsletter`, `product_updates`, `offers` or custom): people who opted out of it are not sent.',
      ),
    delivery: deliveryOptionsSchema.default(DEFAULT_DELIVERY).describe('Delivery options.'),
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
    marketing: input.marketing,
    channel: input.channel,
    contentType: input.contentType,
    delivery: input.delivery,
  }
}

/** The `destinations:` section: present = managed by the file (the API is read-only). */
export const destinationsConfigSchema = z
  .array(destinationInputSchema)
  .superRefine((list, ctx) => {
    const seen = new Set<string>()
    list.forEach((d, i) => {
      if (seen.has(d.id)) {
        ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate id '${d.id}'` })
      }
      seen.add(d.id)
    })
  })
  .describe('Destinations. When present, they are managed by this file and read-only in the API.')
