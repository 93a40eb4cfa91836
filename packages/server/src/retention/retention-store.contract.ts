import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { LogItem } from '../events/index.js'
import type { Storage } from '../infra/storage.js'
import {
  BUILDER_EPOCH,
  buildEventItem,
  buildLogEntries,
  buildRejectionItem,
} from '../testing/builders.js'
import { retentionConfigSchema } from './config.js'
import { compileRetention, type RetentionRule } from './policy.js'
import { runRetention } from './retention-job.js'

/** What the retention suite needs: a whole storage, and raw access to the delivery tables. */
export interface RetentionStoreContractSubject {
  readonly storage: Storage
  /** Runs one statement (values inlined) on the database holding the delivery tables. */
  executeDelivery(statement: string): Promise<void>
  countDelivery(table: 'delivery_dead_letters' | 'delivery_retries'): Promise<number>
  /** Runs one statement (values inlined) on the database holding the event store's tables. */
  executeStore(statement: string): Promise<void>
  close(): Promise<void>
}

const DAY = 86_400_000
const NOW = BUILDER_EPOCH + 100 * DAY

/**
 * The guarantees documented on RetentionStore and `runRetention`, for every adapter: policies
 * delete only what they select and is older than their cutoff, the first matching policy
 * decides, batches are bounded, aggregates stay. `open` returns an empty storage each test.
 */
