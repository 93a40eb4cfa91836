import { beforeEach, describe, expect, it } from 'vitest'
import { isError } from '../platform/errors/index.js'
import { ManualClock } from '../platform/clock.js'
import {
  buildIdentityEvent,
  MemoryIdentityStore,
  type IdentityEventInput,
} from '../testing/memory-identity-store.js'
import { DEFAULT_IDENTITY_CONFIG, identityConfigSchema } from './config.js'
import { IdentityErrors } from './errors.js'
import {
  createIdentityRulesHolder,
  createIdentityService,
  IDENTITY_RULES_SETTING,
  loadIdentityRules,
  type IdentityRulesHolder,
} from './identity-service-impl.js'
import type { IdentityService } from './identity-service.js'
import type { Identifier, ProfileRecord } from './model.js'
import type { ProfileQuery } from './profile-query.js'
import { resolveBatch } from './resolve-batch.js'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const clock = new ManualClock(T0 + 60_000)
const email = (value: string): Identifier => ({ type: 'email', value })
const KIOSK: Identifier = { type: 'anonymous_id', value: 'kiosk' }

/** The two methods of ProfileQuery the service uses, over the memory store's tables. */
function queryOver(store: MemoryIdentityStore): ProfileQuery {
  const unsupported = (): never => {
    throw new Error('not used by the identity service')
  }
  return {
    findByIdentifier(collection, id) {
      const s = store.snapshot()
      const row = s.identifiers.get(`${collection}|${id.type}:${id.value}`)
      const profile = row?.profileId == null ? null : (s.profiles.get(row.profileId) ?? null)
      return Promise.resolve(profile)
    },
    edges(profileId, limit) {
      const edges = store.snapshot().edges.filter((e) => e.profileId === profileId)
      return Promise.resolve(edges.slice(0, limit))
    },
    get: unsupported,
    identifiers: unsupported,
    events: unsupported,
    links: unsupported,
    search: unsupported,
    history: unsupported,
    rebuilds: unsupported,
    overrides: unsupported,
    totals: unsupported,
  }
}

