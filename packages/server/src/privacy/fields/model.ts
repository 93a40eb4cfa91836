/**
 * The field inventory and observed schema: what the `fields` consumer counts per source, event
 * and field path. No value is ever stored, only types, counts, times and the PII class.
 */
import type { PiiClass } from '../pii/model.js'
import type { JsonType } from './walk.js'

/** Which event a field belongs to: type plus name (track event, page or screen name; '' otherwise). */
export interface EventKey {
  sourceId: string
  eventType: string
  eventName: string
}

/** Counts per JSON type. */
export type TypeCounts = Partial<Record<JsonType, number>>

/** One batch's counts of one event. */
export interface EventDelta extends EventKey {
  count: number
  firstSeen: number
  lastSeen: number
  /** New field paths not recorded because the event reached its cap of distinct paths. */
  droppedFields: number
}

/** One batch's counts of one field of one event. */
export interface FieldDelta extends EventKey {
  /** Generic dotted path (`properties.products.$.sku`). */
  path: string
  /** Occurrences (an array's elements count one each). */
  count: number
  /** Events in which the field appears (at most once per event). */
  events: number
  types: TypeCounts
  firstSeen: number
  lastSeen: number
  /** Most harmful class detected in the batch (key on every occurrence, value on samples). */
  piiClass: PiiClass | null
  piiKind: string | null
}

/** A batch to apply: deltas plus the seq the consumer reached. */
export interface InventoryBatch {
  toSeq: number
  events: EventDelta[]
  fields: FieldDelta[]
}

export interface EventRow extends EventKey {
  count: number
  firstSeen: number
  lastSeen: number
  droppedFields: number
  /** Distinct field paths recorded. */
  fields: number
}

export interface FieldRow extends EventKey {
  path: string
  count: number
  events: number
  types: TypeCounts
  firstSeen: number
  lastSeen: number
  piiClass: PiiClass | null
  piiKind: string | null
}

/** A stored event as the consumer reads it. */
export interface InventoryInput {
  seq: number
  sourceId: string
  type: string
  name: string | null
  receivedAt: number
  payload: string
}

export interface FieldFilter {
  sourceId?: string
  eventType?: string
  eventName?: string
  /** Only fields of this class (`none`: fields without PII). */
  piiClass?: PiiClass | 'none'
  /** Only fields with a PII class. */
  piiOnly?: boolean
  limit: number
  /** Keyset cursor: rows after this `(sourceId, eventType, eventName, path)`. */
  after?: readonly [string, string, string, string]
}
