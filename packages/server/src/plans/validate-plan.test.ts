import { describe, expect, it } from 'vitest'
import { compileRule } from './ajv.js'
import { checkTrackingPlans } from './file-plans.js'
import { trackingPlanConfigSchema } from './config.js'
import { validatePlan, validateRuleList } from './validate-plan.js'

const props = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  properties: { properties: { type: 'object', properties, required } },
})

describe('validatePlan', () => {
  it('accepts a draft-07 plan and fills defaults', () => {
    const result = validatePlan({
      name: 'Web',
      rules: [
        { type: 'COMMON', jsonSchema: { type: 'object', required: ['context'] } },
        { type: 'TRACK', key: 'Order Completed', jsonSchema: props({ total: { type: 'number' } }) },
        { type: 'TRACK', key: 'Order Completed', version: 2, jsonSchema: props({}) },
        { type: 'IDENTIFY', jsonSchema: { type: 'object' } },
        { type: 'PAGE', jsonSchema: { type: 'object' } },
        { type: 'PAGE', key: 'Home', jsonSchema: { type: 'object' } },
      ],
    })
    expect(result.ok).toBe(true)
    expect(result.ok && result.value.rules).toHaveLength(6)
  })

  it('accepts 2020-12 and 2019-09 schemas and Segment labels', () => {
    for (const dialect of ['2020-12', '2019-09']) {
      const schema = {
        $schema: `https://json-schema.org/draft/${dialect}/schema`,
        type: 'object',
        labels: { owner: 'web' },
        $defs: { money: { type: 'number', minimum: 0 } },
        properties: { properties: { properties: { total: { $ref: '#/$defs/money' } } } },
      }
      expect(
        validatePlan({ name: 'X', rules: [{ type: 'TRACK', key: 'A', jsonSchema: schema }] }).ok,
      ).toBe(true)
    }
  })

  it('reports every problem at once with its path', () => {
    const result = validatePlan({
      name: '',
      rules: [
        { type: 'TRACK', jsonSchema: { type: 'object' } },
        { type: 'GROUP', key: 'g', jsonSchema: { type: 'object' } },
        { type: 'TRACK', key: 'A', jsonSchema: props({ total: { type: 'money' } }) },
        { type: 'TRACK', key: 'B', jsonSchema: {} },
        { type: 'TRACK', key: 'B', version: 1, jsonSchema: {} },
        { type: 'ALIAS', jsonSchema: {} },
      ],
    })
    expect(result.ok).toBe(false)
    expect(result.issues.map((i) => i.path)).toEqual([
      'name',
      'rules.5.type',
      'rules.0.key',
      'rules.1.key',
      'rules.2.jsonSchema.properties.properties.properties.total.type',
      'rules.4',
    ])
    expect(result.issues[5]?.message).toContain('TRACK:B:1')
  })

  it('refuses a 2020-12 schema invalid in its own dialect', () => {
    const result = validatePlan({
      name: 'X',
      rules: [
        {
          type: 'TRACK',
          key: 'A',
          jsonSchema: {
            $schema: 'https://json-schema.org/draft/2020-12/schema',
            type: 'object',
            minProperties: -1,
          },
        },
      ],
    })
    expect(result.ok).toBe(false)
    expect(result.issues[0]?.path).toBe('rules.0.jsonSchema.minProperties')
  })

  it('limits rules per plan and per update', () => {
    const rules = Array.from({ length: 2001 }, (_, i) => ({
      type: 'TRACK',
      key: `E${i}`,
      jsonSchema: {},
    }))
    expect(validatePlan({ name: 'X', rules }).issues).toEqual([
      { path: 'rules', message: 'a plan holds at most 2000 rules (got 2001)' },
    ])
    const update = validateRuleList(rules.slice(0, 201))
    expect(update.ok).toBe(false)
    expect(update.issues[0]?.message).toContain('at most 200 rules per update')
    expect(validateRuleList(rules.slice(0, 200)).ok).toBe(true)
  })
})

describe('compileRule', () => {
  it('checks formats and reports every error', () => {
    const compiled = compileRule({
      jsonSchema: props({ at: { type: 'string', format: 'date-time' }, n: { type: 'integer' } }, [
        'n',
      ]),
    })
    expect(compiled.ok).toBe(true)
    if (!compiled.ok) return
    expect(compiled.validate({ properties: { at: '2026-01-01T00:00:00Z', n: 1 } })).toBe(true)
    expect(compiled.validate({ properties: { at: 'yesterday' } })).toBe(false)
    expect(compiled.validate.errors?.map((e) => e.keyword).sort()).toEqual(['format', 'required'])
  })
})

describe('checkTrackingPlans (config)', () => {
  const parse = (plans: unknown[]) => plans.map((p) => trackingPlanConfigSchema.parse(p))

  it('refuses a source on two plans, duplicate ids, unknown sources and bad rules', () => {
    const plans = parse([
      { id: 'tp_a', name: 'A', sources: [{ id: 'web' }] },
      {
        id: 'tp_a',
        name: 'B',
        rules: [{ type: 'TRACK', jsonSchema: {} }],
        sources: [{ id: 'web' }, { id: 'ios', enforcement: { forwardViolationsTo: 'nope' } }],
      },
    ])
    expect(checkTrackingPlans(plans, ['web', 'ios']).map((p) => p.path)).toEqual([
      'trackingPlans.1.rules.0.key',
      'trackingPlans.1.id',
      'trackingPlans.1.sources.0.id',
      'trackingPlans.1.sources.1.enforcement.forwardViolationsTo',
    ])
    // Without file sources, unknown ids are only warned about at start.
    expect(
      checkTrackingPlans(parse([{ id: 'tp_a', name: 'A', sources: [{ id: 'x' }] }]), []),
    ).toEqual([])
    expect(
      checkTrackingPlans(parse([{ id: 'tp_a', name: 'A', sources: [{ id: 'x' }] }]), ['web']),
    ).toEqual([
      { path: 'trackingPlans.0.sources.0.id', message: 'unknown source x (not in sources)' },
    ])
  })

  it('refuses an enforcement value a setting does not allow', () => {
    const result = trackingPlanConfigSchema.safeParse({
      id: 'tp_a',
      name: 'A',
      sources: [
        { id: 'web', enforcement: { unplannedEvents: 'omit', unplannedProperties: 'block' } },
      ],
    })
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'sources.0.enforcement.unplannedEvents',
      'sources.0.enforcement.unplannedProperties',
    ])
  })
})