export function describeRetentionStoreContract(
  name: string,
  open: () => Promise<RetentionStoreContractSubject>,
): void {
  describe(`RetentionStore contract: ${name}`, () => {
    let subject: RetentionStoreContractSubject
    let storage: Storage
    let offset = 1

    beforeEach(async () => {
      subject = await open()
      storage = subject.storage
      offset = 1
    })

    afterEach(async () => {
      await subject.close()
    })

    async function store(items: LogItem[]): Promise<void> {
      await storage.eventStore.apply('store', buildLogEntries(offset, items))
      offset += items.length
    }

    const event = (
      sourceId: string,
      type: 'track' | 'identify' | 'page',
      ageDays: number,
      name?: string,
    ): LogItem =>
      buildEventItem({
        sourceId,
        type,
        ...(type === 'track' ? { name: name ?? 'Order Completed' } : { name: null }),
        receivedAt: NOW - ageDays * DAY,
      })

    async function remaining(): Promise<string[]> {
      const page = await storage.eventQuery.events({}, { limit: 1000 })
      return page.data
        .map((e) => {
          const name = typeof e.event.event === 'string' ? e.event.event : '-'
          return `${e.sourceId}/${String(e.event.type)}/${name}/${Math.round((NOW - e.receivedAt) / DAY)}`
        })
        .sort()
    }

    const config = (input: unknown) => retentionConfigSchema.parse(input)

    it('deletes only what a policy selects and is older than its days', async () => {
      await store([
        event('web', 'track', 40),
        event('web', 'track', 10),
        event('web', 'identify', 40),
        event('ios', 'track', 40),
      ])
      const report = await runRetention(
        storage.retention,
        config({ policies: [{ sources: ['web'], types: ['track'], days: 30 }] }),
        () => NOW,
      )
      expect(report.events).toEqual({ policy_1: 1 })
      expect(await remaining()).toEqual([
        'ios/track/Order Completed/40',
        'web/identify/-/40',
        'web/track/Order Completed/10',
      ])
      expect(report.oldestEventAt).toBe(NOW - 40 * DAY)
    })

    it('lets the first matching policy decide, then the default', async () => {
      await store([
        event('web', 'track', 20, 'Page Viewed'),
        event('web', 'track', 20, 'Order Completed'),
        event('web', 'track', 200, 'Order Completed'),
        event('ios', 'page', 20),
        event('ios', 'page', 5),
      ])
      const report = await runRetention(
        storage.retention,
        config({
          policies: [
            { name: 'orders', types: ['track'], events: ['Order Completed'], days: 180 },
            { name: 'web', sources: ['web'], days: 7 },
          ],
          defaultDays: 10,
        }),
        () => NOW,
      )
      expect(report.events).toEqual({ orders: 1, web: 1, default: 1 })
      expect(await remaining()).toEqual(['ios/page/-/5', 'web/track/Order Completed/20'])
    })

    it('deletes in bounded batches, oldest first', async () => {
      await store(Array.from({ length: 7 }, (_, i) => event('web', 'track', 50 + i)))
      const rule: RetentionRule | undefined = compileRetention(config({ defaultDays: 30 }), NOW)[0]
      if (rule === undefined) throw new Error('no rule')
      expect(await storage.retention.deleteEvents(rule, 3)).toBe(3)
      expect(await storage.retention.oldestEventAt()).toBe(NOW - 53 * DAY)
      expect(await storage.retention.deleteEvents(rule, 3)).toBe(3)
      expect(await storage.retention.deleteEvents(rule, 3)).toBe(1)
      expect(await storage.retention.deleteEvents(rule, 3)).toBe(0)
      expect(await storage.retention.oldestEventAt()).toBeNull()
    })

    it('deletes old rejected events and keeps ingest counters', async () => {
      await store([
        buildRejectionItem({ sourceId: 'web', receivedAt: NOW - 40 * DAY }),
        buildRejectionItem({ sourceId: 'web', receivedAt: NOW - 1 * DAY }),
        event('web', 'track', 40),
      ])
      const statsBefore = await storage.eventQuery.stats({ since: 0, until: NOW + DAY })
      const report = await runRetention(
        storage.retention,
        config({ defaultDays: 30, rejectedDays: 20 }),
        () => NOW,
      )
      expect(report.rejected).toBe(1)
      expect(report.events).toEqual({ default: 1 })
      const rejected = await storage.eventQuery.rejected({}, { limit: 10 })
      expect(rejected.data.map((r) => r.receivedAt)).toEqual([NOW - DAY])
      expect(await storage.eventQuery.stats({ since: 0, until: NOW + DAY })).toEqual(statsBefore)
      expect(statsBefore.length).toBeGreaterThan(0)
    })

    it('keeps everything without policies, defaultDays or rejectedDays', async () => {
      await store([
        event('web', 'track', 4000),
        buildRejectionItem({ receivedAt: NOW - 4000 * DAY }),
      ])
      const report = await runRetention(storage.retention, config({}), () => NOW)
      expect(report).toMatchObject({ events: {}, rejected: 0, orphanRetries: 0 })
      expect(await remaining()).toHaveLength(1)
    })

    it('deletes dead letters by policy and retries whose event is gone', async () => {
      await store([event('web', 'track', 40), event('web', 'track', 1)])
      const dead = (id: number, source: string, type: string, ageDays: number): string =>
        `INSERT INTO delivery_dead_letters (id, destination_id, seq, message_id, source_id, event_type,
          event_name, received_at, payload, error_code, error_message, attempts, first_attempt_at, failed_at)
         VALUES (${id}, 'd1', ${id}, 'm${id}', '${source}', '${type}', NULL, ${NOW - ageDays * DAY}, '{}',
          'E', 'e', '[]', 0, 0)`
      await subject.executeDelivery(dead(1, 'web', 'track', 40))
      await subject.executeDelivery(dead(2, 'ios', 'track', 40))
      await subject.executeDelivery(dead(3, 'web', 'track', 2))
      const retry = (seq: number, payload: string): string =>
        `INSERT INTO delivery_retries (destination_id, seq, message_id, source_id, received_at,
          user_key, attempts, first_attempt_at, next_at, payload)
         VALUES ('d1', ${seq}, 'm${seq}', 'web', ${NOW - 40 * DAY}, NULL, '[]', 0, 0, ${payload})`
      await subject.executeDelivery(retry(1, 'NULL')) // its event (seq 1) is deleted below
      await subject.executeDelivery(retry(2, 'NULL')) // its event is recent and stays
      await subject.executeDelivery(retry(99, `'{}'`)) // carries its own payload
      const report = await runRetention(
        storage.retention,
        config({ policies: [{ sources: ['web'], days: 30 }] }),
        () => NOW,
      )
      expect(report.events).toEqual({ policy_1: 1 })
      expect(report.deadLetters).toEqual({ policy_1: 1 })
      expect(report.orphanRetries).toBe(1)
      expect(await subject.countDelivery('delivery_dead_letters')).toBe(2)
      expect(await subject.countDelivery('delivery_retries')).toBe(2)
    })

    it('deletes quarantined events older than quarantinedDays, whatever their status', async () => {
      const quarantined = (id: number, ageDays: number, status: string): string =>
        `INSERT INTO quarantined_events (id, source_id, message_id, received_at, type, name, payload,
          violations, step, plan_id, plan_revision, status, quarantined_at, updated_at)
         VALUES (${id}, 'web', 'q${id}', ${NOW - ageDays * DAY}, 'track', 'Blocked', '{}', '[]',
          'plan', NULL, NULL, '${status}', ${NOW - ageDays * DAY}, ${NOW - ageDays * DAY})`
      await subject.executeStore(quarantined(1, 40, 'quarantined'))
      await subject.executeStore(quarantined(2, 35, 'replayed'))
      await subject.executeStore(quarantined(3, 5, 'quarantined'))
      await store([event('web', 'track', 40)])
      // The default of 90 days keeps the event; the quarantine has its own horizon.
      const report = await runRetention(
        storage.retention,
        config({ defaultDays: 90, quarantinedDays: 30, schedule: { batchSize: 1 } }),
        () => NOW,
      )
      expect(report.quarantined).toBe(2)
      expect(report.events).toEqual({ default: 0 })
      const left = await storage.quarantine.list({}, { limit: 10 })
      expect(left.data.map((q) => q.messageId)).toEqual(['q3'])
      // Without quarantinedDays the quarantine follows defaultDays; without either it is kept.
      const kept = await runRetention(storage.retention, config({}), () => NOW + 100 * DAY)
      expect(kept.quarantined).toBe(0)
      const byDefault = await runRetention(
        storage.retention,
        config({ defaultDays: 30 }),
        () => NOW + 100 * DAY,
      )
      expect(byDefault.quarantined).toBe(1)
    })

    it('saves and loads the API-set policies', async () => {
      expect(await storage.retention.loadPolicies()).toBeNull()
      await storage.retention.savePolicies({ defaultDays: 5 }, NOW)
      await storage.retention.savePolicies({ defaultDays: 9 }, NOW + 1)
      expect(await storage.retention.loadPolicies()).toEqual({ defaultDays: 9 })
    })
  })
}
