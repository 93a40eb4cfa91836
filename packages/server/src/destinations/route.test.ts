import { describe, expect, it } from 'vitest'
import {
  DEFAULT_ROUTE_POLICY,
  InMemoryPreferenceIndex,
  InMemoryRestrictedSubjects,
  type RoutePolicy,
} from '../consent/index.js'
import { destinationInputSchema, toDestinationConfig } from './config.js'
import type { QueuedEvent } from './delivery-store.js'
import { createRouter, type RouteDecision } from './route.js'

const NAMES = ['ads', 'Ads']

function config(extra: Record<string, unknown> = {}) {
  return toDestinationConfig(destinationInputSchema.parse({ id: 'ads', type: 'webhook', ...extra }))
}

let seq = 0
function queued(event: Record<string, unknown>): QueuedEvent {
  seq++
  return {
    seq,
    messageId: `m${seq}`,
    sourceId: 'web',
    receivedAt: 0,
    payload: JSON.stringify({ type: 'track', event: 'Order Completed', userId: 'u1', ...event }),
  }
}

const consent = (categoryPreferences: unknown) => ({
  context: { consent: { categoryPreferences } },
})

function route(
  extra: Record<string, unknown>,
  event: Record<string, unknown>,
  policy: RoutePolicy = DEFAULT_ROUTE_POLICY,
): RouteDecision {
  return createRouter(config(extra), NAMES, policy).route(queued(event))
}

const strict: RoutePolicy = { ...DEFAULT_ROUTE_POLICY, consent: { missingConsent: 'strict' } }
const kept = (d: RouteDecision) => 'kept' in d
const cause = (d: RouteDecision) => ('filtered' in d ? (d.by ?? d.filtered) : 'kept')

describe('route: consent (Segment semantics)', () => {
  const mapped = { consentCategories: ['Advertising'] }

  it('sends to a mapped destination when its category is granted', () => {
    expect(kept(route(mapped, consent({ Advertising: true })))).toBe(true)
  })

  it('discards for a mapped destination when its category is denied, counted as consent', () => {
    const decision = route(mapped, consent({ Advertising: false, Analytics: true }))
    expect(decision).toMatchObject({ filtered: 'consent', by: 'consent' })
    expect('detail' in decision && decision.detail).toContain('Advertising')
  })

  it('treats a category the event does not send as false', () => {
    expect(cause(route(mapped, consent({ Analytics: true })))).toBe('consent')
  })

  it('category ids are case-sensitive', () => {
    expect(cause(route(mapped, consent({ advertising: true })))).toBe('consent')
  })

  it('an unmapped destination always receives, whatever the consent', () => {
    expect(kept(route({}, consent({})))).toBe(true)
    expect(kept(route({}, consent({ Advertising: false })))).toBe(true)
    expect(kept(route({}, {}, strict))).toBe(true)
  })

  it('a destination mapped to several categories needs all of them', () => {
    const both = { consentCategories: ['Advertising', 'Analytics'] }
    expect(kept(route(both, consent({ Advertising: true, Analytics: true })))).toBe(true)
    expect(cause(route(both, consent({ Advertising: true, Analytics: false })))).toBe('consent')
    expect(cause(route(both, consent({ Advertising: true })))).toBe('consent')
  })

  it('empty categoryPreferences: every category false (mapped discarded, unmapped kept)', () => {
    expect(cause(route(mapped, consent({})))).toBe('consent')
    expect(kept(route({}, consent({})))).toBe(true)
  })

  it('no consent object, or an empty one, means no enforcement in segment mode', () => {
    expect(kept(route(mapped, {}))).toBe(true)
    expect(kept(route(mapped, { context: { consent: {} } }))).toBe(true)
    expect(kept(route(mapped, { context: { consent: null } }))).toBe(true)
    expect(kept(route(mapped, { properties: { note: 'about "consent"' } }))).toBe(true)
  })

  it('no consent object goes only to unmapped destinations in strict mode', () => {
    expect(route(mapped, {}, strict)).toMatchObject({ filtered: 'consent', by: 'consent' })
    expect(cause(route(mapped, { context: { consent: {} } }, strict))).toBe('consent')
    expect(kept(route(mapped, consent({ Advertising: true }), strict))).toBe(true)
  })

  it('a category Tessera does not know affects only unmapped destinations (it is ignored)', () => {
    expect(kept(route(mapped, consent({ Advertising: true, Unknown_CMP: false })))).toBe(true)
  })

  it('ignores invalid category ids and non-boolean values', () => {
    const granted = { Advertising: true }
    expect(kept(route(mapped, consent({ ...granted, '1st': false, x: 'yes' })))).toBe(true)
    expect(cause(route(mapped, consent({ Advertising: 'true' })))).toBe('consent')
  })

  it('is evaluated before integrations, which can only restrict further', () => {
    const denied = consent({ Advertising: false })
    const forced = { ...denied, integrations: { All: false, Ads: true } }
    expect(cause(route(mapped, forced))).toBe('consent')
    const granted = { ...consent({ Advertising: true }), integrations: { Ads: false } }
    expect(route(mapped, granted)).toEqual({ filtered: 'integrations' })
  })

  it('an unmapped destination without filters sends the stored JSON as it is', () => {
    const decision = route({}, consent({ Advertising: false }))
    expect('kept' in decision && decision.kept.json).toContain('"consent"')
  })
})

