import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EventQuery, EventStore, LogEntry } from '../events/index.js'
import type { JsonObject, LogRecord } from '../protocol/index.js'
import { BUILDER_EPOCH, buildLogRecord } from '../testing/builders.js'
import type { Enforcement, PlanRule } from './model.js'
import { createPlanGateProvider, MemoryActivePlans } from './plan-gate.js'
import type { QuarantineStore, ViolationOutbox } from './quarantine-store.js'

/** What the suite needs: the store's write side and the enforcement read side of one database. */
export interface PlanEnforcementContractSubject {
  readonly eventStore: EventStore
  readonly eventQuery: EventQuery
  readonly quarantine: QuarantineStore
  readonly violationOutbox: ViolationOutbox
  close(): Promise<void>
}

const ENFORCEMENT: Enforcement = {
  unplannedEvents: 'block',
  unplannedProperties: 'omit',
  unplannedIdentifyTraits: 'allow',
  unplannedGroupTraits: 'allow',
  trackViolations: 'allow',
  identifyViolations: 'allow',
  groupViolations: 'allow',
  commonViolations: 'allow',
  forwardViolationsTo: 'src_violations',
}

const RULE: PlanRule = {
  type: 'TRACK',
  key: 'Order Completed',
  jsonSchema: {
    properties: {
      properties: {
        type: 'object',
        properties: { total: { type: 'number' } },
        required: ['total'],
      },
    },
  },
}

function plans(): MemoryActivePlans {
  return new MemoryActivePlans([
    {
      sourceId: 'src_test',
      enforcement: ENFORCEMENT,
      plan: {
        id: 'tp_contract',
        name: 'Contract plan',
        rules: [RULE],
        revision: 2,
        managed: false,
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
      },
    },
  ])
}

function record(event: string, properties: JsonObject, extra: Partial<LogRecord> = {}): LogRecord {
  const base = buildLogRecord({ name: event, ...extra })
  const payload = { ...(JSON.parse(base.payload) as JsonObject), event, properties }
  return { ...base, payload: JSON.stringify(payload) }
}

function entries(records: LogRecord[], first = 1): LogEntry[] {
  return records.map((r, i) => ({ kind: 'event', record: r, offset: first + i }))
}

/**
 * The store step with a tracking-plan gate, on a real database: blocked events go to
 * quarantine and never to events, in the transaction of the batch; omitted properties are
 * stored without them; counters and grouped violations add up once per entry; forwarded
 * violations wait in the outbox; the quarantine's list, edit and status changes.
 */
