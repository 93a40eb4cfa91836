import { describe, expect, it } from 'vitest'
import type { OptOutEntry } from '../consent/index.js'
import type { DestinationConfig } from '../destinations/index.js'
import type { DeliveryHost } from './delivery-host.js'
import type { RestrictedIdentifier } from './delivery-runtime.js'
import { startOnDemandDelivery, type DeliveryState } from './on-demand-delivery.js'

const destination = (id: string): DestinationConfig => ({ id }) as unknown as DestinationConfig
const optOut = (value: string): OptOutEntry => ({ value }) as unknown as OptOutEntry
const person = (value: string): RestrictedIdentifier =>
  ({ value }) as unknown as RestrictedIdentifier

/** An engine that records what it was handed, and can be made to start slowly or fail. */
class FakeEngines {
  readonly started: DeliveryState[] = []
  readonly log: string[] = []
  running = 0
  failNext = false
  gate: Promise<void> | null = null

  start = async (state: DeliveryState): Promise<DeliveryHost> => {
    if (this.gate) await this.gate
    if (this.failNext) {
      this.failNext = false
      throw new Error('worker did not start')
    }
    const n = this.started.push(state)
    this.running += 1
    this.log.push(`start ${n}`)
    return {
      poke: () => this.log.push(`poke ${n}`),
      configure: (configs) => this.log.push(`configure ${n} ${configs.map((c) => c.id).join()}`),
      setOptOuts: (entries) => {
        this.log.push(`opt-outs ${n} ${entries.length}`)
        return Promise.resolve()
      },
      setRestricted: (identifiers) => {
        this.log.push(`restricted ${n} ${identifiers.length}`)
        return Promise.resolve()
      },
      status: () => [{ destinationId: `from engine ${n}` }] as never,
      running: () => true,
      stop: () => {
        this.running -= 1
        this.log.push(`stop ${n}`)
        return Promise.resolve()
      },
    }
  }
}

const EMPTY: DeliveryState = { configs: [], optOuts: [], restricted: [] }
const settled = (): Promise<void> => new Promise((r) => setImmediate(r))

/** The host over `engines`, with `configs` at start; errors fail the test unless `onError`. */
function startHost(
  engines: FakeEngines,
  configs: DestinationConfig[] = [],
  onError: (error: unknown) => void = fail,
): Promise<DeliveryHost> {
  return startOnDemandDelivery({ state: { ...EMPTY, configs }, start: engines.start, onError })
}

describe('startOnDemandDelivery', () => {
  it('starts no engine without destinations, and drops pokes and status meanwhile', async () => {
    const engines = new FakeEngines()
    const host = await startHost(engines)
    host.poke()
    await host.setOptOuts([optOut('a')])
    expect(host.status()).toEqual([])
    expect(host.running()).toBe(false)
    expect(engines.started).toHaveLength(0)
    await host.stop()
    expect(engines.log).toEqual([])
  })

  it('starts the engine with the first destination, with the latest lists', async () => {
    const engines = new FakeEngines()
    const host = await startHost(engines)
    await host.setOptOuts([optOut('a'), optOut('b')])
    await host.setRestricted([person('p')])
    host.configure([destination('d1')])
    await settled()
    expect(engines.started).toEqual([
      {
        configs: [destination('d1')],
        optOuts: [optOut('a'), optOut('b')],
        restricted: [person('p')],
      },
    ])
    host.poke()
    expect(host.running()).toBe(true)
    expect(host.status()).toEqual([{ destinationId: 'from engine 1' }])
    expect(engines.log).toEqual(['start 1', 'poke 1'])
  })

  it('starts at once when destinations exist at start, and stops with the last one removed', async () => {
    const engines = new FakeEngines()
    const host = await startHost(engines, [destination('d1')])
    expect(engines.running).toBe(1)
    host.configure([destination('d1'), destination('d2')])
    await settled()
    host.configure([])
    await settled()
    expect(engines.running).toBe(0)
    expect(host.status()).toEqual([])
    host.configure([destination('d3')])
    await settled()
    expect(engines.log).toEqual(['start 1', 'configure 1 d1,d2', 'stop 1', 'start 2'])
    expect(engines.started[1]?.configs).toEqual([destination('d3')])
  })

  it('hands a starting engine the lists that changed while it started', async () => {
    const engines = new FakeEngines()
    let open = (): void => undefined
    engines.gate = new Promise((r) => (open = r))
    const host = await startHost(engines)
    host.configure([destination('d1')])
    await settled()
    const optOuts = host.setOptOuts([optOut('late')])
    host.configure([destination('d1'), destination('d2')])
    let resolved = false
    void optOuts.then(() => (resolved = true))
    await settled()
    expect(resolved).toBe(false)
    open()
    await optOuts
    await settled()
    expect(engines.started[0]?.configs).toEqual([destination('d1')])
    expect(engines.started[0]?.optOuts).toEqual([])
    expect(engines.log).toEqual(['start 1', 'configure 1 d1,d2', 'opt-outs 1 1'])
  })

  it('reports a failed start and tries again at the next change', async () => {
    const engines = new FakeEngines()
    const errors: unknown[] = []
    const host = await startHost(engines, [], (e) => errors.push(e))
    engines.failNext = true
    await host.setOptOuts([])
    host.configure([destination('d1')])
    await settled()
    await settled()
    expect(errors).toEqual([new Error('worker did not start')])
    expect(engines.running).toBe(0)
    await host.setRestricted([])
    expect(engines.running).toBe(1)
  })

  it('rejects when the engine cannot start at first, as a direct start would', async () => {
    const engines = new FakeEngines()
    engines.failNext = true
    await expect(startHost(engines, [destination('d1')])).rejects.toThrow('worker did not start')
  })

  it('stops the engine for good: later destinations start nothing', async () => {
    const engines = new FakeEngines()
    const host = await startHost(engines, [destination('d1')])
    await host.stop()
    host.configure([destination('d2')])
    await host.setOptOuts([])
    expect(engines.running).toBe(0)
    expect(engines.log).toEqual(['start 1', 'stop 1'])
  })
})

function fail(error: unknown): never {
  throw error instanceof Error ? error : new Error(String(error))
}
