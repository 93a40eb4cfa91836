import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_DELIVERY } from '../../../destinations/config.js'
import type { DriverDeps } from '../../../destinations/driver.js'
import type { DestinationConfig } from '../../../destinations/model.js'
import { systemClock } from '../../../platform/clock.js'
import { createPostgresWarehouseKind } from './postgres-warehouse-kind.js'
import type { PostgresWarehouseDriver } from './postgres-warehouse-driver.js'
import {
  DATABASE_URL,
  deliveryContext,
  deliveryEvent,
  freshSchemaName,
  openDriver,
  silentLogger,
  trackEvents,
} from './warehouse-test-kit.js'

let admin: pg.Pool
const schemas: string[] = []
const drivers: PostgresWarehouseDriver[] = []

beforeAll(() => {
  admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2, options: '-c TimeZone=UTC' })
})
afterAll(async () => {
  await admin.end()
})
afterEach(async () => {
  for (const driver of drivers.splice(0)) await driver.close()
  for (const schema of schemas.splice(0)) {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  }
})

function driverOn(schema: string, settings: Record<string, unknown> = {}): PostgresWarehouseDriver {
  const driver = openDriver(schema, settings)
  drivers.push(driver)
  return driver
}

function fresh(): string {
  const schema = freshSchemaName()
  schemas.push(schema)
  return schema
}

async function query(sql: string): Promise<Record<string, unknown>[]> {
  return (await admin.query<Record<string, unknown>>(sql)).rows
}

const deps: DriverDeps = {
  logger: silentLogger,
  clock: systemClock,
  http: { send: () => Promise.reject(new Error('the warehouse sends no HTTP')) },
}

function destination(settings: Record<string, unknown>): DestinationConfig {
  return {
    id: 'wh',
    name: 'Warehouse',
    type: 'postgres-warehouse',
    enabled: true,
    sourceIds: null,
    settings,
    filters: [],
    subscriptions: [],
    consentCategories: [],
    delivery: { ...DEFAULT_DELIVERY, timeoutMs: 2_000 },
  }
}

