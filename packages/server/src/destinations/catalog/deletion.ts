import type { DeletionOutcome, DeletionRequest, DeliveryContext, DriverDeps } from '../driver.js'
import { createBridgeContext, runWithHttp } from './bridge.js'
import type { CoreDestination, Runtime } from './core.js'
import type { Masker } from './mask.js'
import { createOutcomeContext, outcomeOfError } from './outcomes.js'

/**
 * Forwards a deletion to a catalog destination whose definition has `onDelete`, the way
 * Segment does: one `delete` call per user id of the person (or, without any, per anonymous
 * id), each with the regulation id as `messageId`, one after another, through the HTTP bridge.
 *
 * Idempotency: the destinations' deletion APIs take the same user again without harm, so a
 * retry after a restart repeats every call. A person known by neither id has nothing to forward
 * (`deleted`). Failure: the first call that throws ends the
 * forwarding as `failed` with the destination's error (masked); the regulation runner retries.
 */
export async function forwardDeletion(options: {
  destination: CoreDestination
  runtime: Runtime
  settings: Record<string, unknown>
  mask: Masker
  deps: DriverDeps
  request: DeletionRequest
  ctx: DeliveryContext
}): Promise<DeletionOutcome> {
  const { destination, request, ctx, deps } = options
  const onDelete = destination.onDelete?.bind(destination)
  if (onDelete === undefined) {
    return { status: 'failed', error: { code: 'NOT_SUPPORTED', message: 'no onDelete' } }
  }
  const subjects =
    request.userIds.length > 0
      ? request.userIds.map((userId) => ({ userId, anonymousId: request.anonymousIds[0] ?? null }))
      : request.anonymousIds.map((anonymousId) => ({ userId: null, anonymousId }))
  for (const subject of subjects) {
    const bridge = createBridgeContext(deps.http, ctx.timeoutMs)
    const event = {
      type: 'delete',
      messageId: request.regulationId,
      ...subject,
      timestamp: new Date(deps.clock.now()).toISOString(),
      context: { regulationId: request.regulationId },
    }
    try {
      await runWithHttp(bridge, () => onDelete(event, options.settings, { signal: ctx.signal }))
    } catch (error) {
      const oc = createOutcomeContext({
        runtime: options.runtime,
        now: deps.clock.now(),
        mask: options.mask,
        exchange: bridge.last,
      })
      const outcome = outcomeOfError(error, oc)
      const detail =
        outcome.status === 'delivered' || outcome.status === 'skipped'
          ? { code: 'DELETE_FAILED', message: 'the destination refused the deletion' }
          : outcome.error
      return { status: 'failed', error: detail }
    } finally {
      destination.responses.length = 0
    }
  }
  return { status: 'deleted' }
}
