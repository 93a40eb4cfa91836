import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { openSqliteStorage } from '../infra/sqlite/open-sqlite-storage.js'
import type { Storage } from '../infra/storage.js'
import { createLogger } from '../platform/logger/index.js'
import { buildEventItem, buildLogEntries } from '../testing/builders.js'
import { destinationInputSchema, toDestinationConfig } from './config.js'
import type { DeliveryOutcome, DestinationDriver, DestinationKind } from './driver.js'
import { createDeliveryEngine, type DeliveryEngine } from './engine.js'
import type { DeliveryEvent, DestinationConfig } from './model.js'

type Behaviour = (event: DeliveryEvent, attempt: number) => DeliveryOutcome

/** A destination type whose driver records what it got and answers with `behaviour`. */
function fakeKind(received: Map<string, DeliveryEvent[]>, behaviours: Map<string, Behaviour>) {
  const kind: DestinationKind = {
    type: 'fake',
    title: 'Fake (Actions)',
    description: '',
    settings: { schema: z.object({}), jsonSchema: {}, secrets: [] },
    maxBatchSize: 50,
    usesSubscriptions: false,
    validate: () => Promise.resolve([]),
    create(config) {
      const driver: DestinationDriver = {
        async deliver(events, ctx) {
          const behaviour = behaviours.get(config.id) ?? (() => ({ status: 'delivered' }))
          const outcomes = events.map((e) => behaviour(e, ctx.attempt))
          const got = received.get(config.id) ?? []
          events.forEach((e, i) => outcomes[i]!.status === 'delivered' && got.push(e))
          received.set(config.id, got)
          await new Promise((r) => setTimeout(r, 1))
          return outcomes
        },
        close: () => Promise.resolve(),
      }
      return Promise.resolve(driver)
    },
  }
  return kind
}

function destination(id: string, extra: Record<string, unknown> = {}): DestinationConfig {
  return toDestinationConfig(
    destinationInputSchema.parse({
      id,
      type: 'fake',
      delivery: { batchSize: 10, batchWaitMs: 0, concurrency: 2, retryHorizonMs: 60_000 },
      ...extra,
    }),
  )
}

const retry = (code = 'HTTP_503'): DeliveryOutcome => ({
  status: 'retry',
  afterMs: 20,
  error: { code, message: 'unavailable', httpStatus: 503 },
})