describe('PostgreSQL warehouse: robustness', () => {
  it('never fails a load on a type conflict: the value goes to <column>_<type>', async () => {
    const schema = fresh()
    const driver = driverOn(schema)
    await driver.deliver(
      trackEvents(1, 'Paid', () => ({ amount: 10 })),
      deliveryContext(),
    )
    const outcomes = await driver.deliver(
      [
        ...trackEvents(1, 'Paid', () => ({ amount: 10.5 })),
        ...trackEvents(1, 'Paid', () => ({ amount: 'ten' })),
        ...trackEvents(1, 'Paid', () => ({ amount: { currency: 'EUR' } })),
        ...trackEvents(1, 'Paid', () => ({ amount: 11 })),
      ],
      deliveryContext(),
    )
    expect(outcomes.every((outcome) => outcome.status === 'delivered')).toBe(true)
    const columns = await query(
      `SELECT column_name AS c, data_type AS d FROM information_schema.columns
       WHERE table_schema = '${schema}' AND table_name = 'paid' AND column_name LIKE 'amount%'
       ORDER BY 1`,
    )
    expect(columns).toEqual([
      { c: 'amount', d: 'bigint' },
      { c: 'amount_currency', d: 'text' },
      { c: 'amount_float', d: 'double precision' },
      { c: 'amount_text', d: 'text' },
    ])
    const values = await query(
      `SELECT amount, amount_float, amount_text, amount_currency FROM "${schema}".paid
       ORDER BY amount NULLS LAST, amount_float NULLS LAST, amount_text NULLS LAST`,
    )
    expect(values).toEqual([
      { amount: '10', amount_float: null, amount_text: null, amount_currency: null },
      { amount: '11', amount_float: null, amount_text: null, amount_currency: null },
      { amount: null, amount_float: 10.5, amount_text: null, amount_currency: null },
      { amount: null, amount_float: null, amount_text: 'ten', amount_currency: null },
      { amount: null, amount_float: null, amount_text: null, amount_currency: 'EUR' },
    ])
    expect(driver.stats().valuesRedirected).toBe(2)
  })

  it('two loaders (two pools) adding the same columns concurrently both succeed', async () => {
    const schema = fresh()
    const [a, b] = [driverOn(schema), driverOn(schema)]
    for (let round = 0; round < 5; round++) {
      const fields = (kind: string) => (i: number) => ({
        [`f${round}`]: kind === 'a' ? i : `s${i}`,
        [`shared${round}`]: true,
      })
      const [outA, outB] = await Promise.all([
        a.deliver(trackEvents(50, 'Raced', fields('a')), deliveryContext()),
        b.deliver(trackEvents(50, 'Raced', fields('b')), deliveryContext()),
      ])
      expect([...outA, ...outB].every((outcome) => outcome.status === 'delivered')).toBe(true)
    }
    const [count] = await query(`SELECT count(*)::int AS n FROM "${schema}".raced`)
    expect(count?.n).toBe(500)
    // Whichever loader created f<n> first fixed its type; the other's values that did not fit
    // went to a companion (f<n>_text): every row holds its value in one of them.
    for (let round = 0; round < 5; round++) {
      const [held] = await query(
        `SELECT count(*)::int AS n FROM "${schema}".raced r WHERE EXISTS (
           SELECT 1 FROM jsonb_each(to_jsonb(r)) e
           WHERE (e.key = 'f${round}' OR e.key LIKE 'f${round}\\_%') AND e.value <> 'null')`,
      )
      expect(held?.n).toBe(100)
    }
  })

  it('isolates a row the database refuses: only that event fails', async () => {
    const schema = fresh()
    const driver = driverOn(schema)
    await driver.deliver(
      trackEvents(1, 'Checked', () => ({ code: 'ok' })),
      deliveryContext(),
    )
    await admin.query(
      `ALTER TABLE "${schema}".checked ADD CONSTRAINT no_bad CHECK (code IS DISTINCT FROM 'bad')`,
    )
    const events = trackEvents(5, 'Checked', (i) => ({ code: i === 2 ? 'bad' : `ok${i}` }))
    const outcomes = await driver.deliver(events, deliveryContext())
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'delivered',
      'delivered',
      'failed',
      'delivered',
      'delivered',
    ])
    expect(outcomes[2]).toMatchObject({
      status: 'failed',
      error: { code: 'WAREHOUSE_DATA_ERROR', message: expect.stringContaining('23514') as string },
    })
    const [count] = await query(`SELECT count(*)::int AS n FROM "${schema}".checked`)
    expect(count?.n).toBe(5)
    expect(driver.stats().eventsFailed).toBe(1)
  })

  it('recovers when a known column or table was dropped by hand', async () => {
    const schema = fresh()
    const driver = driverOn(schema)
    await driver.deliver(
      trackEvents(1, 'Moved', () => ({ x: 1 })),
      deliveryContext(),
    )
    await admin.query(`ALTER TABLE "${schema}".moved DROP COLUMN x`)
    const outcomes = await driver.deliver(
      trackEvents(1, 'Moved', () => ({ x: 2 })),
      deliveryContext(),
    )
    expect(outcomes[0]?.status).toBe('delivered')
    await admin.query(`DROP TABLE "${schema}".moved`)
    const again = await driver.deliver(
      trackEvents(1, 'Moved', () => ({ x: 3 })),
      deliveryContext(),
    )
    expect(again[0]?.status).toBe('delivered')
    expect(await query(`SELECT x FROM "${schema}".moved`)).toEqual([{ x: '3' }])
  })

  it('answers retry when the database refuses connections', async () => {
    const kind = createPostgresWarehouseKind()
    const config = destination({ connectionString: 'postgres://postgres@127.0.0.1:1/test' })
    const driver = await kind.create(config, deps)
    try {
      const outcomes = await driver.deliver(
        trackEvents(2, 'Lost', () => ({})),
        deliveryContext(),
      )
      expect(outcomes).toHaveLength(2)
      expect(outcomes[0]).toMatchObject({
        status: 'retry',
        error: { code: 'WAREHOUSE_UNAVAILABLE' },
      })
    } finally {
      await driver.close()
      await driver.close()
    }
  })

  it('the kind validates settings offline and loads through its own pool', async () => {
    const kind = createPostgresWarehouseKind()
    expect(kind.settings.secrets).toEqual(['connectionString'])
    expect(kind.maxBatchSize).toBeGreaterThanOrEqual(1_000)
    expect(
      await kind.validate(destination({ connectionString: 'mysql://x', maxColumns: 5 })),
    ).toEqual([
      'settings.connectionString: must be a postgres:// or postgresql:// URL',
      expect.stringMatching(/^settings\.maxColumns: /) as string,
    ])
    const schema = fresh()
    const config = destination({ connectionString: DATABASE_URL, schema, schemaPerSource: false })
    expect(await kind.validate(config)).toEqual([])
    const driver = await kind.create(config, deps)
    try {
      const outcomes = await driver.deliver(
        [
          deliveryEvent({
            type: 'identify',
            userId: 'u9',
            traits: { seenAt: '2026-01-01T08:00:00' },
          }),
        ],
        deliveryContext(),
      )
      expect(outcomes[0]?.status).toBe('delivered')
      // Timestamps without a zone are UTC (the pool's sessions run in UTC).
      const [user] = await query(`SELECT seen_at FROM "${schema}".users`)
      expect(user?.seen_at).toEqual(new Date('2026-01-01T08:00:00Z'))
    } finally {
      await driver.close()
    }
  })

  it('throughput: 20 batches of 1,000 track events (measured and reported, not asserted)', async () => {
    const schema = fresh()
    const driver = driverOn(schema)
    const batches = Array.from({ length: 21 }, () =>
      trackEvents(1_000, 'Order Completed', (i) => ({
        orderId: `o-${i}`,
        total: i * 1.5,
        currency: 'EUR',
        products: [{ sku: 'a', qty: 1 }],
        coupon: i % 2 === 0 ? 'SPRING' : null,
      })),
    )
    await driver.deliver(batches[0] ?? [], deliveryContext()) // warm-up: creates the tables
    const started = performance.now()
    for (const batch of batches.slice(1)) await driver.deliver(batch, deliveryContext())
    const seconds = (performance.now() - started) / 1000
    const [count] = await query(`SELECT count(*)::int AS n FROM "${schema}".order_completed`)
    expect(count?.n).toBe(21_000)
    const perSecond = Math.round(20_000 / seconds)
    process.stdout.write(
      `warehouse throughput: ${perSecond} events/s (${perSecond * 2} rows/s: tracks + per-event)\n`,
    )
  })
})
