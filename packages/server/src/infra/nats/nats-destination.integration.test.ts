/** The NATS destination against the JetStream server on this machine (127.0.0.1:4222). */
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { connect, type NatsConnection } from 'nats'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_DELIVERY } from '../../destinations/config.js'
import type { DeliveryContext, DestinationDriver, DriverDeps } from '../../destinations/driver.js'
import type { HttpClient } from '../../destinations/http-client.js'
import type { DeliveryEvent } from '../../destinations/model.js'
import { systemClock } from '../../platform/clock.js'
import { createLogger } from '../../platform/logger/index.js'
import { createNatsKind } from './nats-destination.js'

const SERVER = 'nats://127.0.0.1:4222'

const deps: DriverDeps = {
  http: {} as HttpClient,
  logger: createLogger({ level: 'silent' }),
  clock: systemClock,
}

const ctx = (): DeliveryContext => ({
  attempt: 1,
  signal: new AbortController().signal,
  timeoutMs: 2_000,
})

function deliveryEvent(n: number, name = 'Order Completed', extra = ''): DeliveryEvent {
  const event = {
    type: 'track' as const,
    event: name,
    messageId: `msg-${n}`,
    receivedAt: '2026-01-01T00:00:00.000Z',
    timestamp: '2026-01-01T00:00:00.000Z',
    properties: { n, extra },
  }
  return {
    seq: n,
    messageId: event.messageId,
    sourceId: 'src-1',
    receivedAt: 0,
    event,
    json: JSON.stringify(event),
  }
}

async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('nats destination', () => {
  let admin: NatsConnection
  let id: string
  let stream: string
  let driver: DestinationDriver | undefined

  beforeEach(async () => {
    admin = await connect({ servers: SERVER })
    id = randomBytes(6).toString('hex')
    stream = `tessera_test_${id}`
  })

  afterEach(async () => {
    await driver?.close()
    driver = undefined
    const jsm = await admin.jetstreamManager()
    await jsm.streams.delete(stream).catch(() => false)
    await admin.drain()
  })

  async function open(settings: Record<string, unknown>): Promise<DestinationDriver> {
    driver = await createNatsKind().create(
      {
        id: `nats-${id}`,
        name: 'nats',
        type: 'nats',
        enabled: true,
        sourceIds: null,
        settings,
        filters: [],
        subscriptions: [],
        consentCategories: [],
        delivery: DEFAULT_DELIVERY,
      },
      deps,
    )
    return driver
  }

  async function storedMessages(): Promise<{ subject: string; body: unknown }[]> {
    const jsm = await admin.jetstreamManager()
    const info = await jsm.streams.info(stream)
    const messages: { subject: string; body: unknown }[] = []
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const message = await jsm.streams.getMessage(stream, { seq })
      messages.push({ subject: message.subject, body: message.json() })
    }
    return messages
  }

  it('creates the stream and publishes each event to its subject with its JSON as body', async () => {
    const nats = await open({
      servers: SERVER,
      subject: `t${id}.events.{type}.{event}`,
      stream,
    })
    const events = [deliveryEvent(1), deliveryEvent(2, 'Signed Up')]
    expect(await nats.deliver(events, ctx())).toEqual([
      { status: 'delivered' },
      { status: 'delivered' },
    ])
    const stored = await storedMessages()
    expect(stored.map((m) => m.subject).sort()).toEqual([
      `t${id}.events.track.order_completed`,
      `t${id}.events.track.signed_up`,
    ])
    const bodies = stored.map((m) => m.body)
    expect(bodies).toContainEqual(events[0]?.event)
    expect(bodies).toContainEqual(events[1]?.event)
    const info = await (await admin.jetstreamManager()).streams.info(stream)
    expect(info.config.subjects).toEqual([`t${id}.events.>`])
  })

  it('deduplicates a replayed messageId within the duplicate window', async () => {
    const nats = await open({ subject: `t${id}.events.{type}`, stream })
    const events = [deliveryEvent(1), deliveryEvent(2), deliveryEvent(3)]
    await nats.deliver(events, ctx())
    const replay = await nats.deliver([events[1] as DeliveryEvent, deliveryEvent(4)], ctx())
    expect(replay.map((o) => o.status)).toEqual(['delivered', 'delivered'])
    const stored = await storedMessages()
    expect(stored).toHaveLength(4)
  })

  it('adds its subject filter to an existing stream', async () => {
    const jsm = await admin.jetstreamManager()
    await jsm.streams.add({ name: stream, subjects: [`t${id}.other`] })
    const nats = await open({ subject: `t${id}.events.{type}`, stream })
    expect(await nats.deliver([deliveryEvent(1)], ctx())).toEqual([{ status: 'delivered' }])
    const info = await jsm.streams.info(stream)
    expect(info.config.subjects).toEqual([`t${id}.other`, `t${id}.events.>`])
  })

  it('retries when no stream captures the subject (no responders)', async () => {
    const nats = await open({ subject: `t${id}.nostream.{type}` })
    const [outcome] = await nats.deliver([deliveryEvent(1)], ctx())
    expect(outcome).toMatchObject({ status: 'retry', error: { code: 'NATS_NO_RESPONDERS' } })
  })

  it('fails permanently a message over the server max payload', async () => {
    const nats = await open({ subject: `t${id}.events.{type}`, stream })
    const big = deliveryEvent(1, 'Big', 'x'.repeat(2 * 1024 * 1024))
    const [tooBig, fine] = await nats.deliver([big, deliveryEvent(2)], ctx())
    expect(tooBig).toMatchObject({ status: 'failed', error: { code: 'NATS_MAX_PAYLOAD_EXCEEDED' } })
    expect(fine).toEqual({ status: 'delivered' })
  })

  it('gives retry outcomes when the server is unreachable', async () => {
    const port = await closedPort()
    const down = await open({ servers: `nats://127.0.0.1:${port}`, subject: 'x.{type}' })
    const outcomes = await down.deliver([deliveryEvent(1), deliveryEvent(2)], ctx())
    expect(outcomes.map((o) => o.status)).toEqual(['retry', 'retry'])
    expect(outcomes[0]).toMatchObject({ error: { code: 'ECONNREFUSED' } })
  })
})