async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('delivery engine on the embedded store', () => {
  let dir: string
  let storage: Storage
  let engine: DeliveryEngine
  let received: Map<string, DeliveryEvent[]>
  let behaviours: Map<string, Behaviour>
  let next = 1
  const errors: unknown[] = []

  function start(): DeliveryEngine {
    engine = createDeliveryEngine({
      queue: storage.deliveryQueue,
      kinds: (type) => Promise.resolve(type === 'fake' ? fakeKind(received, behaviours) : null),
      driverDeps: {
        http: { send: () => Promise.reject(new Error('no http in this test')) },
        logger: createLogger({ level: 'silent' }),
        clock: { now: () => Date.now() },
      },
      clock: { now: () => Date.now() },
      backoff: { baseMs: 20, maxMs: 100 },
      idleMs: 50,
      onError: (_id, error) => errors.push(error),
    })
    return engine
  }

  async function ingest(n: number, overrides: Parameters<typeof buildEventItem>[0] = {}) {
    const items = Array.from({ length: n }, () =>
      buildEventItem({ receivedAt: Date.now(), ...overrides }),
    )
    await storage.eventStore.apply('store', buildLogEntries(next, items))
    next += n
    engine.poke()
    return items.map((i) => i.record.messageId)
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-delivery-'))
    storage = openSqliteStorage({ dataDir: dir })
    received = new Map()
    behaviours = new Map()
    next = 1
    errors.length = 0
    start()
  })
  afterEach(async () => {
    await engine.stop()
    await storage.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('delivers only events stored after a destination was added, in seq order', async () => {
    await ingest(3)
    await engine.configure([destination('a')])
    const ids = await ingest(25)
    await until(() => (received.get('a')?.length ?? 0) === 25)
    expect(received.get('a')!.map((e) => e.messageId)).toEqual(ids)
    const lane = engine.status().find((s) => s.destinationId === 'a')!
    await until(async () => (await storage.deliveryQueue.loadLane('a')).cursor === 28)
    expect(lane.state).toBe('running')
    const [stats] = await storage.deliveryAdmin.stats('a', 0, Date.now() + 60_000)
    expect(stats!.delivered).toBe(25)
    expect(stats!.latency.reduce((x, y) => x + y, 0)).toBe(25)
    expect(errors).toEqual([])
  })

  it('keeps delivering to a healthy destination while another fails, without writing per-event rows', async () => {
    behaviours.set('down', () => retry())
    await engine.configure([destination('up'), destination('down')])
    await ingest(40)
    await until(() => (received.get('up')?.length ?? 0) === 40)
    await until(
      () => (engine.status().find((s) => s.destinationId === 'down')?.backoff?.attempts ?? 0) >= 2,
    )
    const down = await storage.deliveryQueue.loadLane('down')
    expect(down.cursor).toBe(0)
    expect(down.backoff?.lastError.code).toBe('HTTP_503')
    expect(await storage.deliveryQueue.nextRetryAt('down')).toBeNull()
    // It recovers: everything held back is delivered, in order.
    behaviours.delete('down')
    await until(() => (received.get('down')?.length ?? 0) === 40, 15_000)
    await until(async () => (await storage.deliveryQueue.loadLane('down')).cursor === 40)
    expect((await storage.deliveryQueue.loadLane('down')).backoff).toBeNull()
  })

  it('retries events that failed alone and delivers them later', async () => {
    // Events whose messageId starts with `flaky-` fail twice with a 429, then go through.
    behaviours.set('a', (e, attempt) =>
      e.messageId.startsWith('flaky-') && attempt < 3 ? retry('HTTP_429') : { status: 'delivered' },
    )
    await engine.configure([destination('a')])
    const first = await ingest(4)
    const flaky = [
      ...(await ingest(1, { messageId: 'flaky-1' })),
      ...(await ingest(1, { messageId: 'flaky-2' })),
    ]
    const last = await ingest(4)
    await until(() => (received.get('a')?.length ?? 0) === 10)
    const order = received.get('a')!.map((e) => e.messageId)
    // The healthy ones were not held back by the failing ones.
    expect(order.slice(0, 8).sort()).toEqual([...first, ...last].sort())
    expect(order.slice(8).sort()).toEqual(flaky.sort())
    // The driver saw the last delivery just before its step committed: wait for the commit.
    const delivered = async () =>
      (await storage.deliveryAdmin.stats('a', 0, Date.now() + 60_000)).reduce(
        (n, s) => n + s.delivered,
        0,
      )
    await until(async () => (await delivered()) === 10)
    expect(await storage.deliveryQueue.nextRetryAt('a')).toBeNull()
    const stats = await storage.deliveryAdmin.stats('a', 0, Date.now() + 60_000)
    expect(stats.reduce((n, s) => n + s.retried, 0)).toBe(4)
  })

  it('dead-letters permanent failures at once, and a replay delivers them', async () => {
    let reject = true
    behaviours.set('a', (e) =>
      reject && e.event.event === 'Bad'
        ? { status: 'failed', error: { code: 'HTTP_400', message: 'bad request', httpStatus: 400 } }
        : { status: 'delivered' },
    )
    await engine.configure([destination('a')])
    await ingest(3, { name: 'Bad', payload: undefined })
    await ingest(2)
    await until(() => (received.get('a')?.length ?? 0) === 2)
    await until(
      async () => (await storage.deliveryAdmin.deadLetters('a', { limit: 10 })).data.length === 3,
    )
    const [sample] = await storage.deliveryAdmin.recentErrors('a', 5)
    expect(sample!.error.code).toBe('HTTP_400')
    reject = false
    expect(
      await storage.deliveryAdmin.replayDeadLetters('a', { errorCode: 'HTTP_400' }, Date.now()),
    ).toBe(3)
    engine.poke()
    await until(() => (received.get('a')?.length ?? 0) === 5)
    expect((await storage.deliveryAdmin.deadLetters('a', { limit: 10 })).data).toEqual([])
  })

  it('dead-letters a window once the retry horizon has passed', async () => {
    behaviours.set('a', () => retry())
    await engine.configure([
      destination('a', { delivery: { batchSize: 10, batchWaitMs: 0, retryHorizonMs: 150 } }),
    ])
    await ingest(5)
    await until(
      async () => (await storage.deliveryAdmin.deadLetters('a', { limit: 10 })).data.length === 5,
    )
    const [letter] = (await storage.deliveryAdmin.deadLetters('a', { limit: 1 })).data
    expect(letter!.error.code).toBe('HTTP_503')
    expect(letter!.attempts.length).toBeGreaterThanOrEqual(2)
    expect((await storage.deliveryQueue.loadLane('a')).cursor).toBe(5)
  })

  it('routes by source, integrations object and filters, counting what it filtered', async () => {
    await engine.configure([
      destination('a', {
        name: 'Mixpanel',
        sourceIds: ['src_test'],
        filters: [{ if: 'event = "Debug"', actions: [{ type: 'drop' }] }],
      }),
    ])
    await ingest(2, { sourceId: 'src_other' })
    await ingest(2, { name: 'Debug' })
    const off = JSON.stringify({
      type: 'track',
      event: 'X',
      messageId: 'm-off',
      userId: 'u',
      integrations: { Mixpanel: false },
    })
    await ingest(1, { messageId: 'm-off', payload: off })
    const kept = await ingest(3)
    await until(() => (received.get('a')?.length ?? 0) === 3)
    expect(received.get('a')!.map((e) => e.messageId)).toEqual(kept)
    await until(async () => (await storage.deliveryQueue.loadLane('a')).cursor === 8)
    const [stats] = await storage.deliveryAdmin.stats('a', 0, Date.now() + 60_000)
    expect(stats!.filtered).toBe(5)
  })

  it('backfills a time range into a destination', async () => {
    const old = await ingest(6, { receivedAt: Date.parse('2026-01-01T00:00:00Z') })
    await engine.configure([destination('a')])
    await ingest(2)
    await until(() => (received.get('a')?.length ?? 0) === 2)
    await storage.deliveryAdmin.createBackfill(
      'a',
      { from: Date.parse('2025-12-31T00:00:00Z'), to: Date.parse('2026-01-02T00:00:00Z') },
      Date.now(),
    )
    engine.poke()
    await until(() => (received.get('a')?.length ?? 0) === 8)
    expect(
      received
        .get('a')!
        .slice(2)
        .map((e) => e.messageId),
    ).toEqual(old)
    await until(async () => (await storage.deliveryAdmin.backfills('a'))[0]?.status === 'done')
    const [bf] = await storage.deliveryAdmin.backfills('a')
    expect(bf).toMatchObject({ status: 'done', events: 6 })
  })

  it('keeps a user’s events in order behind a retry when ordered by user', async () => {
    let failFirst = true
    behaviours.set('a', (e) => {
      if (failFirst && e.event.event === 'First') {
        failFirst = false
        return retry()
      }
      return { status: 'delivered' }
    })
    await engine.configure([
      destination('a', {
        delivery: { batchSize: 1, batchWaitMs: 0, concurrency: 1, orderByUser: true },
      }),
    ])
    await ingest(1, { userId: 'u1', name: 'First' })
    await ingest(1, { userId: 'u1', name: 'Second' })
    await ingest(1, { userId: 'u2', name: 'Other' })
    await until(() => (received.get('a')?.length ?? 0) === 3)
    const u1 = received
      .get('a')!
      .filter((e) => e.event.userId === 'u1')
      .map((e) => e.event.event)
    expect(u1).toEqual(['First', 'Second'])
  })

  it('picks up where it stopped after a restart, losing nothing', async () => {
    await engine.configure([destination('a')])
    const first = await ingest(30)
    await until(() => (received.get('a')?.length ?? 0) >= 10)
    await engine.stop()
    const second = await ingest(20)
    start()
    await engine.configure([destination('a')])
    engine.poke()
    const all = [...first, ...second]
    await until(() => all.every((id) => received.get('a')!.some((e) => e.messageId === id)))
    expect(new Set(received.get('a')!.map((e) => e.messageId)).size).toBe(50)
  })

  it('reports an unknown type as a problem and runs the rest', async () => {
    await engine.configure([destination('a'), { ...destination('b'), type: 'nope' }])
    expect(engine.status().find((s) => s.destinationId === 'b')).toMatchObject({
      state: 'error',
      problem: "unknown destination type 'nope'",
    })
    await ingest(2)
    await until(() => (received.get('a')?.length ?? 0) === 2)
  })
})
