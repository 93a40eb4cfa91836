import { NO_NAME, OTHER_NAME, type CompletenessRow, type VolumeRow } from './model.js'
import type { CounterDelta, CountedEvent } from './quality-store.js'

const MINUTE = 60_000

/** Required properties of one event name, optionally of one source only. */
export interface RequiredProperties {
  source?: string | undefined
  event: string
  properties: readonly string[]
}

/**
 * Known event names per source and the cap on how many are counted apart. Mutated by
 * {@link aggregate} (names it admits are added), so the caller keeps one across batches and
 * rebuilds it from the store at start.
 */
export class EventNames {
  private readonly bySource = new Map<string, Set<string>>()

  constructor(private readonly cap: number) {}

  /** Records a name already counted (loaded from the store). */
  add(sourceId: string, eventType: string, eventName: string): void {
    let names = this.bySource.get(sourceId)
    if (!names) this.bySource.set(sourceId, (names = new Set()))
    names.add(`${eventType}\u0000${eventName}`)
  }

  /**
   * The name to count `eventName` under: itself when known or while the source has fewer
   * than `cap` names (then it becomes known and `isNew` is true), else {@link OTHER_NAME}.
   */
  admit(sourceId: string, eventType: string, eventName: string): { name: string; isNew: boolean } {
    const key = `${eventType}\u0000${eventName}`
    let names = this.bySource.get(sourceId)
    if (!names) this.bySource.set(sourceId, (names = new Set()))
    if (names.has(key)) return { name: eventName, isNew: false }
    if (eventName === NO_NAME || names.size < this.cap) {
      names.add(key)
      return { name: eventName, isNew: true }
    }
    return { name: OTHER_NAME, isNew: false }
  }
}

/** Reads a dotted path (`a.b.c`) in an object; undefined when any step is missing. */
function readPath(value: unknown, path: string): unknown {
  let current = value
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined
    current = (current as Record<string, unknown>)[part]
  }
  return current
}

function propertiesOf(payload: string): unknown {
  try {
    return (JSON.parse(payload) as { properties?: unknown }).properties
  } catch {
    // Stored events are valid JSON; an unreadable one counts as carrying no property.
    return undefined
  }
}

/**
 * Folds a batch of stored events into counter increments: one volume count per event (by
 * source, minute of `receivedAt`, type and capped name) and, for events with required
 * properties, one check per property and whether it is present (not undefined or null).
 * Pure apart from admitting new names into `names`.
 */
export function aggregate(
  events: readonly CountedEvent[],
  required: readonly RequiredProperties[],
  names: EventNames,
): CounterDelta {
  const volume = new Map<string, VolumeRow>()
  const completeness = new Map<string, CompletenessRow>()
  const newNames: CounterDelta['newNames'] = []
  for (const event of events) {
    const minute = Math.floor(event.receivedAt / MINUTE) * MINUTE
    const admitted = names.admit(event.sourceId, event.type, event.name ?? NO_NAME)
    if (admitted.isNew) {
      newNames.push({ sourceId: event.sourceId, eventType: event.type, eventName: admitted.name })
    }
    const key = `${event.sourceId}\u0000${minute}\u0000${event.type}\u0000${admitted.name}`
    const row = volume.get(key)
    if (row) row.count += 1
    else {
      volume.set(key, {
        sourceId: event.sourceId,
        minute,
        eventType: event.type,
        eventName: admitted.name,
        count: 1,
      })
    }
    if (event.name === null) continue
    const rules = required.filter(
      (r) => r.event === event.name && (r.source === undefined || r.source === event.sourceId),
    )
    if (rules.length === 0) continue
    const properties = propertiesOf(event.payload)
    const checked = new Set<string>()
    for (const rule of rules) {
      for (const property of rule.properties) {
        if (checked.has(property)) continue
        checked.add(property)
        const value = readPath(properties, property)
        const present = value !== undefined && value !== null ? 1 : 0
        const ckey = `${event.sourceId}\u0000${minute}\u0000${event.name}\u0000${property}`
        const crow = completeness.get(ckey)
        if (crow) {
          crow.checked += 1
          crow.present += present
        } else {
          completeness.set(ckey, {
            sourceId: event.sourceId,
            minute,
            eventName: event.name,
            property,
            checked: 1,
            present,
          })
        }
      }
    }
  }
  return { volume: [...volume.values()], completeness: [...completeness.values()], newNames }
}
