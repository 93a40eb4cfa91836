import type { AuditRecord, AuditRecorder } from '../audit/index.js'
import type { Clock } from '../platform/clock.js'
import { EMPTY_RETENTION, retentionConfigSchema, type RetentionConfig } from './config.js'
import { RetentionErrors } from './errors.js'
import { runRetention, type RetentionRunReport } from './retention-job.js'
import type { RetentionStore } from './retention-store.js'

/** Observes runs (Prometheus in `app/`). */
export interface RetentionObserver {
  onRun(report: RetentionRunReport): void
  onFailure(): void
}

/** What `GET /api/v1/retention/status` answers. */
export interface RetentionStatus {
  managed: boolean
  running: boolean
  intervalMinutes: number
  lastRun: RetentionRunReport | null
  lastError: { at: number; message: string } | null
  nextRunAt: number | null
}

export interface RetentionService {
  /** The policies in force and whether the config file manages them. */
  policies(): { managed: boolean; config: RetentionConfig }
  /** Replaces the API-managed policies (RETENTION_MANAGED when the file manages them). */
  setPolicies(input: unknown): Promise<RetentionConfig>
  /** Applies a reloaded config file's section (undefined: the file no longer manages them). */
  setManaged(config: RetentionConfig | undefined): Promise<void>
  status(): RetentionStatus
  /** Runs now, or waits for the run in progress; resolves with its report. */
  runNow(): Promise<RetentionRunReport>
  /** Schedules runs: first after `firstDelayMs`, then every `intervalMinutes`. */
  start(firstDelayMs?: number): void
  /** Stops scheduling and waits for a run in progress. */
  stop(): Promise<void>
}

export interface RetentionServiceDeps {
  store: RetentionStore
  clock: Clock
  audit: AuditRecorder
  /** The file's `retention` section; its presence makes the policies managed. */
  managed: RetentionConfig | undefined
  observer?: RetentionObserver
  onError: (error: unknown) => void
}

/** The policies saved through the API; empty when none or when they no longer validate. */
async function loadStoredPolicies(
  store: RetentionStore,
  onError: (error: unknown) => void,
): Promise<RetentionConfig> {
  const raw = await store.loadPolicies()
  if (raw === null) return EMPTY_RETENTION
  const parsed = retentionConfigSchema.safeParse(raw)
  if (parsed.success) return parsed.data
  onError(new Error('stored retention policies are invalid; nothing is deleted'))
  return EMPTY_RETENTION
}

/** The section, or RETENTION_INVALID_POLICIES listing every problem. */
function parsePolicies(input: unknown): RetentionConfig {
  const parsed = retentionConfigSchema.safeParse(input)
  if (parsed.success) return parsed.data
  throw RetentionErrors.invalidPolicies(undefined, {
    details: {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    },
  })
}

const JOB = {
  actor: 'system',
  action: 'retention.job',
  target: { type: 'retention', id: null },
  requestId: null,
  ip: null,
} as const

/** The audit entry of a run: rows deleted per table and policy. */
function runEntry(report: RetentionRunReport): AuditRecord {
  const { events, deadLetters, rejected, quarantined, orphanRetries } = report
  return {
    ...JOB,
    target: { ...JOB.target },
    outcome: 'ok',
    details: {
      durationMs: report.durationMs,
      events,
      deadLetters,
      rejected,
      quarantined,
      orphanRetries,
      deletedTotal: sum(events) + sum(deadLetters) + rejected + quarantined + orphanRetries,
    },
  }
}

function failureEntry(message: string): AuditRecord {
  return {
    ...JOB,
    target: { ...JOB.target },
    outcome: 'failed',
    details: { error: message.slice(0, 200) },
  }
}

function sum(values: Record<string, number>): number {
  return Object.values(values).reduce((a, b) => a + b, 0)
}

/**
 * Loads the API-managed policies (when the file does not manage them) and builds the service.
 * Stored policies that no longer validate are ignored (nothing deleted) and reported.
 */
export async function createRetentionService(
  deps: RetentionServiceDeps,
): Promise<RetentionService> {
  const { store, clock, audit } = deps
  let managed = deps.managed
  const loadStored = (): Promise<RetentionConfig> => loadStoredPolicies(store, deps.onError)
  let stored = managed === undefined ? await loadStored() : EMPTY_RETENTION
  const current = (): RetentionConfig => managed ?? stored
  let running: Promise<RetentionRunReport> | null = null
  let lastRun: RetentionRunReport | null = null
  let lastError: RetentionStatus['lastError'] = null
  let timer: NodeJS.Timeout | null = null
  let nextRunAt: number | null = null

  const execute = async (): Promise<RetentionRunReport> => {
    const config = current()
    try {
      const report = await runRetention(store, config, () => clock.now())
      lastRun = report
      lastError = null
      deps.observer?.onRun(report)
      audit.record(runEntry(report))
      return report
    } catch (error) {
      lastError = {
        at: clock.now(),
        message: error instanceof Error ? error.message : String(error),
      }
      deps.observer?.onFailure()
      audit.record(failureEntry(lastError.message))
      throw error
    }
  }
  const runNow = (): Promise<RetentionRunReport> => {
    running ??= execute().finally(() => {
      running = null
    })
    return running
  }
  const schedule = (delayMs: number): void => {
    nextRunAt = clock.now() + delayMs
    timer = setTimeout(() => {
      runNow()
        .catch(deps.onError)
        .finally(() => {
          if (timer !== null) schedule(current().schedule.intervalMinutes * 60_000)
        })
    }, delayMs)
    timer.unref()
  }

  return {
    policies: () => ({ managed: managed !== undefined, config: current() }),
    async setPolicies(input) {
      if (managed !== undefined) throw RetentionErrors.managed()
      const parsed = parsePolicies(input)
      await store.savePolicies(parsed, clock.now())
      stored = parsed
      return parsed
    },
    async setManaged(next) {
      if (next === undefined && managed !== undefined) stored = await loadStored()
      managed = next
    },
    status: () => ({
      managed: managed !== undefined,
      running: running !== null,
      intervalMinutes: current().schedule.intervalMinutes,
      lastRun,
      lastError,
      nextRunAt: timer === null ? null : nextRunAt,
    }),
    runNow,
    start(firstDelayMs = 60_000) {
      if (timer === null) schedule(firstDelayMs)
    },
    async stop() {
      if (timer !== null) clearTimeout(timer)
      timer = null
      nextRunAt = null
      if (running !== null) await running.catch(() => undefined)
    },
  }
}
