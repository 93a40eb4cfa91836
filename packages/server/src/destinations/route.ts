/**
 * Decides, per event, whether a destination takes it, in this order: the source is connected;
 * the consent, restriction and preference gate passes (consent is evaluated before the
 * `integrations` object, as in Segment, which can only restrict further); the event's
 * `integrations` object allows it; the destination filters keep it (possibly with properties
 * removed). Pure and synchronous: no I/O per event (the gate's people indexes are in memory).
 */
import { createGate, DEFAULT_ROUTE_POLICY, type RoutePolicy } from '../consent/index.js'
import type { SegmentEvent } from '../protocol/index.js'
import { compileFilters, integrationsAllow } from './filters/index.js'
import type { DeliveryEvent, DestinationConfig } from './model.js'
import type { QueuedEvent } from './delivery-store.js'

/** Why routing discarded an event, when a privacy rule did (counted apart in the stats). */
export type FilterCause = 'consent' | 'preference' | 'restriction'

/**
 * `filtered` names the reason (`source`, `integrations`, `unreadable`, a filter id, or a
 * {@link FilterCause}); `by` is set when a privacy rule discarded the event, with `detail`.
 */
export type RouteDecision =
  { kept: DeliveryEvent } | { filtered: string; by?: FilterCause; detail?: string }

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

/**
 * `names` are the names the `integrations` object may use for this destination; `policy` holds
 * the workspace's consent mode and the people indexes (restriction, preferences).
 */
export function createRouter(
  config: DestinationConfig,
  names: readonly string[],
  policy: RoutePolicy = DEFAULT_ROUTE_POLICY,
): Router {
  const filters = compileFilters(config.filters)
  const gate = createGate(config, policy)
  const filtering = config.filters.some((f) => f.enabled)
  const sources = config.sourceIds === null ? null : new Set(config.sourceIds)
  return {
    problems: filters.problems,
    route(queued) {
      if (sources !== null && !sources.has(queued.sourceId)) return { filtered: 'source' }
      const stored = new StoredDeliveryEvent(queued)
      if (gate !== null) {
        try {
          const discard = gate(queued.payload, () => stored.event)
          if (discard !== null) {
            return { filtered: discard.by, by: discard.by, detail: discard.detail }
          }
        } catch {
          return { filtered: 'unreadable' }
        }
      }
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
