import { createProfileApiAudit, type AuditHooks, type ProfileApiAudit } from '../api/audit-hooks.js'
import { createAuditRecorder, type AuditRecorder } from '../audit/index.js'
import type { Storage } from '../infra/storage.js'
import type { Clock } from '../platform/clock.js'
import type { Logger } from '../platform/logger/index.js'
import type { Registry } from '../platform/metrics/index.js'
import { createRetentionService, type RetentionService } from '../retention/index.js'
import { changedSections } from './config-diff.js'
import type { TesseraConfig } from './config.js'
import { createGovernanceMetrics } from './governance-metrics.js'
import { relayed, type RelaySwitch } from './store-relay.js'

/** How often summaries of throttled authentication failures are recorded. */
const AUDIT_SWEEP_MS = 15_000
/** Delay of the first retention run after start. */
const RETENTION_FIRST_RUN_MS = 60_000

/** The audit recorder and the retention service, with their timers and orderly stop. */
export interface Governance {
  readonly recorder: AuditRecorder
  readonly retention: RetentionService
  /** The Profile API's audit hook (`registerProfileApi`'s `onResponse`). */
  readonly profileAudit: ProfileApiAudit
  /** Starts the retention schedule and the sweeps of the admin API's hooks. */
  start(adminHooks: AuditHooks): void
  /** Records a config reload (changed section names only) and applies its retention section. */
  applyConfig(before: Readonly<TesseraConfig>, after: Readonly<TesseraConfig>): void
  /** After the server closed: stops the schedule (waits for a run) and records the summaries. */
  stopJobs(): Promise<void>
  /** Last, before the stores close: appends every buffered entry. */
  close(): Promise<void>
}

/**
 * Builds the audit recorder (over `storage.audit`) and the retention service (over
 * `storage.retention`). Their writes go through `relay` when it is set (the embedded store
 * worker, store-relay.ts), and straight to the stores otherwise.
 */
export async function composeGovernance(deps: {
  config: Readonly<TesseraConfig>
  storage: Storage
  clock: Clock
  logger: Logger
  registry: Registry
  relay: RelaySwitch
}): Promise<Governance> {
  const { storage, clock, logger } = deps
  // The recorder's gauge reads the recorder, built just after.
  let pending = (): number => 0
  const metrics = createGovernanceMetrics(deps.registry, clock, () => pending())
  const recorder = createAuditRecorder({
    store: relayed(storage.audit, 'audit', deps.relay),
    clock,
    observer: metrics.audit,
    onError: (error) => logger.error({ err: error }, 'audit entries not appended; kept for retry'),
  })
  pending = () => recorder.pending()
  const retention = await createRetentionService({
    store: relayed(storage.retention, 'retention', deps.relay),
    clock,
    audit: recorder,
    managed: deps.config.retention,
    observer: metrics.retention,
    onError: (error) => logger.error({ err: error }, 'retention run failed'),
  })
  const profileAudit = createProfileApiAudit({ recorder, clock })
  let adminHooks: AuditHooks | null = null
  const sweep = (force = false): void => {
    adminHooks?.sweep(force)
    profileAudit.sweep(force)
  }
  let timer: NodeJS.Timeout | null = null
  return {
    recorder,
    retention,
    profileAudit,
    start(hooks) {
      adminHooks = hooks
      timer = setInterval(() => sweep(), AUDIT_SWEEP_MS)
      timer.unref()
      retention.start(RETENTION_FIRST_RUN_MS)
    },
    applyConfig(before, after) {
      const sections = changedSections(before, after)
      if (sections.length > 0) {
        recorder.record({
          actor: 'config',
          action: 'config.reload',
          target: { type: 'config', id: null },
          outcome: 'ok',
          requestId: null,
          ip: null,
          details: { sections },
        })
      }
      retention
        .setManaged(after.retention)
        .catch((error: unknown) => logger.error({ err: error }, 'retention policies not reloaded'))
    },
    async stopJobs() {
      if (timer !== null) clearInterval(timer)
      await retention.stop()
      sweep(true)
    },
    close: () => recorder.close(),
  }
}
