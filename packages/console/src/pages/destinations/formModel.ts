/**
 * The configure form's state and its conversion to the API's destination input. Numbers stay
 * text while edited; JSON (settings objects, mappings) is parsed on submit, and every problem
 * found on the way is reported at once.
 */
import type {
  CatalogDetail,
  DeliveryOptions,
  DestinationConfig,
  DestinationInput,
  Subscription,
} from '../../api/destination-types'
import {
  describeFields,
  toFieldValues,
  toSettings,
  type FieldSpec,
  type FieldValues,
} from './settingsForm'

/** The server's defaults (packages/server/src/destinations/config.ts). */
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

export const DELIVERY_NUMBERS = [
  'batchSize',
  'batchBytes',
  'batchWaitMs',
  'concurrency',
  'rateLimitPerSecond',
  'retryHorizonMs',
  'timeoutMs',
] as const
export type DeliveryNumber = (typeof DELIVERY_NUMBERS)[number]

export interface SubscriptionDraft {
  name: string
  partnerAction: string
  subscribe: string
  /** The mapping as JSON text. */
  mapping: string
  enabled: boolean
}

export interface FormState {
  id: string
  name: string
  enabled: boolean
  /** null = every source. */
  sourceIds: string[] | null
  settings: FieldValues
  subscriptions: SubscriptionDraft[]
  delivery: Record<DeliveryNumber, string>
  orderByUser: boolean
}

/** A lower-case id from a name: `My Webhook!` → `my-webhook`. */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|-+$/g, '')
    .slice(0, 64)
}

export function settingsFields(detail: CatalogDetail): FieldSpec[] {
  return describeFields(detail.settingsSchema, detail.secrets)
}

function draftOf(s: Subscription): SubscriptionDraft {
  return { ...s, mapping: JSON.stringify(s.mapping, null, 2) }
}

/** The catalog's default setup: its `automatic` presets, with the action defaults as mapping. */
export function presetDrafts(detail: CatalogDetail): SubscriptionDraft[] {
  return detail.presets
    .filter((p) => p.type === 'automatic')
    .map((p) => ({
      name: p.name,
      partnerAction: p.partnerAction,
      subscribe: p.subscribe,
      mapping: '{}',
      enabled: true,
    }))
}

function deliveryText(delivery: DeliveryOptions): Record<DeliveryNumber, string> {
  const entries = DELIVERY_NUMBERS.map((key) => [
    key,
    delivery[key] === null ? '' : String(delivery[key]),
  ])
  return Object.fromEntries(entries) as Record<DeliveryNumber, string>
}

function initialSubscriptions(
  detail: CatalogDetail,
  config: DestinationConfig | undefined,
): SubscriptionDraft[] {
  if (config) return config.subscriptions.map(draftOf)
  return detail.usesSubscriptions ? presetDrafts(detail) : []
}

/** The form of a new destination of `detail`'s type, or of `config` to edit. */
export function initialForm(detail: CatalogDetail, config?: DestinationConfig): FormState {
  const fields = settingsFields(detail)
  const delivery = config?.delivery ?? DEFAULT_DELIVERY
  return {
    id: config?.id ?? '',
    name: config?.name ?? '',
    enabled: config?.enabled ?? true,
    sourceIds: config?.sourceIds ?? null,
    settings: toFieldValues(fields, config?.settings ?? {}, !config),
    subscriptions: initialSubscriptions(detail, config),
    delivery: deliveryText(delivery),
    orderByUser: delivery.orderByUser,
  }
}

function toDelivery(state: FormState, problems: string[]): DeliveryOptions {
  const delivery: DeliveryOptions = { ...DEFAULT_DELIVERY, orderByUser: state.orderByUser }
  for (const key of DELIVERY_NUMBERS) {
    const text = state.delivery[key].trim()
    if (text === '' && key === 'rateLimitPerSecond') continue
    const n = Number(text)
    if (text === '' || !Number.isFinite(n)) problems.push(`delivery.${key}: expected a number`)
    else delivery[key] = n
  }
  return delivery
}

function toSubscription(draft: SubscriptionDraft, index: number, problems: string[]): Subscription {
  let mapping: Record<string, unknown> = {}
  try {
    const parsed = JSON.parse(draft.mapping.trim() || '{}') as unknown
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error()
    mapping = parsed as Record<string, unknown>
  } catch {
    problems.push(
      `subscriptions.${index} (${draft.name || draft.partnerAction}): the mapping must be a JSON object`,
    )
  }
  const { name, partnerAction, subscribe, enabled } = draft
  return { name, partnerAction, subscribe, enabled, mapping }
}

/**
 * The API input of the form; `problems` lists what could not be read. Filters and consent
 * categories are not on this form: an edit keeps those of `original`.
 */
export function toInput(
  state: FormState,
  options: { type: string; fields: FieldSpec[]; original?: DestinationConfig },
): { input: DestinationInput; problems: string[] } {
  const { original } = options
  const settings = toSettings(options.fields, state.settings, original?.settings)
  const problems = [...settings.problems]
  const input: DestinationInput = {
    id: state.id.trim(),
    name: state.name.trim() || state.id.trim(),
    type: options.type,
    enabled: state.enabled,
    sourceIds: state.sourceIds,
    settings: settings.settings,
    subscriptions: state.subscriptions.map((s, i) => toSubscription(s, i, problems)),
    delivery: toDelivery(state, problems),
    filters: original?.filters ?? [],
    consentCategories: original?.consentCategories ?? [],
    marketing: original?.marketing ?? false,
    channel: original?.channel ?? null,
    contentType: original?.contentType ?? null,
  }
  return { input, problems }
}
