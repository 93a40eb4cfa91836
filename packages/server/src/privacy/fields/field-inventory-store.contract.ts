/**
 * Contract of {@link FieldInventoryStore}: every adapter (SQLite, PostgreSQL) passes it. Also
 * runs the `fields` consumer over the adapter, end to end from stored events.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EventStore } from '../../events/index.js'
import { buildEventItem, buildLogEntries } from '../../testing/builders.js'
import { createClassifier } from '../pii/classifier.js'
import type { FieldInventoryStore } from './field-inventory-store.js'
import { startFieldsConsumer } from './fields-consumer.js'
import type { FieldDelta, InventoryBatch } from './model.js'

export interface FieldInventoryContractSubject {
  readonly fieldInventory: FieldInventoryStore
  readonly eventStore: EventStore
  close(): Promise<void>
}

const key = { sourceId: 's1', eventType: 'track', eventName: 'Order Completed' }

function field(path: string, overrides: Partial<FieldDelta> = {}): FieldDelta {
  return {
    ...key,
    path,
    count: 1,
    events: 1,
    types: { string: 1 },
    firstSeen: 1_000,
    lastSeen: 1_000,
    piiClass: null,
    piiKind: null,
    ...overrides,
  }
}

function batch(toSeq: number, fields: FieldDelta[], count = 1): InventoryBatch {
  const times = fields.flatMap((f) => [f.firstSeen, f.lastSeen])
  return {
    toSeq,
    events: [
      {
        ...key,
        count,
        firstSeen: Math.min(...times),
        lastSeen: Math.max(...times),
        droppedFields: 0,
      },
    ],
    fields,
  }
}

export function describeFieldInventoryContract(
  name: string,
  open: () => Promise<FieldInventoryContractSubject>,
): void {
  describe(`FieldInventoryStore contract (${name})`, () => {
    let subject: FieldInventoryContractSubject
    let store: FieldInventoryStore
    beforeEach(async () => {
      subject = await open()
      store = subject.fieldInventory
    })
    afterEach(async () => {
      await subject.close()
    })

    it('adds counts and types, keeps first/last seen and the most harmful class', async () => {
      expect(await store.position()).toBe(0)
      await store.apply(
        batch(5, [field('properties.email', { piiClass: 'personal', piiKind: 'email' })]),
      )
      await store.apply(
        batch(9, [
          field('properties.email', {
            count: 2,
            events: 2,
            types: { string: 1, null: 1 },
            firstSeen: 500,
            lastSeen: 3_000,
            piiClass: 'restricted',
            piiKind: 'credential',
          }),
          field('properties.total', { types: { number: 1 } }),
        ]),
      )
      await store.apply(
        batch(12, [field('properties.email', { piiClass: 'sensitive', piiKind: 'x' })]),
      )
      expect(await store.position()).toBe(12)
      const rows = await store.fields({ sourceId: 's1', limit: 10 })
      expect(rows.map((r) => r.path)).toEqual(['properties.email', 'properties.total'])
      expect(rows[0]).toMatchObject({
        count: 4,
        events: 4,
        types: { string: 3, null: 1 },
        firstSeen: 500,
        lastSeen: 3_000,
        piiClass: 'restricted',
        piiKind: 'credential',
      })
      expect(rows[1]).toMatchObject({ piiClass: null, piiKind: null, types: { number: 1 } })
      const [event] = await store.events({ sourceId: 's1' })
      expect(event).toMatchObject({ ...key, count: 3, fields: 2, firstSeen: 500, lastSeen: 3_000 })
    })

    it('ignores a batch that does not move the position (replay after a crash)', async () => {
      await store.apply(batch(5, [field('properties.a')]))
      await store.apply(batch(5, [field('properties.a')]))
      await store.apply(batch(3, [field('properties.a')]))
      const [row] = await store.fields({ limit: 10 })
      expect(row?.count).toBe(1)
      expect(await store.position()).toBe(5)
    })

    it('filters by source, event, class and PII, and pages with a keyset cursor', async () => {
      await store.apply({
        toSeq: 1,
        events: [],
        fields: [
          field('properties.a', { piiClass: 'personal', piiKind: 'email' }),
          field('properties.b'),
          field('properties.c', { piiClass: 'restricted', piiKind: 'payment_card' }),
          field('traits.email', {
            sourceId: 's2',
            eventType: 'identify',
            eventName: '',
            piiClass: 'personal',
            piiKind: 'email',
          }),
        ],
      })
      expect((await store.fields({ piiOnly: true, limit: 10 })).map((r) => r.path)).toEqual([
        'properties.a',
        'properties.c',
        'traits.email',
      ])
      expect(
        (await store.fields({ piiClass: 'restricted', limit: 10 })).map((r) => r.path),
      ).toEqual(['properties.c'])
      expect((await store.fields({ piiClass: 'none', limit: 10 })).map((r) => r.path)).toEqual([
        'properties.b',
      ])
      expect((await store.fields({ sourceId: 's2', limit: 10 })).map((r) => r.path)).toEqual([
        'traits.email',
      ])
      expect(
        (await store.fields({ eventType: 'track', eventName: 'Order Completed', limit: 10 }))
          .length,
      ).toBe(3)
      const first = await store.fields({ limit: 2 })
      const last = first[first.length - 1]!
      const rest = await store.fields({
        limit: 10,
        after: [last.sourceId, last.eventType, last.eventName, last.path],
      })
      expect([...first, ...rest].map((r) => r.path)).toEqual([
        'properties.a',
        'properties.b',
        'properties.c',
        'traits.email',
      ])
      expect(await store.paths(key)).toEqual(
        expect.arrayContaining(['properties.a', 'properties.b', 'properties.c']),
      )
    })

    it('reads stored events in seq order after a position', async () => {
      const items = [1, 2, 3].map((n) => buildEventItem({ receivedAt: 1_000 + n }))
      await subject.eventStore.apply('store', buildLogEntries(1, items))
      const read = await store.readEvents(1, 10)
      expect(read.map((r) => r.seq)).toEqual([2, 3])
      expect(read[0]).toMatchObject({ sourceId: 'src_test', type: 'track', receivedAt: 1_002 })
      expect(JSON.parse(read[0]!.payload)).toMatchObject({ type: 'track' })
      expect((await store.readEvents(0, 1)).length).toBe(1)
    })

    it('the fields consumer builds the inventory from stored events, without values', async () => {
      const payload = (n: number) =>
        JSON.stringify({
          type: 'track',
          event: 'Order Completed',
          messageId: `m-${n}`,
          userId: 'u1',
          properties: {
            total: 10 + n / 2,
            email: 'jane.doe@example.com',
            products: [{ sku: 'A-1' }, { sku: 'B-2' }],
          },
          context: { ip: '203.0.113.9' },
        })
      const items = [1, 2, 3].map((n) =>
        buildEventItem({
          type: 'track',
          name: 'Order Completed',
          receivedAt: 1_000 * n,
          payload: payload(n),
        }),
      )
      await subject.eventStore.apply('store', buildLogEntries(1, items))
      const classifier = createClassifier()
      const consumer = await startFieldsConsumer({
        store,
        classifier: () => classifier,
        batchSize: 2,
        valueSamplesPerHour: 20,
        maxFieldsPerEvent: 100,
        idleMs: 20,
        onError: (error) => {
          throw error
        },
      })
      const end = Date.now() + 10_000
      while (consumer.position() < 3 && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 20))
      }
      await consumer.stop()
      const rows = await store.fields({ sourceId: 'src_test', limit: 100 })
      const byPath = new Map(rows.map((r) => [r.path, r]))
      expect(byPath.get('properties.email')).toMatchObject({
        count: 3,
        events: 3,
        piiClass: 'personal',
        piiKind: 'email',
      })
      expect(byPath.get('properties.total')).toMatchObject({
        types: { number: 2, integer: 1 },
        firstSeen: 1_000,
        lastSeen: 3_000,
      })
      expect(byPath.get('properties.products.$.sku')).toMatchObject({
        count: 6,
        events: 3,
        types: { string: 6 },
      })
      expect(byPath.get('properties.products')).toMatchObject({ types: { array: 3 } })
      expect(byPath.get('context.ip')).toMatchObject({
        piiClass: 'personal',
        piiKind: 'ip_address',
      })
      expect(JSON.stringify(rows)).not.toContain('jane.doe')
      expect(JSON.stringify(rows)).not.toContain('203.0.113.9')
      const [event] = await store.events({ sourceId: 'src_test' })
      expect(event).toMatchObject({ eventType: 'track', eventName: 'Order Completed', count: 3 })
    })

    it('the fields consumer classifies with the classifier current at each batch', async () => {
      const item = (n: number) =>
        buildEventItem({
          type: 'track',
          name: 'Signed Up',
          receivedAt: 1_000 * n,
          payload: JSON.stringify({
            type: 'track',
            event: 'Signed Up',
            properties: { memberNumber: `A-${n}` },
          }),
        })
      let classifier = createClassifier()
      const consumer = await startFieldsConsumer({
        store,
        classifier: () => classifier,
        batchSize: 10,
        valueSamplesPerHour: 20,
        maxFieldsPerEvent: 100,
        idleMs: 20,
        onError: (error) => {
          throw error
        },
      })
      const reach = async (seq: number): Promise<void> => {
        consumer.poke()
        const end = Date.now() + 10_000
        while (consumer.position() < seq && Date.now() < end) {
          await new Promise((r) => setTimeout(r, 20))
        }
      }
      const memberNumber = async () =>
        (await store.fields({ sourceId: 'src_test', limit: 100 })).find(
          (r) => r.path === 'properties.memberNumber',
        )
      try {
        await subject.eventStore.apply('store', buildLogEntries(1, [item(1)]))
        await reach(1)
        expect(await memberNumber()).toMatchObject({ count: 1, piiClass: null })
        // A config reload: custom matchers make the key restricted from the next batch on.
        classifier = createClassifier([
          {
            name: 'member',
            on: 'key',
            type: 'exact',
            pattern: 'member number',
            synonyms: [],
            class: 'restricted',
            threshold: 0.7,
          },
        ])
        await subject.eventStore.apply('store', buildLogEntries(2, [item(2)]))
        await reach(2)
        expect(await memberNumber()).toMatchObject({ count: 2, piiClass: 'restricted' })
      } finally {
        await consumer.stop()
      }
    })
  })
}
