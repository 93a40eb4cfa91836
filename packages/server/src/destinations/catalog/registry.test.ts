import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { DEFAULT_DELIVERY } from '../config.js'
import type { DestinationConfig } from '../model.js'
import { createCatalogRegistry } from './catalog-kind.js'
import { isDefinitionLoaded } from './definitions.js'

const loadedModules = (fragment: string) =>
  Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes(fragment))

const config = (type: string, over: Partial<DestinationConfig> = {}): DestinationConfig => ({
  id: 'd1',
  name: 'd1',
  type,
  enabled: true,
  sourceIds: null,
  settings: {},
  filters: [],
  subscriptions: [],
  consentCategories: [],
  delivery: DEFAULT_DELIVERY,
  ...over,
})

describe('catalog registry', () => {
  const registry = createCatalogRegistry()

  it('lists the catalog from the manifest without loading any destination', () => {
    const list = registry.list()
    expect(list.length).toBeGreaterThan(200)
    expect(list.every((e) => e.mode === 'cloud')).toBe(true)
    expect(registry.entry('braze')?.slug).toBe('actions-braze-cloud')
    expect(registry.entry('actions-braze-cloud')?.dir).toBe('braze')
    expect(registry.entry('nope')).toBeNull()
    const salesforce = registry.entry('salesforce')
    expect(salesforce?.needs).toContain('oauth')
    expect(registry.entry('aws-s3')?.needs).toContain('non-http-client')
    expect(isDefinitionLoaded('braze')).toBe(false)
    expect(loadedModules('/dist/destinations/braze/')).toEqual([])
  })

  it('loads a definition only when its kind is asked for, once', async () => {
    expect(loadedModules('/dist/destinations/braze/')).toEqual([])
    const kind = await registry.kind('actions-braze-cloud')
    expect(kind?.type).toBe('actions-braze-cloud')
    expect(isDefinitionLoaded('braze')).toBe(true)
    expect(loadedModules('/dist/destinations/braze/').length).toBeGreaterThan(0)
    expect(await registry.kind('braze')).toBe(kind)
    expect(await registry.kind('not-in-catalog')).toBeNull()
  })

  it('derives settings (schema, JSON Schema, secrets) from authentication.fields', async () => {
    const kind = await registry.kind('actions-mixpanel')
    expect(kind?.settings.secrets).toEqual(expect.arrayContaining(['apiSecret', 'projectToken']))
    const parsed = kind?.settings.schema.safeParse({ projectToken: 't', apiSecret: 's' })
    expect(parsed?.success && parsed.data).toMatchObject({ apiRegion: 'US 🇺🇸' })
    expect(kind?.settings.schema.safeParse({ apiSecret: 's' }).success).toBe(false)
    expect(
      kind?.settings.schema.safeParse({ projectToken: 't', apiSecret: 's', apiRegion: 'XX' })
        .success,
    ).toBe(false)
    expect(kind?.settings.jsonSchema.required).toEqual(expect.arrayContaining(['projectToken']))
    expect(kind?.usesSubscriptions).toBe(true)
    expect(kind?.maxBatchSize).toBe(1000)
    expect((await registry.kind('actions-slack'))?.maxBatchSize).toBe(1)
  })

  it('validates subscriptions: presets as default, actions, FQL, required mapping fields', async () => {
    const mixpanel = await registry.kind('actions-mixpanel')
    const settings = { projectToken: 't', apiSecret: 's' }
    expect(await mixpanel?.validate(config('actions-mixpanel', { settings }))).toEqual([])
    const webhook = await registry.kind('actions-webhook')
    expect(await webhook?.validate(config('actions-webhook'))).toEqual([
      'subscriptions: required (this destination has no default setup)',
    ])
    const sub = { name: '', enabled: true, mapping: {} }
    const problems = await webhook?.validate(
      config('actions-webhook', {
        subscriptions: [
          { ...sub, partnerAction: 'nope', subscribe: 'type = "track"' },
          { ...sub, partnerAction: 'send', subscribe: 'typo = "x"' },
          {
            ...sub,
            partnerAction: 'send',
            subscribe: 'type = "track"',
            mapping: { url: 'https://x.example', bogus: 1 },
          },
          {
            ...sub,
            partnerAction: 'send',
            subscribe: 'type = "track"',
            mapping: { url: { '@path': 5 } },
          },
        ],
      }),
    )
    expect(problems?.[0]).toMatch(/^subscriptions\[0\]\.partnerAction: unknown action 'nope'/)
    expect(problems).toContainEqual(expect.stringMatching(/^subscriptions\[1\]\.subscribe: /))
    expect(problems).toContain("subscriptions[1].mapping.url: required by action 'send'")
    expect(problems).toContain("subscriptions[2].mapping.bogus: not a field of action 'send'")
    expect(problems).toContain(
      'subscriptions[3].mapping: /url/@path should be a string or a mapping directive but it is a number.',
    )
  })
})
