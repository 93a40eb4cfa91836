import { describe, expect, it } from 'vitest'
import { DEFAULT_DELIVERY } from '../../destinations/config.js'
import type { DestinationConfig } from '../../destinations/model.js'
import { createLogger } from '../../platform/logger/index.js'
import { systemClock } from '../../platform/clock.js'
import type { HttpClient } from '../../destinations/http-client.js'
import { createNatsKind } from './nats-destination.js'

function config(settings: Record<string, unknown>): DestinationConfig {
  return {
    id: 'n',
    name: 'n',
    type: 'nats',
    enabled: true,
    sourceIds: null,
    settings,
    filters: [],
    subscriptions: [],
    consentCategories: [],
    delivery: DEFAULT_DELIVERY,
  }
}

describe('nats settings', () => {
  const kind = createNatsKind()

  it('describes the type', () => {
    expect(kind.type).toBe('nats')
    expect(kind.settings.secrets).toEqual(['user', 'password', 'token'])
    expect(kind.settings.jsonSchema).toMatchObject({
      properties: { subject: { default: 'tessera.events.{type}' } },
    })
  })

  it('accepts defaults and reports every problem', async () => {
    expect(await kind.validate(config({}))).toEqual([])
    expect(await kind.validate(config({ servers: ['nats://a:4222', 'nats://b:4222'] }))).toEqual([])
    expect(await kind.validate(config({ subject: '{type}.x', stream: 'bad name' }))).toEqual([
      expect.stringMatching(/^settings\.stream: /),
      'settings.subject: with `stream`, the first subject token must be literal',
    ])
    expect(await kind.validate(config({ subject: 'a.{nope}', extra: 1 }))).toEqual([
      expect.stringMatching(/^settings\.subject: unknown placeholder/),
      expect.stringMatching(/^settings: /),
    ])
  })

  it('create() rejects invalid settings', async () => {
    const deps = {
      http: {} as HttpClient,
      logger: createLogger({ level: 'silent' }),
      clock: systemClock,
    }
    await expect(kind.create(config({ subject: 'a..b' }), deps)).rejects.toThrow(
      /invalid nats settings/,
    )
  })
})
