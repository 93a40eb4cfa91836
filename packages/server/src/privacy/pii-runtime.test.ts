import { describe, expect, it } from 'vitest'
import { piiConfigSchema } from './config.js'
import { createPiiRuntime } from './pii-runtime.js'

describe('createPiiRuntime', () => {
  it('has no ingest step and no delivery scope without rules', () => {
    const runtime = createPiiRuntime(piiConfigSchema.parse({}), 'salt-0123456789abcdef')
    expect(runtime.ingest).toBeNull()
    expect(runtime.ingestRules).toBeNull()
    expect(runtime.delivery).toBeUndefined()
  })

  it('blocks at ingest with a global rule and uses custom matchers', () => {
    const config = piiConfigSchema.parse({
      matchers: [{ name: 'member', on: 'key', pattern: 'member number', class: 'restricted' }],
      rules: [
        { class: 'restricted', action: 'block' },
        { class: 'personal', action: 'hash', destinations: ['d1'] },
      ],
    })
    const runtime = createPiiRuntime(config, 'salt-0123456789abcdef')
    const out = runtime.ingest!({ properties: { memberNumber: 'A-1', plan: 'x' } }, 's1')
    expect(out.payload).toEqual({ properties: { plan: 'x' } })
    // The store step gets the global rules only, with the matchers and the salt.
    expect(runtime.ingestRules).toEqual({
      rules: [{ class: 'restricted', action: 'block' }],
      matchers: config.matchers,
      salt: 'salt-0123456789abcdef',
    })
    expect(runtime.delivery?.appliesTo('d1')).toBe(true)
    expect(runtime.delivery?.appliesTo('d2')).toBe(false)
  })

  it('reports every config problem: bad regex, duplicate names, too many matchers', () => {
    const bad = piiConfigSchema.safeParse({
      matchers: [
        { name: 'a', on: 'value', type: 'regex', pattern: '(', class: 'personal' },
        { name: 'a', on: 'key', pattern: 'x', class: 'personal' },
      ],
    })
    expect(bad.success).toBe(false)
    const messages = bad.error!.issues.map((i) => i.message).join('\n')
    expect(messages).toMatch(/regular expression/)
    expect(messages).toMatch(/duplicate matcher/)
    const many = Array.from({ length: 101 }, (_, i) => ({
      name: `m${i}`,
      on: 'key',
      pattern: `k${i}`,
      class: 'personal',
    }))
    expect(piiConfigSchema.safeParse({ matchers: many }).success).toBe(false)
  })
})