describe('identity service', () => {
  let store: MemoryIdentityStore
  let holder: IdentityRulesHolder
  let service: IdentityService

  const resolve = async (inputs: IdentityEventInput[]) => {
    const events = store.appendEvents(inputs.map(buildIdentityEvent))
    await resolveBatch({ store, rules: holder.rules(), consumer: 'identity', events, clock })
  }
  const profiles = (): ProfileRecord[] => [...store.snapshot().profiles.values()]
  const keysOf = (profileId: string) =>
    [...store.snapshot().identifiers.values()]
      .filter((i) => i.profileId === profileId)
      .map((i) => `${i.type}:${i.value}`)
      .sort()
  const profileOf = (id: Identifier) => queryOver(store).findByIdentifier('users', id)

  beforeEach(async () => {
    store = new MemoryIdentityStore(() => clock.now())
    holder = createIdentityRulesHolder({ config: DEFAULT_IDENTITY_CONFIG, managed: false })
    service = createIdentityService({ store, query: queryOver(store), clock, rules: holder })
    // Two people identified on one kiosk: merged through the kiosk's anonymousId.
    await resolve([
      {
        messageId: 'k1',
        timestamp: T0,
        anonymousId: 'kiosk',
        type: 'identify',
        traits: { email: 'a@x.io', plan: 'pro' },
      },
      {
        messageId: 'k2',
        timestamp: T0 + 10,
        anonymousId: 'kiosk',
        type: 'identify',
        traits: { email: 'b@x.io' },
      },
      { messageId: 'k3', timestamp: T0 + 20, anonymousId: 'kiosk', event: 'Bought' },
    ])
  })

  it('splits by blocking an identifier: re-resolved without it, and never matched again', async () => {
    expect(profiles()).toHaveLength(1)
    const before = profiles()[0] as ProfileRecord
    const { override, rebuild } = await service.split('users', {
      kind: 'block',
      identifier: KIOSK,
      reason: 'shared kiosk',
      actor: 'ops@example.com',
    })
    expect(override).toMatchObject({
      kind: 'block',
      a: KIOSK,
      b: null,
      actor: 'ops@example.com',
      createdAt: clock.now(),
    })
    const [a, b] = await Promise.all([profileOf(email('a@x.io')), profileOf(email('b@x.io'))])
    expect(a?.id).toBe(before.id)
    expect(b?.id).not.toBe(a?.id)
    expect(keysOf(a?.id as string)).toEqual(['email:a@x.io'])
    expect(a?.traits.plan?.value).toBe('pro')
    expect(a?.counts).toEqual({ identify: 1 })
    // Three events replayed; k3 carried only the kiosk's id and now resolves to no profile.
    expect(rebuild).toMatchObject({ reason: 'split', actor: 'ops@example.com', events: 3 })
    expect(rebuild.profilesBefore).toEqual([before.id])
    expect(rebuild.profilesAfter).toEqual([a?.id, b?.id].sort())
    expect(store.snapshot().rebuilds).toEqual([rebuild])

    await resolve([
      {
        messageId: 'k4',
        timestamp: T0 + 30,
        anonymousId: 'kiosk',
        type: 'identify',
        traits: { email: 'b@x.io' },
      },
      { messageId: 'k5', timestamp: T0 + 40, anonymousId: 'kiosk' },
    ])
    expect(profiles()).toHaveLength(2)
    expect((await profileOf(email('b@x.io')))?.counts).toEqual({ identify: 2 })
    expect(await profileOf(KIOSK)).toBeNull()
  })

  it('splits by separating two identifiers, and keeps them apart afterwards', async () => {
    const { rebuild } = await service.split('users', {
      kind: 'separate',
      a: email('a@x.io'),
      b: email('b@x.io'),
      reason: 'two people',
      actor: 'ops',
    })
    const a = await profileOf(email('a@x.io'))
    const b = await profileOf(email('b@x.io'))
    expect(b?.id).not.toBe(a?.id)
    expect(keysOf(a?.id as string)).toEqual(['anonymous_id:kiosk', 'email:a@x.io'])
    expect(rebuild.profilesAfter).toHaveLength(2)
    const drop = store.snapshot().edges.find((e) => e.kind === 'drop')
    expect(drop).toMatchObject({ to: KIOSK, rule: 'separated', messageId: 'k2' })

    await resolve([
      {
        messageId: 'k6',
        timestamp: T0 + 50,
        type: 'identify',
        traits: { email: 'a@x.io' },
        context: { traits: {} },
        anonymousId: 'other',
      },
      {
        messageId: 'k7',
        timestamp: T0 + 60,
        type: 'identify',
        traits: { email: 'b@x.io' },
        anonymousId: 'other',
      },
    ])
    expect((await profileOf(email('a@x.io')))?.id).not.toBe((await profileOf(email('b@x.io')))?.id)
  })

  it('leaves the same graph when the same split is made twice', async () => {
    const request = { kind: 'block', identifier: KIOSK, reason: 'kiosk', actor: 'ops' } as const
    await service.split('users', request)
    const once = profiles().map((p) => [p.id, p.traits, p.counts])
    const again = await service.split('users', request)
    expect(profiles().map((p) => [p.id, p.traits, p.counts])).toEqual(once)
    expect(store.snapshot().overrides).toHaveLength(2)
    expect(again.rebuild).toMatchObject({ componentIds: [], events: 0, profilesAfter: [] })
  })

  it('refuses an unknown or invalid identifier and keeps nothing', async () => {
    const unknown = service.split('users', {
      kind: 'separate',
      a: email('a@x.io'),
      b: email('nobody@x.io'),
      reason: 'r',
      actor: 'ops',
    })
    await expect(unknown).rejects.toSatisfy((e) => isError(e, IdentityErrors.notFound))
    const wrongCollection = service.split('accounts', {
      kind: 'block',
      identifier: KIOSK,
      reason: 'r',
      actor: 'ops',
    })
    await expect(wrongCollection).rejects.toSatisfy((e) => isError(e, IdentityErrors.notFound))
    const blockedValue = service.split('users', {
      kind: 'block',
      identifier: { type: 'anonymous_id', value: 'anonymous' },
      reason: 'r',
      actor: 'ops',
    })
    await expect(blockedValue).rejects.toSatisfy((e) =>
      isError(e, IdentityErrors.invalidIdentifier),
    )
    const same = service.split('users', {
      kind: 'separate',
      a: KIOSK,
      b: KIOSK,
      reason: 'r',
      actor: 'ops',
    })
    await expect(same).rejects.toSatisfy((e) => isError(e, IdentityErrors.invalidIdentifier))
    expect(store.snapshot().overrides).toEqual([])
    expect(profiles()).toHaveLength(1)
  })

  it('explains why two identifiers share a profile with the shortest path of edges', async () => {
    const result = await service.explain('users', email('a@x.io'), email('b@x.io'))
    expect(result.connected).toBe(true)
    expect(result.profileId).toBe(profiles()[0]?.id)
    expect(result.path.map((e) => [e.kind, e.from?.value, e.to.value, e.messageId])).toEqual([
      ['attach', 'a@x.io', 'kiosk', 'k1'],
      ['attach', 'kiosk', 'b@x.io', 'k2'],
    ])
    const self = await service.explain('users', KIOSK, KIOSK)
    expect(self).toMatchObject({ connected: true, path: [] })
  })

  it('explains that identifiers on different profiles are not connected', async () => {
    await resolve([{ messageId: 'x1', timestamp: T0 + 99, userId: 'stranger' }])
    const apart = await service.explain('users', email('a@x.io'), {
      type: 'user_id',
      value: 'stranger',
    })
    expect(apart).toEqual({ connected: false, profileId: profiles()[0]?.id, path: [] })
    const unknown = service.explain('users', email('nobody@x.io'), email('a@x.io'))
    await expect(unknown).rejects.toSatisfy((e) => isError(e, IdentityErrors.notFound))
  })
})

