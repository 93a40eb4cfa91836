import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AlertRule, Incident } from './model.js'
import type { QualityAlertStore } from './quality-store.js'

export interface QualityAlertStoreContractSubject {
  readonly qualityAlerts: QualityAlertStore
  close(): Promise<void>
}

const rule = (overrides: Partial<AlertRule> = {}): AlertRule => ({
  id: 'orders-volume',
  name: 'Orders volume',
  metric: 'volume',
  source: 'src_a',
  event: 'Order Completed',
  condition: { kind: 'below', threshold: 5 },
  windowMs: 3_600_000,
  severity: 'critical',
  critical: true,
  notify: { sourceId: 'src_alerts' },
  ...overrides,
})

const incident = (overrides: Partial<Incident> = {}): Incident => ({
  id: 'inc-1',
  ruleId: 'orders-volume',
  ruleName: 'Orders volume',
  metric: 'volume',
  sourceId: 'src_a',
  event: 'Order Completed',
  severity: 'critical',
  critical: true,
  condition: 'below',
  threshold: 5,
  notifySourceId: 'src_alerts',
  status: 'open',
  openedAt: 1000,
  resolvedAt: null,
  ackedAt: null,
  ackedBy: null,
  observed: 1,
  expected: 5,
  resolvedObserved: null,
  openNotifiedAt: null,
  resolveNotifiedAt: null,
  ...overrides,
})

/** The guarantees documented on {@link QualityAlertStore}, for every adapter. */
export function describeQualityAlertStoreContract(
  name: string,
  open: () => Promise<QualityAlertStoreContractSubject>,
): void {
  describe(`QualityAlertStore contract: ${name}`, () => {
    let subject: QualityAlertStoreContractSubject
    let store: QualityAlertStore

    beforeEach(async () => {
      subject = await open()
      store = subject.qualityAlerts
    })

    afterEach(async () => {
      await subject.close()
    })

    it('inserts, lists, updates and deletes rules by id', async () => {
      expect(await store.rules()).toEqual([])
      expect(await store.insertRule(rule(), 1)).toBe(true)
      expect(await store.insertRule(rule({ name: 'again' }), 2)).toBe(false)
      expect(
        await store.insertRule(rule({ id: 'a-first', condition: { kind: 'anomaly' } }), 3),
      ).toBe(true)
      expect((await store.rules()).map((r) => r.id)).toEqual(['a-first', 'orders-volume'])
      expect((await store.rules())[1]).toEqual(rule())
      expect(await store.updateRule(rule({ name: 'Renamed' }), 4)).toBe(true)
      expect(await store.updateRule(rule({ id: 'missing' }), 4)).toBe(false)
      expect((await store.rules())[1]?.name).toBe('Renamed')
      expect(await store.deleteRule('orders-volume')).toBe(true)
      expect(await store.deleteRule('orders-volume')).toBe(false)
      expect((await store.rules()).map((r) => r.id)).toEqual(['a-first'])
    })

    it('saves incidents idempotently and lists them newest first with filters', async () => {
      await store.saveIncident(incident())
      await store.saveIncident(incident())
      await store.saveIncident(incident({ id: 'inc-2', openedAt: 2000, ruleId: 'other' }))
      expect((await store.incidents({ limit: 10 })).map((i) => i.id)).toEqual(['inc-2', 'inc-1'])
      expect((await store.incidents({ limit: 1 })).map((i) => i.id)).toEqual(['inc-2'])
      const resolved = incident({ status: 'resolved', resolvedAt: 3000, resolvedObserved: 9 })
      await store.saveIncident(resolved)
      expect(await store.incident('inc-1')).toEqual(resolved)
      expect(await store.incident('nope')).toBeNull()
      expect((await store.incidents({ status: 'open', limit: 10 })).map((i) => i.id)).toEqual([
        'inc-2',
      ])
      expect((await store.incidents({ status: 'resolved', limit: 10 })).map((i) => i.id)).toEqual([
        'inc-1',
      ])
      expect((await store.incidents({ ruleId: 'other', limit: 10 })).map((i) => i.id)).toEqual([
        'inc-2',
      ])
    })
  })
}
