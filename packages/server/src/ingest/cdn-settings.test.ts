import { describe, expect, it } from 'vitest'
import { buildCdnSettings } from './cdn-settings.js'

describe('buildCdnSettings', () => {
  const settings = buildCdnSettings({
    writeKey: 'wk_live_123',
    apiHost: 'tessera.example.com:8443/v1',
    protocol: 'https',
  })

  it('registers only the Segment.io destination, pointed at this server', () => {
    expect(Object.keys(settings.integrations)).toEqual(['Segment.io'])
    expect(settings.integrations['Segment.io']).toMatchObject({
      apiKey: 'wk_live_123',
      apiHost: 'tessera.example.com:8443/v1',
      protocol: 'https',
    })
    expect(settings.remotePlugins).toEqual([])
  })

  it('sends metrics to this server, never sampled to anyone else', () => {
    expect(settings.metrics.host).toBe('tessera.example.com:8443/v1')
    expect(settings.metrics.sampleRate).toBe(0)
  })

  it('enables every event by default in the plan', () => {
    expect(settings.plan.track.__default.enabled).toBe(true)
    expect(settings.plan.identify.__default.enabled).toBe(true)
    expect(settings.plan.group.__default.enabled).toBe(true)
  })

  it('carries the protocol and key it was given and nothing from elsewhere', () => {
    const local = buildCdnSettings({
      writeKey: 'k2',
      apiHost: '127.0.0.1:8080/v1',
      protocol: 'http',
    })
    expect(local.integrations['Segment.io'].protocol).toBe('http')
    expect(local.integrations['Segment.io'].apiKey).toBe('k2')
    expect(JSON.stringify(local)).not.toMatch(/api\.segment\.io|cdn\.segment\.com|segmentapis\.com/)
    expect(JSON.stringify(local)).not.toContain('wk_live_123')
  })
})
