import { createHash } from 'node:crypto'
import type { JsonObject, LogRecord } from '../protocol/index.js'
import { enforce, type SourceEnforcement } from './enforce.js'
import type { GateStep, GateVerdict, OutboxInsert } from './gate.js'
import type { Violation } from './model.js'

/** `userId` of forwarded violations (Segment's). */
export const VIOLATION_USER_ID = 'schema-violations'
/** Event name of forwarded violations (Segment's). */
export const VIOLATION_EVENT = 'Violation Generated'

/**
 * The `messageId` of a forwarded violation: `sch-` + a hash of the original `messageId`, the
 * field and the violation type. Deterministic, so an event checked again (a replay from
 * quarantine, a batch retried after a crash) forwards the same ids and the store's dedupe by
 * `messageId` keeps one copy.
 */
export function violationMessageId(messageId: string, violation: Violation): string {
  const hash = createHash('sha256')
    .update(`${messageId}\u0000${violation.field}\u0000${violation.type}`)
    .digest('hex')
  return `sch-${hash.slice(0, 32)}`
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null
}

/**
 * A `Violation Generated` track event in Segment's shape. `sourceName` and `sourceSlug` are
 * filled by the outbox drain, which knows the sources; here they hold the source id.
 */
export function violationEvent(
  record: LogRecord,
  payload: JsonObject,
  violation: Violation,
  plan: { planId: string; planName: string; target: string },
): OutboxInsert {
  const context = payload.context as Record<string, unknown> | undefined
  const app = context?.app as Record<string, unknown> | undefined
  const messageId = violationMessageId(record.messageId, violation)
  const event = {
    type: 'track',
    event: VIOLATION_EVENT,
    userId: VIOLATION_USER_ID,
    messageId,
    timestamp: new Date(record.receivedAt).toISOString(),
    forwardedFromProject: record.sourceId,
    properties: {
      appVersion: text(app?.version),
      eventMessageID: record.messageId,
      eventName: record.name ?? '',
      eventSentAt: text(payload.sentAt),
      eventTimestamp: text(payload.timestamp),
      eventType: record.type,
      sourceID: record.sourceId,
      sourceName: record.sourceId,
      sourceSlug: record.sourceId,
      trackingPlanID: plan.planId,
      trackingPlanName: plan.planName,
      violationDescription: violation.description,
      violationField: violation.field,
      violationType: violation.type,
    },
  }
  return { sourceId: plan.target, messageId, payload: JSON.stringify(event) }
}

/**
 * The tracking-plan gate step: for sources with a plan, {@link enforce}s it, counts the check
 * (`plan_stats`), records each violation (`plan_violations`), queues `Violation Generated`
 * events when the source forwards them (never for a forwarded violation itself, so a source
 * forwarding to itself cannot loop) and blocks or passes the event. Sources without a plan are
 * skipped by `wants` at the cost of one map lookup.
 */
export function createPlanStep(plans: ReadonlyMap<string, SourceEnforcement>): GateStep {
  return {
    name: 'plan',
    wants: (sourceId) => plans.has(sourceId),
    check(event, sink): GateVerdict {
      const target = plans.get(event.record.sourceId) as SourceEnforcement
      const payload = event.payload()
      const result = enforce(payload, target)
      const { record } = event
      const violated = result.violations.length > 0 ? 1 : 0
      sink.count(record, {
        checked: 1,
        passed: 1 - violated,
        violated,
        blocked: result.blocked ? 1 : 0,
        omitted:
          result.omitted.length + result.omittedOnViolation.length > 0 && !result.blocked ? 1 : 0,
      })
      for (const v of result.violations) sink.violation(record, v)
      const forwardTo = target.enforcement.forwardViolationsTo
      if (forwardTo && !record.messageId.startsWith('sch-')) {
        const plan = {
          planId: target.compiled.planId,
          planName: target.compiled.planName,
          target: forwardTo,
        }
        for (const v of result.violations) sink.forward(violationEvent(record, payload, v, plan))
      }
      if (result.blocked) {
        return {
          kind: 'blocked',
          reason: {
            step: 'plan',
            violations: result.violations,
            planId: target.compiled.planId,
            planRevision: target.compiled.revision,
          },
        }
      }
      return result.changed ? { kind: 'modified' } : { kind: 'pass' }
    },
  }
}