export function describePlanEnforcementContract(
  name: string,
  open: () => Promise<PlanEnforcementContractSubject>,
): void {
  describe(`plan enforcement contract (${name})`, () => {
    let s: PlanEnforcementContractSubject

    beforeEach(async () => {
      s = await open()
    })
    afterEach(async () => {
      await s.close()
    })

    async function applyWithPlan(list: LogEntry[]) {
      const gate = await createPlanGateProvider(plans()).current()
      return s.eventStore.apply('store', list, gate)
    }

    it('quarantines blocked events, stores the rest (omitted properties recorded), once', async () => {
      const blocked = record('Unplanned', { a: 1 })
      const omitted = record('Order Completed', { total: 3, coupon: 'X' })
      const clean = record('Order Completed', { total: 4 })
      const batch = entries([blocked, omitted, clean])
      const result = await applyWithPlan(batch)
      expect(result).toMatchObject({ stored: 2, quarantined: 1, offset: 3 })
      // Applying the same entries again is skipped whole: nothing is quarantined twice.
      expect(await applyWithPlan(batch)).toMatchObject({ stored: 0, quarantined: 0, skipped: 3 })

      const stored = await s.eventQuery.events({}, { limit: 10 })
      expect(stored.data.map((e) => e.event.messageId).sort()).toEqual(
        [omitted.messageId, clean.messageId].sort(),
      )
      const changed = stored.data.find((e) => e.event.messageId === omitted.messageId)
      expect(changed?.event.properties).toEqual({ total: 3 })
      expect((changed?.event.context as JsonObject).protocols).toMatchObject({
        omitted: ['properties.coupon'],
        sourceId: 'src_test',
      })

      const list = await s.quarantine.list({}, { limit: 10 })
      expect(list.data).toHaveLength(1)
      expect(list.data[0]).toMatchObject({
        sourceId: 'src_test',
        messageId: blocked.messageId,
        type: 'track',
        name: 'Unplanned',
        payload: blocked.payload,
        step: 'plan',
        planId: 'tp_contract',
        planRevision: 2,
        status: 'quarantined',
        violations: [{ type: 'Unplanned Event', field: 'event' }],
      })
    })

    it('counts checks per minute and groups violations, adding across batches', async () => {
      await applyWithPlan(entries([record('Order Completed', { total: 'x' }), record('Nope', {})]))
      await applyWithPlan(entries([record('Order Completed', { total: 'y' })], 3))
      const stats = await s.quarantine.planStats('src_test', 0, BUILDER_EPOCH + 60_000)
      expect(stats).toEqual([
        {
          minute: BUILDER_EPOCH,
          eventType: 'track',
          eventName: 'Nope',
          checked: 1,
          passed: 0,
          violated: 1,
          blocked: 1,
          omitted: 0,
        },
        {
          minute: BUILDER_EPOCH,
          eventType: 'track',
          eventName: 'Order Completed',
          checked: 2,
          passed: 0,
          violated: 2,
          blocked: 0,
          omitted: 0,
        },
      ])
      const groups = await s.quarantine.violations('src_test', BUILDER_EPOCH - 3_600_000)
      expect(groups.map((g) => [g.eventName, g.field, g.violationType, g.count])).toEqual([
        ['Order Completed', 'properties.total', 'Invalid Type', 2],
        ['Nope', 'event', 'Unplanned Event', 1],
      ])
      expect(await s.quarantine.violations('src_test', BUILDER_EPOCH + 3_600_000)).toEqual([])
    })

    it('queues forwarded violations in the outbox, in order, until removed', async () => {
      const bad = record('Order Completed', {})
      await applyWithPlan(entries([bad]))
      const pending = await s.violationOutbox.pending(10)
      expect(pending).toHaveLength(1)
      expect(pending[0]?.sourceId).toBe('src_violations')
      expect(pending[0]?.messageId).toMatch(/^sch-/)
      expect(JSON.parse(pending[0]?.payload ?? '{}')).toMatchObject({
        event: 'Violation Generated',
        userId: 'schema-violations',
        properties: {
          eventMessageID: bad.messageId,
          violationType: 'Required',
          violationField: 'properties.total',
        },
      })
      await s.violationOutbox.remove(pending[0]?.id ?? 0)
      expect(await s.violationOutbox.pending(10)).toEqual([])
    })

    it('writes nothing of the gate without one', async () => {
      expect(await s.eventStore.apply('store', entries([record('Nope', {})]))).toMatchObject({
        stored: 1,
        quarantined: 0,
      })
      expect((await s.quarantine.list({}, { limit: 10 })).data).toEqual([])
      expect(await s.quarantine.planStats('src_test', 0, Number.MAX_SAFE_INTEGER)).toEqual([])
    })

    it('lists with filters and cursor paging; edits and status changes only while quarantined', async () => {
      const list = [0, 1, 2].map((i) =>
        record(`Bad ${i}`, {}, { receivedAt: BUILDER_EPOCH + i * 1000 }),
      )
      await applyWithPlan(entries(list))
      const first = await s.quarantine.list({ sourceId: 'src_test' }, { limit: 2 })
      expect(first.data.map((e) => e.name)).toEqual(['Bad 2', 'Bad 1'])
      expect(first.next).not.toBeNull()
      const second = await s.quarantine.list({}, { limit: 2, after: first.next ?? 0 })
      expect(second.data.map((e) => e.name)).toEqual(['Bad 0'])
      expect(second.next).toBeNull()
      expect((await s.quarantine.list({ eventName: 'Bad 1' }, { limit: 5 })).data).toHaveLength(1)
      expect(
        (await s.quarantine.list({ violationType: 'Unplanned Event' }, { limit: 5 })).data,
      ).toHaveLength(3)
      expect(
        (await s.quarantine.list({ violationType: 'Required' }, { limit: 5 })).data,
      ).toHaveLength(0)
      expect(
        (
          await s.quarantine.list(
            { since: BUILDER_EPOCH + 1000, until: BUILDER_EPOCH + 2000 },
            { limit: 5 },
          )
        ).data.map((e) => e.name),
      ).toEqual(['Bad 1'])
      expect((await s.quarantine.list({ sourceId: 'other' }, { limit: 5 })).data).toEqual([])

      const target = first.data[0]?.id ?? 0
      const edited = await s.quarantine.edit(
        target,
        { payload: '{"type":"track"}', type: 'track', name: 'Fixed' },
        5,
      )
      expect(edited).toMatchObject({ name: 'Fixed', payload: '{"type":"track"}', updatedAt: 5 })
      expect(await s.quarantine.setStatus([target, target + 1000], 'replayed', 6)).toBe(1)
      expect(await s.quarantine.setStatus([target], 'discarded', 7)).toBe(0)
      expect(
        await s.quarantine.edit(target, { payload: '{}', type: 'track', name: null }, 8),
      ).toBeNull()
      expect(await s.quarantine.get(target)).toMatchObject({ status: 'replayed', updatedAt: 6 })
      expect((await s.quarantine.list({ status: 'quarantined' }, { limit: 5 })).data).toHaveLength(
        2,
      )
      expect(await s.quarantine.get(999_999)).toBeNull()
    })

    it('keeps a replayed event blocked again as a new row, apart from the replayed one', async () => {
      const blocked = record('Nope', {})
      await applyWithPlan(entries([blocked]))
      const id = (await s.quarantine.list({}, { limit: 5 })).data[0]?.id ?? 0
      // The replay's append is applied before the old row is marked replayed.
      const payload = JSON.parse(blocked.payload) as JsonObject
      const replay = {
        ...blocked,
        payload: JSON.stringify({
          ...payload,
          context: { protocols: { replayed_from_quarantine: true } },
        }),
      }
      await applyWithPlan(entries([replay], 2))
      await s.quarantine.setStatus([id], 'replayed', 1)
      const rows = (await s.quarantine.list({}, { limit: 5 })).data
      expect(rows.map((e) => [e.messageId, e.status])).toEqual([
        [blocked.messageId, 'quarantined'],
        [blocked.messageId, 'replayed'],
      ])
    })

    it('keeps a client retry of a quarantined event once, in one batch or the next', async () => {
      const blocked = record('Nope', {})
      const other = record('Nope', {})
      // The same messageId twice in a batch (at other offsets), then again in a later batch.
      const first = await applyWithPlan(entries([blocked, other, blocked]))
      expect(first).toMatchObject({ stored: 0, offset: 3 })
      await applyWithPlan(entries([blocked], 4))
      const rows = (await s.quarantine.list({}, { limit: 10 })).data
      expect(rows.map((e) => e.messageId).sort()).toEqual(
        [blocked.messageId, other.messageId].sort(),
      )
      // Once it left the quarantine (discarded), a new retry is quarantined again.
      const id = rows.find((e) => e.messageId === blocked.messageId)?.id ?? 0
      await s.quarantine.setStatus([id], 'discarded', 5)
      await applyWithPlan(entries([blocked], 5))
      const after = (await s.quarantine.list({ status: 'quarantined' }, { limit: 10 })).data
      expect(after.filter((e) => e.messageId === blocked.messageId)).toHaveLength(1)
    })
  })
}
