import type { AuditRecorderObserver } from '../audit/index.js'
import type { Clock } from '../platform/clock.js'
import { Counter, Gauge, type Registry } from '../platform/metrics/index.js'
import type { RetentionObserver } from '../retention/index.js'

/** Prometheus metrics of the audit recorder and the retention job. */
export function createGovernanceMetrics(
  registry: Registry,
  clock: Clock,
  auditPending: () => number,
): { audit: AuditRecorderObserver; retention: RetentionObserver } {
  return {
    audit: auditMetrics(registry, auditPending),
    retention: retentionMetrics(registry, clock),
  }
}

function auditMetrics(registry: Registry, auditPending: () => number): AuditRecorderObserver {
  const appended = new Counter({
    name: 'tessera_audit_entries_total',
    help: 'Audit entries appended to the audit log.',
    registers: [registry],
  })
  const dropped = new Counter({
    name: 'tessera_audit_dropped_total',
    help: 'Audit entries dropped because the store failed for longer than the buffer holds.',
    registers: [registry],
  })
  new Gauge({
    name: 'tessera_audit_pending_entries',
    help: 'Audit entries recorded and not yet appended.',
    registers: [registry],
    collect() {
      this.set(auditPending())
    },
  })
  return {
    onAppended: (n) => appended.inc(n),
    onDropped: (n) => dropped.inc(n),
  }
}

function retentionMetrics(registry: Registry, clock: Clock): RetentionObserver {
  const deleted = new Counter({
    name: 'tessera_retention_deleted_rows_total',
    help: 'Rows deleted by the retention job, by table (events, dead_letters, rejected_events, quarantined_events, retries) and policy.',
    labelNames: ['table', 'policy'],
    registers: [registry],
  })
  const lastDeleted = new Gauge({
    name: 'tessera_retention_last_run_deleted_rows',
    help: 'Rows deleted by the last retention run, by table and policy.',
    labelNames: ['table', 'policy'],
    registers: [registry],
  })
  const runs = new Counter({
    name: 'tessera_retention_runs_total',
    help: 'Retention runs by outcome (ok or failed).',
    labelNames: ['outcome'],
    registers: [registry],
  })
  const lastRun = new Gauge({
    name: 'tessera_retention_last_run_timestamp_seconds',
    help: 'When the last successful retention run finished (Unix seconds).',
    registers: [registry],
  })
  const lastDuration = new Gauge({
    name: 'tessera_retention_last_run_duration_seconds',
    help: 'How long the last successful retention run took.',
    registers: [registry],
  })
  let oldestEventAt: number | null = null
  new Gauge({
    name: 'tessera_retention_oldest_event_age_seconds',
    help: 'Age of the oldest raw event as of the last retention run (0 when none is left).',
    registers: [registry],
    collect() {
      this.set(oldestEventAt === null ? 0 : Math.max(0, (clock.now() - oldestEventAt) / 1000))
    },
  })
  const count = (table: string, byPolicy: Record<string, number>): void => {
    for (const [policy, rows] of Object.entries(byPolicy)) {
      deleted.inc({ table, policy }, rows)
      lastDeleted.set({ table, policy }, rows)
    }
  }
  return {
    onRun(report) {
      runs.inc({ outcome: 'ok' })
      lastDeleted.reset()
      count('events', report.events)
      count('dead_letters', report.deadLetters)
      count('rejected_events', { all: report.rejected })
      count('quarantined_events', { all: report.quarantined })
      count('retries', { all: report.orphanRetries })
      lastRun.set(report.finishedAt / 1000)
      lastDuration.set(report.durationMs / 1000)
      oldestEventAt = report.oldestEventAt
    },
    onFailure: () => runs.inc({ outcome: 'failed' }),
  }
}
