/**
 * Decides, per event, whether a destination takes it: enabled, the source is connected, the
 * event's `integrations` object allows it, and the destination filters keep it (possibly with
 * properties removed). Consent is enforced by a later step.
 */
import type { SegmentEvent } from '../protocol/index.js'
import { compileFilters, integrationsAllow } from './filters/index.js'
import type { DeliveryEvent, DestinationConfig } from './model.js'
import type { QueuedEvent } from './delivery-store.js'

export type RouteDecision = { kept: DeliveryEvent } | { filtered: string }

export interface Router {
  /** Problems of the filters (FQL that does not compile); such filters drop what they see. */
  readonly problems: string[]
  route(event: QueuedEvent): RouteDecision
}

/**
 * A stored event whose payload is parsed on first use: a webhook or NATS destination without
 * filters sends the stored JSON as it is and never parses it.
 */
class StoredDeliveryEvent implements DeliveryEvent {
  #event: SegmentEvent | null = null
  readonly seq: number
  readonly messageId: string
  readonly sourceId: string
  readonly receivedAt: number
  readonly json: string

  constructor(queued: QueuedEvent) {
    this.seq = queued.seq
    this.messageId = queued.messageId
    this.sourceId = queued.sourceId
    this.receivedAt = queued.receivedAt
    this.json = queued.payload
  }

  get event(): SegmentEvent {
    this.#event ??= JSON.parse(this.json) as SegmentEvent
    return this.#event
  }
}

/** `names` are the names the `integrations` object may use for this destination. */
export function createRouter(config: DestinationConfig, names: readonly string[]): Router {
  const filters = compileFilters(config.filters)
  const filtering = config.filters.some((f) => f.enabled)
  const sources = config.sourceIds === null ? null : new Set(config.sourceIds)
  return {
    problems: filters.problems,
    route(queued) {
      if (sources !== null && !sources.has(queued.sourceId)) return { filtered: 'source' }
      const stored = new StoredDeliveryEvent(queued)
      // Only a payload that names `integrations` (as a key) needs parsing to be routed.
      const mentions = queued.payload.includes('"integrations"')
      if (!mentions && !filtering) return { kept: stored }
      let event: SegmentEvent
      try {
        event = stored.event
      } catch {
        return { filtered: 'unreadable' }
      }
      if (mentions && !integrationsAllow(event.integrations, names)) {
        return { filtered: 'integrations' }
      }
      const decision = filters.apply(stored)
      return 'dropped' in decision ? { filtered: decision.dropped } : { kept: decision.kept }
    },
  }
}
