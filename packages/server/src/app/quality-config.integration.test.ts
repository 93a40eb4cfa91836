import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { AppError } from '../platform/errors/index.js'
import { loadConfig } from './config.js'

// The `dataQuality` section through the real config loader: defaults, and every problem of
// a file reported at once with its path.
let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-quality-config-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

function load(content: unknown) {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`)
  writeFileSync(path, stringify(content))
  return loadConfig({ config: path }, {}).config
}

describe('dataQuality config', () => {
  it('defaults: no required properties, rules managed by the API, evaluation every minute', () => {
    const config = load({})
    expect(config.dataQuality).toEqual({
      requiredProperties: [],
      evaluateEveryMs: 60_000,
      maxEventNames: 1000,
    })
  })

  it('accepts rules and fills their defaults', () => {
    const config = load({
      dataQuality: {
        alerts: [
          {
            id: 'r1',
            name: 'Orders',
            metric: 'volume',
            event: 'Order Completed',
            condition: 'anomaly',
          },
        ],
      },
    })
    expect(config.dataQuality.alerts?.[0]).toMatchObject({
      window: '1h',
      severity: 'warning',
      critical: false,
    })
  })

  it('reports every problem at once, each with its path', () => {
    let error: unknown
    try {
      load({
        dataQuality: {
          requiredProperties: [{ event: 'Order Completed', properties: [] }],
          alerts: [
            { id: 'r1', name: 'A', metric: 'volume', condition: 'below', window: '2x' },
            {
              id: 'r1',
              name: 'B',
              metric: 'identity_match_rate',
              event: 'X',
              condition: 'anomaly',
            },
            { id: 'r3', name: 'C', metric: 'nope', condition: 'anomaly', notify: {} },
          ],
        },
      })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(AppError)
    const problems = ((error as AppError).details?.problems ?? []) as Array<{ path: string }>
    expect(problems.map((p) => p.path).sort()).toEqual(
      [
        'dataQuality.requiredProperties.0.properties',
        'dataQuality.alerts.0.window',
        'dataQuality.alerts.0.threshold',
        'dataQuality.alerts.1.event',
        'dataQuality.alerts.2.metric',
        'dataQuality.alerts.2.notify.sourceId',
      ].sort(),
    )
  })

  it('refuses duplicate rule ids', () => {
    let error: unknown
    try {
      load({
        dataQuality: {
          alerts: [
            { id: 'r1', name: 'A', metric: 'volume', condition: 'anomaly' },
            { id: 'r1', name: 'B', metric: 'volume', condition: 'anomaly' },
          ],
        },
      })
    } catch (caught) {
      error = caught
    }
    const problems = ((error as AppError).details?.problems ?? []) as Array<{ path: string }>
    expect(problems.map((p) => p.path)).toEqual(['dataQuality.alerts.1.id'])
  })
})
