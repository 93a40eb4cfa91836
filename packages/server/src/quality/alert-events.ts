import type { GroupCommitter } from '../events/index.js'
import { normalizeEvent } from '../protocol/index.js'
import type { Incident } from './model.js'

export const ALERT_TRIGGERED = 'Data Quality Alert Triggered'
export const ALERT_RESOLVED = 'Data Quality Alert Resolved'
/** The anonymous id of alert events (they concern no person). */
export const ALERT_ANONYMOUS_ID = 'tessera-data-quality'

export type Transition = 'opened' | 'resolved'

/** The deterministic message id of an incident's transition: resending it stores it once. */
export function alertMessageId(incident: Incident, transition: Transition): string {
  return `dq-${incident.id}-${transition}`
}

/** The raw track call of an incident transition, as a client would send it. */
export function alertEvent(
  incident: Incident,
  transition: Transition,
  consoleUrl: string,
): Record<string, unknown> {
  const resolved = transition === 'resolved'
  return {
    type: 'track',
    event: resolved ? ALERT_RESOLVED : ALERT_TRIGGERED,
    anonymousId: ALERT_ANONYMOUS_ID,
    messageId: alertMessageId(incident, transition),
    timestamp: new Date(
      resolved ? (incident.resolvedAt ?? incident.openedAt) : incident.openedAt,
    ).toISOString(),
    properties: {
      rule: incident.ruleName,
      rule_id: incident.ruleId,
      metric: incident.metric,
      source: incident.sourceId,
      event: incident.event,
      condition: incident.condition,
      observed: resolved ? incident.resolvedObserved : incident.observed,
      expected: incident.expected,
      threshold: incident.threshold,
      severity: incident.severity,
      critical: incident.critical,
      incident_id: incident.id,
      opened_at: new Date(incident.openedAt).toISOString(),
      ...(resolved && incident.resolvedAt !== null
        ? { resolved_at: new Date(incident.resolvedAt).toISOString() }
        : {}),
      console_link: `${consoleUrl.replace(/\/+$/, '')}/quality/incidents/${encodeURIComponent(incident.id)}`,
    },
    context: { library: { name: 'tessera-data-quality', version: '1' } },
  }
}

/** Appends alert events to the event log. */
export interface AlertSink {
  /**
   * Appends the transition's track event to `sourceId`'s stream through the group committer
   * (the path the tracking API uses) and resolves once it is durable. At least once: the
   * message id is fixed per transition, so a resend is deduplicated by the store.
   */
  append(incident: Incident, transition: Transition, sourceId: string): Promise<void>
}

/** {@link AlertSink} over the group committer of the main thread. */
export function createLogAlertSink(options: {
  committer: GroupCommitter
  consoleUrl: () => string
  now: () => number
}): AlertSink {
  return {
    async append(incident, transition, sourceId) {
      const receivedAt = options.now()
      const result = normalizeEvent(alertEvent(incident, transition, options.consoleUrl()), {
        sourceId,
        routeType: 'track',
        receivedAt,
        batchSentAt: undefined,
        batchContext: undefined,
        batchIntegrations: undefined,
        ip: undefined,
      })
      // The event is built here; a refusal is a bug, not bad input.
      if (!result.ok) throw new Error(`alert event refused: ${result.reason}`)
      await options.committer.submit([{ kind: 'event', record: result.record }])
    },
  }
}
