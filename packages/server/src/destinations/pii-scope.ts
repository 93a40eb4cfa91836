/**
 * Per-destination payload rules (the privacy rules of a destination: hash, mask or block PII
 * fields) applied in the lane, after routing and before the driver gets the event. The engine
 * wraps each destination's router with {@link scopePayloads}; destinations without rules keep
 * the plain router, so their events are neither parsed nor copied.
 *
 * The scope is a plain function so this folder does not depend on the privacy domain; the
 * composition root builds it from `privacy.pii.rules`.
 */
import type { SegmentEvent } from '../protocol/index.js'
import type { DeliveryEvent } from './model.js'
import type { Router } from './route.js'

export interface DeliveryPayloadScope {
  /** Whether any rule applies to this destination; when not, its router is left as it is. */
  appliesTo(destinationId: string): boolean
  /**
   * The payload as this destination may receive it. Pure: `payload` is not modified, a changed
   * payload is a new object. Must not throw on any JSON object.
   */
  apply(
    payload: Record<string, unknown>,
    scope: { sourceId: string; destinationId: string },
  ): { payload: Record<string, unknown>; changed: boolean }
}

/**
 * `router` with the destination's payload rules applied to every event it keeps. A changed
 * event is sent re-serialized (`json: null`); an unchanged one keeps its stored JSON.
 */
export function scopePayloads(
  router: Router,
  destinationId: string,
  scope: DeliveryPayloadScope | undefined,
): Router {
  if (!scope?.appliesTo(destinationId)) return router
  return {
    problems: router.problems,
    route(queued) {
      const decision = router.route(queued)
      if ('filtered' in decision) return decision
      const kept = decision.kept
      const out = scope.apply(kept.event, {
        sourceId: kept.sourceId,
        destinationId,
      })
      if (!out.changed) return decision
      const event: DeliveryEvent = {
        seq: kept.seq,
        messageId: kept.messageId,
        sourceId: kept.sourceId,
        receivedAt: kept.receivedAt,
        event: out.payload as unknown as SegmentEvent,
        json: null,
      }
      return { kept: event }
    },
  }
}