describe('route: restriction of processing', () => {
  const restricted = new InMemoryRestrictedSubjects([
    { type: 'user_id', value: 'u-restricted' },
    { type: 'email', value: 'ana@example.com' },
  ])
  const policy: RoutePolicy = { ...DEFAULT_ROUTE_POLICY, restricted }

  it('keeps restricted people out of marketing destinations only', () => {
    const event = { userId: 'u-restricted' }
    expect(route({ marketing: true }, event, policy)).toMatchObject({ by: 'restriction' })
    expect(kept(route({ marketing: false }, event, policy))).toBe(true)
    expect(kept(route({ marketing: true }, { userId: 'u-free' }, policy))).toBe(true)
  })

  it('matches by email in traits, lower-cased', () => {
    const event = { type: 'identify', userId: 'u9', traits: { email: ' Ana@Example.com' } }
    expect(cause(route({ marketing: true }, event, policy))).toBe('restriction')
  })
})

describe('route: preferences', () => {
  const preferences = new InMemoryPreferenceIndex([
    { type: 'user_id', value: 'u-no-email', channels: ['email'], contentTypes: [] },
    { type: 'anonymous_id', value: 'a-no-offers', channels: [], contentTypes: ['offers'] },
  ])
  const policy: RoutePolicy = { ...DEFAULT_ROUTE_POLICY, preferences }

  it('does not send to a channel the person opted out of', () => {
    const decision = route({ channel: 'email' }, { userId: 'u-no-email' }, policy)
    expect(decision).toMatchObject({ filtered: 'preference', by: 'preference' })
    expect(kept(route({ channel: 'sms' }, { userId: 'u-no-email' }, policy))).toBe(true)
    expect(kept(route({}, { userId: 'u-no-email' }, policy))).toBe(true)
  })

  it('does not send a content type the person opted out of', () => {
    const event = { userId: undefined, anonymousId: 'a-no-offers' }
    expect(cause(route({ contentType: 'offers' }, event, policy))).toBe('preference')
    expect(kept(route({ contentType: 'newsletter' }, event, policy))).toBe(true)
  })
})

describe('destination config', () => {
  it('rejects invalid consent category ids', () => {
    const parsed = destinationInputSchema.safeParse({
      id: 'x',
      type: 'webhook',
      consentCategories: ['1abc', 'a'.repeat(35)],
    })
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'consentCategories.0',
      'consentCategories.1',
    ])
  })

  it('defaults to unmapped, not marketing, no channel', () => {
    expect(config()).toMatchObject({
      consentCategories: [],
      marketing: false,
      channel: null,
      contentType: null,
    })
  })
})
