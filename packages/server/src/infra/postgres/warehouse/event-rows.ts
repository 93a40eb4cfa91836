/**
 * Segment's warehouse schema (segment-compat.md §6.4): which rows one event writes, in which
 * tables, with which columns. Pure; values are not yet fitted to column types.
 */
import type { JsonObject, JsonValue, SegmentEvent } from '../../../protocol/index.js'
import type { FieldValue } from './column-types.js'
import { flattenInto, type FieldMap } from './flatten.js'
import { eventTableName, snakeCase } from './naming.js'

/** Columns every event table has, in this order. `id` is the messageId and the primary key. */
export const COMMON_COLUMNS = [
  'id',
  'anonymous_id',
  'user_id',
  'received_at',
  'sent_at',
  'timestamp',
  'original_timestamp',
  'uuid_ts',
] as const

/** Columns of the latest-state tables (`users`, `accounts`): `id` is the user or group id. */
export const STATE_COLUMNS = ['id', 'received_at', 'uuid_ts'] as const

/**
 * One row for one table. `upsert` rows (users, accounts) merge into the row with the same
 * `id`; the others are appended once per `id` (later copies are ignored).
 */
export interface TableRow {
  table: string
  upsert: boolean
  fields: FieldMap
}

const FIXED = new Set<string>([
  ...COMMON_COLUMNS,
  'uuid',
  'event',
  'event_text',
  'group_id',
  'previous_id',
])

/**
 * Properties and traits whose column would be one of the table's own (`id`, `event`,
 * `context_*`, …) are written under their object's name instead: `properties_id`, `traits_id`.
 */
function renamer(prefix: string, reserved: ReadonlySet<string>): (column: string) => string {
  return (column) =>
    reserved.has(column) || column.startsWith('context_') ? `${prefix}_${column}` : column
}

const asString = (value: JsonValue | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined

function setIfPresent(fields: FieldMap, column: string, value: JsonValue | undefined): void {
  if (value !== undefined && value !== null && typeof value !== 'object') fields.set(column, value)
}

/** The common columns and `context_*` of an event. */
function commonFields(event: JsonObject, fallback: { id: string; receivedAt: string }): FieldMap {
  const fields: FieldMap = new Map<string, FieldValue>()
  fields.set('id', asString(event.messageId) ?? fallback.id)
  setIfPresent(fields, 'anonymous_id', event.anonymousId)
  setIfPresent(fields, 'user_id', event.userId)
  fields.set('received_at', asString(event.receivedAt) ?? fallback.receivedAt)
  setIfPresent(fields, 'sent_at', event.sentAt)
  setIfPresent(fields, 'timestamp', event.timestamp)
  setIfPresent(fields, 'original_timestamp', event.originalTimestamp)
  flattenInto(fields, ['context'], event.context)
  return fields
}

function withObject(
  base: FieldMap,
  object: JsonValue | undefined,
  prefix: 'properties' | 'traits',
  reserved: ReadonlySet<string> = FIXED,
): FieldMap {
  const fields = new Map(base)
  flattenInto(fields, [], object, { rename: renamer(prefix, reserved) })
  return fields
}

/** A latest-state row (`users`, `accounts`) keyed by `id`. */
function stateRow(
  table: string,
  id: string,
  receivedAt: FieldValue,
  traits: JsonValue | undefined,
) {
  const fields: FieldMap = new Map<string, FieldValue>([
    ['id', id],
    ['received_at', receivedAt],
  ])
  flattenInto(fields, [], traits, { rename: renamer('traits', FIXED) })
  return { table, upsert: true, fields }
}

const FIXED_NAMED = new Set([...FIXED].filter((column) => column !== 'name'))

/**
 * The rows one event writes:
 * - track: `tracks` (common columns, `event`, `event_text`) and its per-event table (the same
 *   plus the flattened properties);
 * - identify: `identifies` (common columns + traits) and, with a userId, a `users` upsert;
 * - page / screen: `pages` / `screens` (common columns + `name` + properties);
 * - group: `groups` (common columns + `group_id` + traits) and an `accounts` upsert;
 * - alias: `aliases` (common columns + `previous_id`).
 */
export function eventRows(
  event: SegmentEvent,
  fallback: { id: string; receivedAt: string },
): TableRow[] {
  const common = commonFields(event, fallback)
  const receivedAt = common.get('received_at') as FieldValue
  switch (event.type) {
    case 'track': {
      const name = asString(event.event) ?? ''
      common.set('event', snakeCase(name))
      common.set('event_text', name)
      const properties = withObject(common, event.properties, 'properties')
      return [
        { table: 'tracks', upsert: false, fields: common },
        { table: eventTableName(name), upsert: false, fields: properties },
      ]
    }
    case 'identify': {
      const rows = [
        { table: 'identifies', upsert: false, fields: withObject(common, event.traits, 'traits') },
      ]
      const userId = asString(event.userId)
      if (userId !== undefined) rows.push(stateRow('users', userId, receivedAt, event.traits))
      return rows
    }
    case 'page':
    case 'screen': {
      // `name` is shared: a page's own name wins over a `name` property.
      const fields = withObject(common, event.properties, 'properties', FIXED_NAMED)
      setIfPresent(fields, 'name', event.name)
      return [{ table: event.type === 'page' ? 'pages' : 'screens', upsert: false, fields }]
    }
    case 'group': {
      setIfPresent(common, 'group_id', event.groupId)
      const rows = [
        { table: 'groups', upsert: false, fields: withObject(common, event.traits, 'traits') },
      ]
      const groupId = asString(event.groupId)
      if (groupId !== undefined) rows.push(stateRow('accounts', groupId, receivedAt, event.traits))
      return rows
    }
    case 'alias':
      setIfPresent(common, 'previous_id', event.previousId)
      return [{ table: 'aliases', upsert: false, fields: common }]
  }
}
