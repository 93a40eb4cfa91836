import { describe, expect, it } from 'vitest'
import type { JsonObject } from '../protocol/index.js'
import { BUILDER_EPOCH, buildLogRecord } from '../testing/builders.js'
import { OPEN_GATE, runGate, type GateInput, type GateStep } from './gate.js'
import type { ActivePlan, Enforcement } from './model.js'
import { createPlanGateProvider, MemoryActivePlans } from './plan-gate.js'
import { violationMessageId } from './plan-step.js'
import { toLogRecord } from './requeue.js'

function input(offset: number, sourceId = 'src', payload?: JsonObject): GateInput {
  const record = buildLogRecord({ sourceId })
  return { offset, record: payload ? { ...record, payload: JSON.stringify(payload) } : record }
}

function countingStep(
  verdicts: Record<string, 'pass' | 'modified' | 'blocked'>,
): GateStep & { parsed: number } {
  const step = {
    name: 'test',
    parsed: 0,
    wants: (sourceId: string) => sourceId in verdicts,
    check(event: Parameters<GateStep['check']>[0]) {
      const verdict = verdicts[event.record.sourceId] ?? 'pass'
      const payload = event.payload()
      step.parsed += 1
      if (verdict === 'modified') payload.touched = true
      if (verdict === 'blocked') {
        return {
          kind: 'blocked' as const,
          reason: { step: 'test', violations: [], planId: null, planRevision: null },
        }
      }
      return { kind: verdict }
    },
  }
  return step
}

describe('runGate', () => {
  it('passes everything through untouched with no steps', () => {
    const batch = [input(1), input(2)]
    const outcome = runGate(OPEN_GATE, batch)
    expect(outcome.events).toEqual(batch)
    expect(outcome.quarantined).toEqual([])
  })

  it('never parses events of sources no step wants, and keeps their serialized form', () => {
    const step = countingStep({ planned: 'pass' })
    const batch = [input(1, 'other'), input(2, 'planned')]
    const outcome = runGate({ steps: [step] }, batch)
    expect(step.parsed).toBe(1)
    expect(outcome.events[0]).toBe(batch[0])
    expect(outcome.events[1]).toBe(batch[1])
  })

  it('serializes a modified event again and quarantines a blocked one as received', () => {
    const step = countingStep({ changed: 'modified', blocked: 'blocked' })
    const changed = input(1, 'changed')
    const blocked = input(2, 'blocked')
    const outcome = runGate({ steps: [step] }, [changed, blocked])
    expect(outcome.events).toHaveLength(1)
    expect(JSON.parse(outcome.events[0]?.record.payload ?? '{}')).toMatchObject({ touched: true })
    expect(outcome.events[0]?.offset).toBe(1)
    expect(outcome.quarantined).toEqual([
      expect.objectContaining({
        messageId: blocked.record.messageId,
        payload: blocked.record.payload,
      }),
    ])
  })

  it('stops at the first blocking step', () => {
    const first = countingStep({ src: 'blocked' })
    const second = countingStep({ src: 'pass' })
    runGate({ steps: [first, second] }, [input(1)])
    expect(second.parsed).toBe(0)
  })
})

const ENFORCEMENT: Enforcement = {
  unplannedEvents: 'block',
  unplannedProperties: 'allow',
  unplannedIdentifyTraits: 'allow',
  unplannedGroupTraits: 'allow',
  trackViolations: 'allow',
  identifyViolations: 'allow',
  groupViolations: 'allow',
  commonViolations: 'allow',
}

function active(revision: number, forwardViolationsTo?: string): ActivePlan {
  return {
    sourceId: 'src',
    enforcement: { ...ENFORCEMENT, ...(forwardViolationsTo ? { forwardViolationsTo } : {}) },
    plan: {
      id: 'tp_1',
      name: 'Plan',
      revision,
      managed: false,
      createdAt: '',
      updatedAt: '',
      rules: [{ type: 'TRACK', key: 'Order Completed', jsonSchema: {} }],
    },
  }
}

describe('plan gate', () => {
  it('rebuilds only when the stamp moves', async () => {
    const plans = new MemoryActivePlans([active(1)])
    let reads = 0
    const counting = { stamp: () => plans.stamp(), active: () => ((reads += 1), plans.active()) }
    const provider = createPlanGateProvider(counting)
    const a = await provider.current()
    expect(await provider.current()).toBe(a)
    expect(reads).toBe(1)
    plans.set([])
    expect((await provider.current()).steps).toEqual([])
    expect(reads).toBe(2)
  })

  it('counts, records violations and blocks per the plan; forwards with deterministic ids', async () => {
    const gate = await createPlanGateProvider(new MemoryActivePlans([active(1, 'fwd')])).current()
    const event = { type: 'track', event: 'Nope', userId: 'u', messageId: 'm1', properties: {} }
    const batch = [input(1, 'src', event), input(2, 'other', event)]
    batch[0] = {
      offset: 1,
      record: { ...(batch[0] as GateInput).record, messageId: 'm1', name: 'Nope' },
    }
    const outcome = runGate(gate, batch)
    expect(outcome.quarantined).toHaveLength(1)
    expect(outcome.events).toHaveLength(1)
    expect(outcome.stats).toEqual([
      {
        sourceId: 'src',
        minute: BUILDER_EPOCH,
        eventType: 'track',
        eventName: 'Nope',
        checked: 1,
        passed: 0,
        violated: 1,
        blocked: 1,
        omitted: 0,
      },
    ])
    expect(outcome.violations).toEqual([
      expect.objectContaining({ field: 'event', violationType: 'Unplanned Event', count: 1 }),
    ])
    const id = violationMessageId('m1', {
      type: 'Unplanned Event',
      field: 'event',
      description: '',
    })
    expect(outcome.outbox).toEqual([expect.objectContaining({ sourceId: 'fwd', messageId: id })])
    // The same event again forwards the same id; a forwarded violation is never forwarded.
    expect(runGate(gate, batch).outbox[0]?.messageId).toBe(id)
    const forwarded = { offset: 3, record: { ...batch[0].record, messageId: id } }
    expect(runGate(gate, [forwarded]).outbox).toEqual([])
  })
})

describe('toLogRecord', () => {
  it('keeps messageId and timestamp, marks replays, and refuses invalid events', () => {
    const received = Date.parse('2026-03-01T10:00:05.000Z')
    const first = toLogRecord(
      JSON.stringify({
        type: 'track',
        event: 'A',
        userId: 'u',
        messageId: 'm',
        timestamp: '2026-03-01T10:00:00.000Z',
        sentAt: '2026-03-01T10:00:01.000Z',
      }),
      { sourceId: 's', receivedAt: received },
    )
    if (!first.ok) throw new Error(first.reason)
    const again = toLogRecord(first.record.payload, {
      sourceId: 's',
      receivedAt: received,
      markReplayed: true,
    })
    if (!again.ok) throw new Error(again.reason)
    expect(again.record.messageId).toBe('m')
    expect(again.record.timestamp).toBe(first.record.timestamp)
    const replayed = JSON.parse(again.record.payload) as { context: { protocols: unknown } }
    expect(replayed.context.protocols).toEqual({ replayed_from_quarantine: true })
    expect(toLogRecord('{"type":"track"}', { sourceId: 's', receivedAt: received }).ok).toBe(false)
    expect(toLogRecord('not json', { sourceId: 's', receivedAt: received }).ok).toBe(false)
  })
})
