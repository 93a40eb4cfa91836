import { describe, expect, it } from 'vitest'
import { changedKeys, outcomeOf, routeAction } from './route-action.js'

describe('routeAction', () => {
  it('names writes from the route pattern, with the first parameter as target', () => {
    expect(routeAction('PUT', '/api/v1/destinations/:id', { id: 'd1' })).toEqual({
      action: 'destinations.update',
      target: { type: 'destination', id: 'd1' },
      kind: 'change',
    })
    expect(routeAction('POST', '/api/v1/sources', {})?.action).toBe('sources.create')
    expect(routeAction('PATCH', '/api/v1/sources/:id', { id: 's' })?.action).toBe('sources.update')
    expect(routeAction('DELETE', '/api/v1/sources/:id', { id: 's' })?.action).toBe('sources.delete')
    expect(routeAction('PUT', '/api/v1/identity/rules', {})?.action).toBe('identity.rules.update')
  })

  it('keeps the action a POST names itself', () => {
    expect(routeAction('POST', '/api/v1/sources/:id/rotate-write-key', { id: 's' })).toEqual({
      action: 'sources.rotate-write-key',
      target: { type: 'source', id: 's' },
      kind: 'change',
    })
    expect(
      routeAction('POST', '/api/v1/destinations/:id/dead-letters/replay', { id: 'd' })?.action,
    ).toBe('destinations.dead-letters.replay')
  })

  it('audits reads of profiles and exports only', () => {
    expect(routeAction('GET', '/api/v1/profiles/:id', { id: 'p1' })).toEqual({
      action: 'profiles.view',
      target: { type: 'profile', id: 'p1' },
      kind: 'read',
    })
    expect(routeAction('GET', '/api/v1/audit/export', {})?.action).toBe('audit.export')
    expect(routeAction('GET', '/api/v1/sources', {})).toBeNull()
    expect(routeAction('GET', '/api/v1/destinations/:id', { id: 'd' })).toBeNull()
  })

  it('skips POSTs that only compute', () => {
    expect(routeAction('POST', '/api/v1/destinations/validate', {})).toBeNull()
    expect(routeAction('POST', '/api/v1/destinations/filters/preview', {})).toBeNull()
  })

  it('lists body keys, never values', () => {
    expect(changedKeys({ name: 'x', settings: { apiKey: 'secret' } })).toEqual(['name', 'settings'])
    expect(changedKeys([1, 2])).toEqual([])
    expect(changedKeys(undefined)).toEqual([])
  })

  it('maps statuses to outcomes', () => {
    expect([outcomeOf(201), outcomeOf(401), outcomeOf(403), outcomeOf(409)]).toEqual([
      'ok',
      'denied',
      'denied',
      'failed',
    ])
  })
})
