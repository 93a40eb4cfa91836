import { describe, expect, it } from 'vitest'
import { retentionConfigSchema } from './config.js'
import { compileRetention, rejectedCutoff, selects, type RetentionRule } from './policy.js'

const DAY = 86_400_000
const NOW = Date.parse('2026-06-01T00:00:00.000Z')
const config = (input: unknown) => retentionConfigSchema.parse(input)

/** Which rule decides an event of this age: the one that deletes it, or null (kept). */
function decides(
  rules: RetentionRule[],
  event: { sourceId: string; type: string; name: string | null; ageDays: number },
): string | null {
  const at = NOW - event.ageDays * DAY
  const rule = rules.find(
    (r) => selects(r.match, event) && !r.exclude.some((x) => selects(x, event)),
  )
  return rule !== undefined && at < rule.before ? rule.label : null
}

describe('compileRetention', () => {
  it('turns days into cutoffs and labels policies by name or position', () => {
    const rules = compileRetention(
      config({
        policies: [{ days: 7 }, { name: 'orders', types: ['track'], days: 30 }],
        defaultDays: 90,
      }),
      NOW,
    )
    expect(rules.map((r) => [r.label, r.before])).toEqual([
      ['policy_1', NOW - 7 * DAY],
      ['orders', NOW - 30 * DAY],
      ['default', NOW - 90 * DAY],
    ])
  })

  it('lets the first matching policy decide, so a longer exception can come first', () => {
    const rules = compileRetention(
      config({
        policies: [
          { name: 'orders', types: ['track'], events: ['Order Completed'], days: 365 },
          { name: 'web', sources: ['web'], days: 7 },
        ],
        defaultDays: 30,
      }),
      NOW,
    )
    const order = { sourceId: 'web', type: 'track', name: 'Order Completed' }
    expect(decides(rules, { ...order, ageDays: 100 })).toBeNull()
    expect(decides(rules, { ...order, ageDays: 400 })).toBe('orders')
    expect(decides(rules, { sourceId: 'web', type: 'page', name: null, ageDays: 8 })).toBe('web')
    expect(decides(rules, { sourceId: 'ios', type: 'page', name: null, ageDays: 8 })).toBeNull()
    expect(decides(rules, { sourceId: 'ios', type: 'page', name: null, ageDays: 31 })).toBe(
      'default',
    )
  })

  it('deletes nothing without policies or defaultDays', () => {
    expect(compileRetention(config({}), NOW)).toEqual([])
    expect(rejectedCutoff(config({}), NOW)).toBeNull()
  })

  it('keeps rejected events for rejectedDays, else defaultDays', () => {
    expect(rejectedCutoff(config({ defaultDays: 10 }), NOW)).toBe(NOW - 10 * DAY)
    expect(rejectedCutoff(config({ defaultDays: 10, rejectedDays: 2 }), NOW)).toBe(NOW - 2 * DAY)
  })

  it('refuses invalid sections, listing every problem', () => {
    const result = retentionConfigSchema.safeParse({
      policies: [{ days: 0, types: ['bogus'] }],
      schedule: { batchSize: 10_000 },
    })
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'policies.0.days',
      'policies.0.types.0',
      'schedule.batchSize',
    ])
  })
})
