import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { PostgresWarehouseDriver } from './postgres-warehouse-driver.js'
import {
  DATABASE_URL,
  deliveryContext,
  deliveryEvent,
  freshSchemaName,
  openDriver,
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

function open(settings: Record<string, unknown> = {}): {
  schema: string
  driver: PostgresWarehouseDriver
} {
  const schema = freshSchemaName()
  schemas.push(schema)
  const driver = openDriver(schema, settings)
  drivers.push(driver)
  return { schema, driver }
}

async function rows(
  schema: string,
  table: string,
  order = 'id',
): Promise<Record<string, unknown>[]> {
  const result = await admin.query<Record<string, unknown>>(
    `SELECT * FROM "${schema}"."${table}" ORDER BY ${order}`,
  )
  return result.rows
}

async function columnsOf(schema: string, table: string): Promise<Record<string, string>> {
  const result = await admin.query<{ c: string; d: string }>(
    `SELECT column_name AS c, data_type AS d FROM information_schema.columns
     WHERE table_schema = $1 AND table_name = $2`,
    [schema, table],
  )
  return Object.fromEntries(result.rows.map(({ c, d }) => [c, d]))
}

describe('PostgreSQL warehouse: Segment schema', () => {
  it('writes every table kind', async () => {
    const { schema, driver } = open()
    const events = [
      deliveryEvent({
        type: 'track',
        event: 'Order Completed',
        userId: 'u1',
        properties: { total: 5 },
      }),
      deliveryEvent({ type: 'identify', userId: 'u1', traits: { plan: 'pro' } }),
      deliveryEvent({ type: 'page', name: 'Home', properties: { url: 'https://x.test/' } }),
      deliveryEvent({ type: 'screen', name: 'Settings', properties: { tab: 'privacy' } }),
      deliveryEvent({ type: 'group', userId: 'u1', groupId: 'g1', traits: { industry: 'retail' } }),
      deliveryEvent({ type: 'alias', userId: 'u1', previousId: 'anon-1' }),
    ]
    const outcomes = await driver.deliver(events, deliveryContext())
    expect(outcomes.every((outcome) => outcome.status === 'delivered')).toBe(true)

    const tables = await admin.query<{ t: string }>(
      `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
      [schema],
    )
    expect(tables.rows.map(({ t }) => t)).toEqual([
      'accounts',
      'aliases',
      'groups',
      'identifies',
      'order_completed',
      'pages',
      'screens',
      'tracks',
      'users',
    ])
    const [track] = await rows(schema, 'tracks')
    expect(track).toMatchObject({
      id: events[0]?.messageId,
      user_id: 'u1',
      anonymous_id: 'anon-1',
      event: 'order_completed',
      event_text: 'Order Completed',
      context_library_name: 'analytics.js',
    })
    expect(track?.received_at).toEqual(new Date('2026-03-01T12:00:00.000Z'))
    expect(track?.uuid_ts).toBeInstanceOf(Date)
    expect((await rows(schema, 'order_completed'))[0]).toMatchObject({ total: '5' })
    expect((await rows(schema, 'identifies'))[0]).toMatchObject({ plan: 'pro' })
    expect((await rows(schema, 'users'))[0]).toMatchObject({ id: 'u1', plan: 'pro' })
    expect((await rows(schema, 'pages'))[0]).toMatchObject({ name: 'Home', url: 'https://x.test/' })
    expect((await rows(schema, 'screens'))[0]).toMatchObject({ name: 'Settings', tab: 'privacy' })
    expect((await rows(schema, 'groups'))[0]).toMatchObject({ group_id: 'g1', industry: 'retail' })
    expect((await rows(schema, 'accounts'))[0]).toMatchObject({ id: 'g1', industry: 'retail' })
    expect((await rows(schema, 'aliases'))[0]).toMatchObject({ previous_id: 'anon-1' })
  })

  it('flattens objects into snake_case columns, stringifies arrays, infers types', async () => {
    const { schema, driver } = open()
    await driver.deliver(
      [
        deliveryEvent({
          type: 'track',
          event: 'Product Viewed',
          properties: {
            productId: 'p1',
            price: 9.99,
            quantity: 2,
            onSale: true,
            releasedAt: '2025-12-24T00:00:00Z',
            dimensions: { widthCm: 10 },
            tags: ['a', 'b'],
          },
        }),
      ],
      deliveryContext(),
    )
    expect(await columnsOf(schema, 'product_viewed')).toMatchObject({
      product_id: 'text',
      price: 'double precision',
      quantity: 'bigint',
      on_sale: 'boolean',
      released_at: 'timestamp with time zone',
      dimensions_width_cm: 'bigint',
      tags: 'text',
      context_library_version: 'text',
    })
    expect((await rows(schema, 'product_viewed'))[0]).toMatchObject({
      tags: '["a","b"]',
      on_sale: true,
      price: 9.99,
      released_at: new Date('2025-12-24T00:00:00Z'),
    })
  })

  it('dedupes on id: the same batch twice (and a duplicate inside it) gives one row', async () => {
    const { schema, driver } = open()
    const events = trackEvents(3, 'Signed Up', (i) => ({ n: i }))
    const batch = [...events, events[0] as (typeof events)[number]]
    await driver.deliver(batch, deliveryContext())
    const again = await driver.deliver(batch, deliveryContext())
    expect(again.every((outcome) => outcome.status === 'delivered')).toBe(true)
    expect(await rows(schema, 'tracks')).toHaveLength(3)
    expect(await rows(schema, 'signed_up')).toHaveLength(3)
  })

  it('upserts users with the latest traits; a late older event only fills gaps', async () => {
    const { schema, driver } = open()
    const identify = (offsetMs: number, traits: Record<string, unknown>) =>
      deliveryEvent({ type: 'identify', userId: 'u1', traits }, offsetMs)
    // One batch with two states of u1 (folded), then an older event arriving late.
    await driver.deliver(
      [identify(1_000, { plan: 'free', email: 'a@x.test' }), identify(2_000, { plan: 'pro' })],
      deliveryContext(),
    )
    await driver.deliver([identify(0, { plan: 'trial', age: 40 })], deliveryContext())
    const users = await rows(schema, 'users')
    expect(users).toHaveLength(1)
    expect(users[0]).toMatchObject({ id: 'u1', plan: 'pro', email: 'a@x.test', age: '40' })
    expect(users[0]?.received_at).toEqual(new Date('2026-03-01T12:00:02.000Z'))
    expect(await rows(schema, 'identifies')).toHaveLength(3)

    await driver.deliver([identify(3_000, { plan: 'enterprise' })], deliveryContext())
    expect((await rows(schema, 'users'))[0]).toMatchObject({
      plan: 'enterprise',
      email: 'a@x.test',
    })
  })

  it('adds a column when a new field arrives later', async () => {
    const { schema, driver } = open()
    await driver.deliver(
      trackEvents(2, 'Clicked', () => ({ button: 'buy' })),
      deliveryContext(),
    )
    expect(await columnsOf(schema, 'clicked')).not.toHaveProperty('color')
    await driver.deliver(
      trackEvents(1, 'Clicked', () => ({ color: 'red' })),
      deliveryContext(),
    )
    expect(await columnsOf(schema, 'clicked')).toHaveProperty('color', 'text')
    const colors = (await rows(schema, 'clicked', 'received_at, color')).map((row) => row.color)
    expect(colors.filter((color) => color === 'red')).toHaveLength(1)
    expect(colors.filter((color) => color === null)).toHaveLength(2)
  })

  it('truncates strings at stringLimit', async () => {
    const { schema, driver } = open({ stringLimit: 10 })
    await driver.deliver(
      trackEvents(1, 'Noted', () => ({ note: 'x'.repeat(50) })),
      deliveryContext(),
    )
    expect((await rows(schema, 'noted'))[0]?.note).toBe('x'.repeat(10))
  })

  it('respects maxColumns: extra fields are dropped and counted, the events delivered', async () => {
    const { schema, driver } = open({ maxColumns: 20 })
    const properties = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`p${i}`, i]))
    const outcomes = await driver.deliver(
      trackEvents(2, 'Wide', () => properties),
      deliveryContext(),
    )
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['delivered', 'delivered'])
    expect(Object.keys(await columnsOf(schema, 'wide'))).toHaveLength(20)
    // 8 common + event, event_text + context (library name/version, ip) = 13: 7 properties fit.
    expect(driver.stats().fieldsDropped).toBe(2 * 23)
  })

  it('picks the schema from the source id when each source has its own', async () => {
    const prefix = freshSchemaName()
    const { driver } = open({ schema: prefix, schemaPerSource: true })
    schemas.push(`${prefix}_ios_app`, `${prefix}_web`)
    const ios = deliveryEvent({ type: 'track', event: 'Opened' })
    await driver.deliver(
      [{ ...ios, sourceId: 'ios-app' }, deliveryEvent({ type: 'track', event: 'Opened' })],
      deliveryContext(),
    )
    expect(await rows(`${prefix}_ios_app`, 'opened')).toHaveLength(1)
    expect(await rows(`${prefix}_web`, 'opened')).toHaveLength(1)
  })
})
