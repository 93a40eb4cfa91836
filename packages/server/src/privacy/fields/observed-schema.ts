/**
 * The observed schema of a source: its events with their fields, JSON types, how often each
 * field appears (share of the event's occurrences) and first/last seen, as Segment's Schema
 * tab shows them. Pure: built from inventory rows.
 */
import type { PiiClass } from '../pii/model.js'
import type { EventRow, FieldRow, TypeCounts } from './model.js'

/** Segment shows the first 300 properties of an event. */
export const MAX_PROPERTIES_SHOWN = 300

export interface ObservedProperty {
  path: string
  types: TypeCounts
  count: number
  /** Share of the event's occurrences that hold the field, in percent (0 to 100). */
  frequency: number
  firstSeen: number
  lastSeen: number
  piiClass: PiiClass | null
  piiKind: string | null
}

export interface ObservedEvent {
  type: string
  name: string
  count: number
  firstSeen: number
  lastSeen: number
  /** Distinct paths recorded, and new paths dropped past the cap. */
  fields: number
  droppedFields: number
  /** The most frequent first (then by path), at most {@link MAX_PROPERTIES_SHOWN}. */
  properties: ObservedProperty[]
  truncated: boolean
}

export function observedSchema(
  events: readonly EventRow[],
  fields: readonly FieldRow[],
): ObservedEvent[] {
  const byEvent = new Map<string, FieldRow[]>()
  for (const f of fields) {
    const key = `${f.eventType}\u0000${f.eventName}`
    const list = byEvent.get(key) ?? []
    list.push(f)
    byEvent.set(key, list)
  }
  return events.map((e) => {
    const rows = byEvent.get(`${e.eventType}\u0000${e.eventName}`) ?? []
    const properties = rows
      .map((f): ObservedProperty => ({
        path: f.path,
        types: f.types,
        count: f.count,
        frequency:
          e.count === 0 ? 0 : Math.min(100, Math.round((f.events / e.count) * 10_000) / 100),
        firstSeen: f.firstSeen,
        lastSeen: f.lastSeen,
        piiClass: f.piiClass,
        piiKind: f.piiKind,
      }))
      .sort((a, b) => b.frequency - a.frequency || (a.path < b.path ? -1 : 1))
    return {
      type: e.eventType,
      name: e.eventName,
      count: e.count,
      firstSeen: e.firstSeen,
      lastSeen: e.lastSeen,
      fields: e.fields,
      droppedFields: e.droppedFields,
      properties: properties.slice(0, MAX_PROPERTIES_SHOWN),
      truncated: properties.length > MAX_PROPERTIES_SHOWN,
    }
  })
}