describe('identity rules', () => {
  const deps = (holder: IdentityRulesHolder, store = new MemoryIdentityStore(() => T0)) => ({
    store,
    query: queryOver(store),
    clock,
    rules: holder,
  })

  it('stores valid rules, puts them in force, and returns them with defaults', async () => {
    const store = new MemoryIdentityStore(() => T0)
    const holder = createIdentityRulesHolder({ config: DEFAULT_IDENTITY_CONFIG, managed: false })
    const service = createIdentityService(deps(holder, store))
    const input = { identifiers: { user_id: { limit: 2 } }, mergeCap: 7 }
    const config = await service.setRules(input, 'ops')
    expect(config).toEqual(identityConfigSchema.parse(input))
    expect(await store.getSetting(IDENTITY_RULES_SETTING)).toEqual(input)
    expect(store.settingMeta(IDENTITY_RULES_SETTING)?.updatedBy).toBe('ops')
    expect(service.rules()).toEqual({ config, managed: false })
    expect(holder.rules().ruleFor('user_id').limit).toBe(2)
    expect(holder.rules().mergeCap).toBe(7)
  })

  it('refuses invalid rules with the problems, and keeps the rules in force', async () => {
    const holder = createIdentityRulesHolder({ config: DEFAULT_IDENTITY_CONFIG, managed: false })
    const service = createIdentityService(deps(holder))
    const attempt = service.setRules({ mergeCap: 0, bogus: true }, 'ops')
    await expect(attempt).rejects.toSatisfy((e) => isError(e, IdentityErrors.invalidRules))
    await attempt.catch((error: unknown) => {
      const issues = (error as { details?: { issues?: Array<{ path: string }> } }).details?.issues
      expect(issues?.map((i) => i.path)).toContain('mergeCap')
    })
    expect(holder.rules().mergeCap).toBe(100)
  })

  it('refuses to change rules the config file manages', async () => {
    const holder = createIdentityRulesHolder({ config: DEFAULT_IDENTITY_CONFIG, managed: true })
    const service = createIdentityService(deps(holder))
    await expect(service.setRules({}, 'ops')).rejects.toSatisfy((e) =>
      isError(e, IdentityErrors.rulesManaged),
    )
    expect(service.rules().managed).toBe(true)
  })

  it('loads the rules from the config file, else from settings, else the defaults', async () => {
    const store = new MemoryIdentityStore()
    const file = identityConfigSchema.parse({ mergeCap: 3 })
    const managed = await loadIdentityRules({ store, fileConfig: file })
    expect([managed.managed, managed.rules().mergeCap]).toEqual([true, 3])
    expect((await loadIdentityRules({ store, fileConfig: null })).config()).toEqual(
      DEFAULT_IDENTITY_CONFIG,
    )
    await store.putSetting(IDENTITY_RULES_SETTING, { mergeCap: 9 }, 'ops')
    const stored = await loadIdentityRules({ store, fileConfig: null })
    expect([stored.managed, stored.rules().mergeCap]).toEqual([false, 9])
    await store.putSetting(IDENTITY_RULES_SETTING, { mergeCap: 'many' }, 'ops')
    const problems: string[][] = []
    const fallback = await loadIdentityRules({
      store,
      fileConfig: null,
      onInvalid: (p) => problems.push(p),
    })
    expect(fallback.rules().mergeCap).toBe(100)
    expect(problems[0]?.[0]).toMatch(/^mergeCap: /)
  })
})
