import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AuditRecord, AuditRecorder } from '../audit/index.js'
import { AppError } from '../platform/errors/index.js'
import { ManualClock } from '../platform/clock.js'
import { retentionConfigSchema } from './config.js'
import type { RetentionRule } from './policy.js'
import { createRetentionService } from './retention-service.js'
import type { RetentionStore } from './retention-store.js'

/** A store that deletes nothing but counts calls and keeps the saved section in memory. */
class CountingStore implements RetentionStore {
  runs = 0
  saved: unknown = null
  fail = false
  deleteEvents(_rule: RetentionRule): Promise<number> {
    this.runs += 1
    return this.fail ? Promise.reject(new Error('disk full')) : Promise.resolve(0)
  }
  deleteDeadLetters(): Promise<number> {
    return Promise.resolve(0)
  }
  deleteOrphanRetries(): Promise<number> {
    return Promise.resolve(0)
  }
  deleteRejected(): Promise<number> {
    return Promise.resolve(0)
  }
  deleteQuarantined(): Promise<number> {
    return Promise.resolve(0)
  }
  oldestEventAt(): Promise<number | null> {
    return Promise.resolve(null)
  }
  loadPolicies(): Promise<unknown> {
    return Promise.resolve(this.saved)
  }
  savePolicies(config: unknown): Promise<void> {
    this.saved = config
    return Promise.resolve()
  }
}

function recorder(entries: AuditRecord[]): AuditRecorder {
  return {
    record: (entry) => entries.push(entry),
    flush: () => Promise.resolve(),
    close: () => Promise.resolve(),
    pending: () => 0,
  }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('createRetentionService', () => {
  it('runs after the first delay, then every interval, and audits each run', async () => {
    vi.useFakeTimers()
    const store = new CountingStore()
    const entries: AuditRecord[] = []
    const service = await createRetentionService({
      store,
      clock: new ManualClock(),
      audit: recorder(entries),
      managed: retentionConfigSchema.parse({ defaultDays: 1, schedule: { intervalMinutes: 5 } }),
      onError: () => undefined,
    })
    service.start(1000)
    await vi.advanceTimersByTimeAsync(999)
    expect(store.runs).toBe(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(store.runs).toBe(1)
    expect(service.status().lastRun?.events).toEqual({ default: 0 })
    await vi.advanceTimersByTimeAsync(5 * 60_000)
    expect(store.runs).toBe(2)
    await service.stop()
    await vi.advanceTimersByTimeAsync(60 * 60_000)
    expect(store.runs).toBe(2)
    expect(entries.map((e) => [e.actor, e.action, e.outcome])).toEqual([
      ['system', 'retention.job', 'ok'],
      ['system', 'retention.job', 'ok'],
    ])
  })

  it('reports a failed run in the status and the audit log', async () => {
    const store = new CountingStore()
    store.fail = true
    const entries: AuditRecord[] = []
    const errors: unknown[] = []
    const service = await createRetentionService({
      store,
      clock: new ManualClock(5000),
      audit: recorder(entries),
      managed: retentionConfigSchema.parse({ defaultDays: 1 }),
      onError: (e) => errors.push(e),
    })
    await expect(service.runNow()).rejects.toThrow('disk full')
    expect(service.status().lastError).toEqual({ at: 5000, message: 'disk full' })
    expect(entries[0]).toMatchObject({ outcome: 'failed', details: { error: 'disk full' } })
  })

  it('saves API policies unless the file manages them, and returns to them on reload', async () => {
    const store = new CountingStore()
    const service = await createRetentionService({
      store,
      clock: new ManualClock(),
      audit: recorder([]),
      managed: undefined,
      onError: () => undefined,
    })
    await service.setPolicies({ defaultDays: 7 })
    expect(service.policies()).toMatchObject({ managed: false, config: { defaultDays: 7 } })
    const invalid = await service.setPolicies({ defaultDays: 0 }).catch((e: unknown) => e)
    expect((invalid as AppError).code).toBe('RETENTION_INVALID_POLICIES')

    await service.setManaged(retentionConfigSchema.parse({ defaultDays: 30 }))
    expect(service.policies()).toMatchObject({ managed: true, config: { defaultDays: 30 } })
    const managed = await service.setPolicies({ defaultDays: 1 }).catch((e: unknown) => e)
    expect(managed).toBeInstanceOf(AppError)
    expect((managed as AppError).code).toBe('RETENTION_MANAGED')

    await service.setManaged(undefined)
    expect(service.policies()).toMatchObject({ managed: false, config: { defaultDays: 7 } })
  })
})
