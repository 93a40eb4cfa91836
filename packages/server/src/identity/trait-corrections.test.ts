import { describe, expect, it } from 'vitest'
import type { TraitValue } from './model.js'
import {
  applyTraitCorrections,
  CORRECTION_SOURCE,
  type TraitCorrection,
} from './trait-corrections.js'

const fromEvent = (value: unknown, timestamp: number, messageId = 'm'): TraitValue => ({
  value,
  sourceId: 'src',
  messageId,
  timestamp,
})

function correction(id: number, trait: string, value: unknown, createdAt: number): TraitCorrection {
  return {
    id,
    profileId: 'usr_1',
    collection: 'users',
    identifier: { type: 'user_id', value: 'u1' },
    trait,
    value,
    removed: value === null,
    previous: null,
    reason: null,
    actor: 'admin',
    createdAt,
  }
}

describe('applyTraitCorrections', () => {
  it('overrides traits set by events at or before the correction', () => {
    const traits = { plan: fromEvent('pro', 100), city: fromEvent('Paris', 200) }
    const out = applyTraitCorrections(traits, [
      correction(1, 'plan', 'enterprise', 200),
      correction(2, 'city', null, 200),
      correction(3, 'tier', 'gold', 200),
    ])
    expect(out.plan).toEqual({
      value: 'enterprise',
      sourceId: CORRECTION_SOURCE,
      messageId: 'correction:1',
      timestamp: 200,
    })
    expect(out.city?.value).toBeNull()
    expect(out.tier?.value).toBe('gold')
    expect(traits.plan.value).toBe('pro')
  })

  it('keeps a trait an event set after the correction', () => {
    const traits = { plan: fromEvent('team', 301, 'newer'), city: fromEvent(null, 301) }
    const out = applyTraitCorrections(traits, [
      correction(1, 'plan', 'enterprise', 300),
      correction(2, 'city', 'Oslo', 300),
    ])
    expect(out.plan?.messageId).toBe('newer')
    expect(out.city?.value).toBeNull()
  })

  it('uses the latest correction of a trait, by time then id', () => {
    const out = applyTraitCorrections({}, [
      correction(5, 'plan', 'b', 100),
      correction(2, 'plan', 'c', 300),
      correction(9, 'plan', 'a', 300),
      correction(1, 'plan', 'old', 50),
    ])
    expect(out.plan?.value).toBe('a')
  })
})
