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

/** `names` are the names the `integrations` object may use for this destination. */
export function createRouter(config: DestinationConfig, names: readonly string[]): Router {
  const filters = compileFilters(config.filters)
  const sources = config.sourceIds === null ? null : new Set(config.sourceIds)
  return {
    problems: filters.problems,
    route(queued) {
      if (sources !== null && !sources.has(queued.sourceId)) return { filtered: 'source' }
      let event: SegmentEvent
      try {
        event = JSON.parse(queued.payload) as SegmentEvent
      } catch {
        return { filtered: 'unreadable' }
      }
      if (!integrationsAllow(event.integrations, names)) return { filtered: 'integrations' }
      const decision = filters.apply({
        seq: queued.seq,
        messageId: queued.messageId,
        sourceId: queued.sourceId,
        receivedAt: queued.receivedAt,
        event,
        json: queued.payload,
      })
      return 'dropped' in decision ? { filtered: decision.dropped } : { kept: decision.kept }
    },
  }
}
