/**
 * Where one event went: for every destination, what routing decides for it now (source,
 * consent, restriction, preferences, `integrations`, filters; a privacy discard carries its
 * `detail`) and what its lane recorded (pending behind the cursor, waiting for
 * a retry, dead-lettered, past the cursor: sent, or older than the destination and never
 * backfilled: not sent). Events that a catalog destination's
 * subscriptions did not match count as sent here (the destination skipped them).
 */
import type { RoutePolicy } from '../consent/index.js'
import {
  createRouter,
  integrationNames,
  DestinationErrors,
  type DeliveryAdmin,
  type DestinationConfig,
  type KindResolver,
} from '../destinations/index.js'

export async function traceDeliveries(options: {
  messageId: string
  admin: DeliveryAdmin
  configs: DestinationConfig[]
  kinds: KindResolver
  /** The consent mode and people indexes routing uses (default: Segment's, nobody listed). */
  policy?: RoutePolicy
}) {
  const facts = await options.admin.traceEvent(options.messageId)
  if (!facts) {
    throw DestinationErrors.notFound('No stored event has this messageId.', {
      details: { messageId: options.messageId },
    })
  }
  const queued = {
    seq: facts.seq,
    messageId: options.messageId,
    sourceId: facts.sourceId,
    receivedAt: 0,
    payload: facts.payload,
  }
  const destinations = await Promise.all(
    options.configs.map(async (config) => {
      const lane = facts.lanes.find((l) => l.destinationId === config.id)
      const dead = lane?.deadLetters ?? []
      const base = { destinationId: config.id, name: config.name, type: config.type }
      if (!config.enabled) return { ...base, status: 'disabled' }
      const kind = await options.kinds(config.type)
      if (kind) {
        const names = integrationNames(config, kind)
        const decision = createRouter(config, names, options.policy).route(queued)
        if ('filtered' in decision) {
          const detail = decision.detail ?? null
          return { ...base, status: 'filtered', reason: decision.filtered, detail }
        }
      }
      const pendingDead = dead.filter((d) => d.replayedAt === null)
      if (pendingDead.length > 0) {
        const last = pendingDead[pendingDead.length - 1]!
        return {
          ...base,
          status: 'dead-lettered',
          error: last.error,
          attempts: last.attempts,
          deadLetterId: last.id,
        }
      }
      if (lane?.retry) {
        return {
          ...base,
          status: 'retrying',
          attempts: lane.retry.attempts,
          nextAttemptAt: lane.retry.nextAt,
        }
      }
      if (!lane || facts.seq > lane.cursor) return { ...base, status: 'pending' }
      if (facts.seq <= lane.startSeq && !lane.backfilled && dead.length === 0) {
        return { ...base, status: 'not-sent', reason: 'stored before the destination was created' }
      }
      return { ...base, status: 'delivered', replays: dead.length }
    }),
  )
  return { messageId: options.messageId, seq: facts.seq, sourceId: facts.sourceId, destinations }
}
