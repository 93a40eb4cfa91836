/**
 * The destinations domain's model: a configured destination, its filters and subscriptions,
 * and the events the delivery engine hands to destination drivers.
 */
import type { SegmentEvent } from '../protocol/index.js'

/** One Segment destination-filter action (segment-compat.md §6.1), applied in this order. */
export type FilterAction =
  | { type: 'drop' }
  /** Keep `percent` (0..1) of the events; with `path`, the choice is deterministic per value. */
  | { type: 'sample'; percent: number; path?: string }
  /** `fields`: object path (`''` for top level, `properties`, `context`, …) → keys to remove. */
  | { type: 'drop_properties'; fields: Record<string, string[]> }
  /** `fields`: object path → the only keys kept in that object. */
  | { type: 'allow_properties'; fields: Record<string, string[]> }

/**
 * A destination filter: when the FQL condition `if` matches (`"all"` matches everything), its
 * actions run. A filter whose condition does not parse or fails to evaluate drops the event
 * (Segment's rule: never leak what a filter meant to remove).
 */
export interface DestinationFilter {
  id: string
  title: string
  enabled: boolean
  if: string
  actions: FilterAction[]
}

/**
 * A catalog subscription (segment-compat.md §6.2): when the FQL trigger `subscribe` matches,
 * the action `partnerAction` runs with `mapping`.
 */
export interface Subscription {
  name: string
  partnerAction: string
  subscribe: string
  mapping: Record<string, unknown>
  enabled: boolean
}

/** How the engine delivers to one destination. */
export interface DeliveryOptions {
  /** Events per request when the destination takes batches (1 = one event per request). */
  batchSize: number
  /** Upper bound of a batch's serialized size. */
  batchBytes: number
  /** How long a short batch may wait for more events. */
  batchWaitMs: number
  /** Requests in flight at once. */
  concurrency: number
  /** Events per second sent to this destination; null = no limit. */
  rateLimitPerSecond: number | null
  /** Retries stop this long after the first attempt; the event then goes to the dead letters. */
  retryHorizonMs: number
  /** Per request. */
  timeoutMs: number
  /** When true, an event waits while an earlier event of the same user is being retried. */
  orderByUser: boolean
}

/** A configured destination, as stored (secrets in clear: only the store sees them encrypted). */
export interface DestinationConfig {
  id: string
  name: string
  /** A built-in type (`webhook`, `postgres-warehouse`, `nats`) or a catalog slug (`actions-mixpanel`). */
  type: string
  enabled: boolean
  /** Sources whose events go to this destination; null = every source. */
  sourceIds: string[] | null
  settings: Record<string, unknown>
  filters: DestinationFilter[]
  subscriptions: Subscription[]
  /**
   * Consent categories the destination is mapped to: an event reaches it only when its
   * consent grants every one (segment-compat.md §7). Empty: unmapped, always receives.
   */
  consentCategories: string[]
  /** A marketing destination: people whose processing is restricted never reach it. */
  marketing?: boolean
  /** The channel it sends on (`email`, `sms`, `push`, `whatsapp`, custom): opt-outs honoured. */
  channel?: string | null
  /** The content type it sends (`newsletter`, `offers`, …): opt-outs honoured. */
  contentType?: string | null
  delivery: DeliveryOptions
}

/**
 * One stored event on its way to one destination. `json` is the payload exactly as stored,
 * or null once filters changed `event` (serialize `event` then).
 */
export interface DeliveryEvent {
  seq: number
  messageId: string
  sourceId: string
  receivedAt: number
  event: SegmentEvent
  json: string | null
}
