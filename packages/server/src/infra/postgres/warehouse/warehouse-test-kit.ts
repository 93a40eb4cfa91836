/**
 * Test helpers of the warehouse integration tests: fresh schemas, drivers on real pools,
 * Segment events as the engine hands them over.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import pg from 'pg'
import type { DeliveryContext } from '../../../destinations/driver.js'
import type { DeliveryEvent } from '../../../destinations/model.js'
import { createLogger } from '../../../platform/logger/index.js'
import type { SegmentEvent } from '../../../protocol/index.js'
import { PostgresWarehouseDriver } from './postgres-warehouse-driver.js'
import { postgresWarehouseSettingsSchema } from './settings.js'

export const DATABASE_URL =
  process.env.TESSERA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

export const silentLogger = createLogger({ level: 'silent' })

export function deliveryContext(): DeliveryContext {
  return { attempt: 1, signal: new AbortController().signal, timeoutMs: 10_000 }
}

/** A schema name no other test uses. */
export function freshSchemaName(): string {
  return `wh_test_${randomBytes(6).toString('hex')}`
}

/** A driver writing every source into `schema`, on its own pool (as another process would). */
export function openDriver(
  schema: string,
  settings: Record<string, unknown> = {},
): PostgresWarehouseDriver {
  const parsed = postgresWarehouseSettingsSchema.parse({
    connectionString: DATABASE_URL,
    schema,
    schemaPerSource: false,
    ...settings,
  })
  const pool = new pg.Pool({
    connectionString: DATABASE_URL,
    max: 4,
    options: '-c TimeZone=UTC',
  })
  return new PostgresWarehouseDriver({ pool, settings: parsed, logger: silentLogger })
}

let seq = 0
const BASE_MS = Date.parse('2026-03-01T12:00:00.000Z')

/** A stored event as delivered; `fields` are the Segment fields (type, event, traits, …). */
export function deliveryEvent(fields: Record<string, unknown>, offsetMs = 0): DeliveryEvent {
  seq++
  const receivedAt = BASE_MS + offsetMs
  const event = {
    messageId: `msg-${randomUUID()}`,
    receivedAt: new Date(receivedAt).toISOString(),
    timestamp: new Date(receivedAt - 100).toISOString(),
    sentAt: new Date(receivedAt - 50).toISOString(),
    anonymousId: 'anon-1',
    context: { library: { name: 'analytics.js', version: '1.0.0' }, ip: '10.0.0.1' },
    ...fields,
  } as unknown as SegmentEvent
  return { seq, messageId: event.messageId, sourceId: 'web', receivedAt, event, json: null }
}

/** `count` track events named `name` with `properties(i)`. */
export function trackEvents(
  count: number,
  name: string,
  properties: (i: number) => Record<string, unknown>,
): DeliveryEvent[] {
  return Array.from({ length: count }, (_, i) =>
    deliveryEvent({ type: 'track', event: name, userId: `user-${i}`, properties: properties(i) }),
  )
}
