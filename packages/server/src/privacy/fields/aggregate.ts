/**
 * Turns a batch of stored events into inventory deltas: per event, and per field path of each
 * event, the occurrences, JSON types, first and last seen, and the PII class. The key is
 * classified for every field (memoized per path, so it costs a map lookup); the value only
 * for the first `valueSamplesPerHour` values of a field per hour, which keeps the value
 * detectors off the hot path. Values are never kept.
 *
 * Caps (growth is bounded whatever the input): at most `maxEventsPerSource` distinct events per
 * source (Segment shows the first 4,000) and `maxFieldsPerEvent` distinct paths per event; past
 * a cap new events are skipped and new paths are counted as dropped.
 */
import type { PiiClassifier } from '../pii/classifier.js'
import { classRank, type PiiDetection } from '../pii/model.js'
import type { EventDelta, EventKey, FieldDelta, InventoryBatch, InventoryInput } from './model.js'
import { DEFAULT_WALK_LIMITS, PathCache, walkFields, type JsonType } from './walk.js'

export interface AggregatorOptions {
  classifier: PiiClassifier
  valueSamplesPerHour: number
  maxFieldsPerEvent: number
  maxEventsPerSource: number
}

export interface AggregatorLookups {
  /** Paths already recorded for an event (called once per event per process). */
  paths(event: EventKey): Promise<string[]>
  /** Events already recorded for a source (called once per source per process). */
  events(sourceId: string): Promise<EventKey[]>
}

const NAMED_TYPES = new Set(['track', 'page', 'screen'])
const MEMO_LIMIT = 50_000
const SAMPLER_LIMIT = 200_000
const HOUR_MS = 3_600_000

/** A field of one event key within a batch: its delta and what its visits reuse. */
interface FieldSlot {
  delta: FieldDelta
  /** The number of the last event (in the batch) that counted it, for `events`. */
  lastEvent: number
  /** The class its key alone gives (classified once per batch). */
  keyClass: PiiDetection | null
  /** Its value samples in the current hour (shared across batches). */
  samples: { hour: number; n: number }
}

/** What one field visit needs of its event. */
interface FieldContext {
  event: EventKey
  ekey: string
  delta: EventDelta
  paths: Set<string>
  /** Paths past the cap already counted as dropped in this event. */
  dropped: Set<string> | null
  fields: Map<string, FieldSlot>
  /** The event's number in the batch. */
  eventNo: number
  at: number
}

const keyOf = (e: EventKey): string => `${e.sourceId}\u0000${e.eventType}\u0000${e.eventName}`

export class FieldAggregator {
  #options: AggregatorOptions
  readonly #lookups: AggregatorLookups
  readonly #keyMemo = new Map<string, PiiDetection | null>()
  /** Value samples taken per event key, then per path, in the current hour. */
  readonly #samples = new Map<string, Map<string, { hour: number; n: number }>>()
  #sampleSlots = 0
  readonly #paths = new Map<string, Set<string>>()
  readonly #events = new Map<string, Set<string>>()
  readonly #pathCache = new PathCache()

  constructor(options: AggregatorOptions, lookups: AggregatorLookups) {
    this.#options = { ...options }
    this.#lookups = lookups
  }

  /**
   * Classifies with `classifier` from the next batch on (config reload). A different classifier
   * forgets the memoized key classes; classes already stored only rise (see the store).
   */
  useClassifier(classifier: PiiClassifier): void {
    if (classifier === this.#options.classifier) return
    this.#options = { ...this.#options, classifier }
    this.#keyMemo.clear()
  }

  async #admitEvent(event: EventKey): Promise<Set<string> | null> {
    const key = keyOf(event)
    const known = this.#paths.get(key)
    if (known) return known
    let events = this.#events.get(event.sourceId)
    if (!events) {
      events = new Set((await this.#lookups.events(event.sourceId)).map(keyOf))
      this.#events.set(event.sourceId, events)
    }
    if (!events.has(key)) {
      if (events.size >= this.#options.maxEventsPerSource) return null
      events.add(key)
    }
    const paths = new Set(await this.#lookups.paths(event))
    this.#paths.set(key, paths)
    return paths
  }

  #keyClass(path: readonly string[], joined: string): PiiDetection | null {
    let found = this.#keyMemo.get(joined)
    if (found === undefined) {
      found = this.#options.classifier.classify(path)
      if (this.#keyMemo.size >= MEMO_LIMIT) this.#keyMemo.clear()
      this.#keyMemo.set(joined, found)
    }
    return found
  }

  /** The sample counter of a path of an event key (created at hour -1, so empty). */
  #samplesOf(ekey: string, path: string): { hour: number; n: number } {
    let perEvent = this.#samples.get(ekey)
    if (!perEvent) {
      perEvent = new Map()
      this.#samples.set(ekey, perEvent)
    }
    let slot = perEvent.get(path)
    if (!slot) {
      if (this.#sampleSlots >= SAMPLER_LIMIT) {
        this.#samples.clear()
        this.#sampleSlots = 0
        perEvent = new Map()
        this.#samples.set(ekey, perEvent)
      }
      this.#sampleSlots++
      slot = { hour: -1, n: 0 }
      perEvent.set(path, slot)
    }
    return slot
  }

  /** Whether a value seen at `at` is sampled (the first `valueSamplesPerHour` per hour). */
  #sample(slot: { hour: number; n: number }, at: number): boolean {
    const hour = Math.floor(at / HOUR_MS)
    if (slot.hour !== hour) {
      slot.hour = hour
      slot.n = 0
    }
    if (slot.n >= this.#options.valueSamplesPerHour) return false
    slot.n++
    return true
  }

  /** The deltas of `inputs` (in seq order); `toSeq` is the last input's seq. Unparsable payloads count as events without fields. */
  async aggregate(inputs: readonly InventoryInput[]): Promise<InventoryBatch> {
    const events = new Map<string, EventDelta>()
    const fields = new Map<string, Map<string, FieldSlot>>()
    let eventNo = 0
    for (const input of inputs) {
      const event: EventKey = {
        sourceId: input.sourceId,
        eventType: input.type,
        eventName: NAMED_TYPES.has(input.type) ? (input.name ?? '') : '',
      }
      const ekey = keyOf(event)
      // Known events need no lookup (and no await): the common case stays synchronous.
      const paths = this.#paths.get(ekey) ?? (await this.#admitEvent(event))
      if (paths === null) continue
      const at = input.receivedAt
      let delta = events.get(ekey)
      if (!delta) {
        delta = { ...event, count: 0, firstSeen: at, lastSeen: at, droppedFields: 0 }
        events.set(ekey, delta)
      }
      delta.count++
      delta.firstSeen = Math.min(delta.firstSeen, at)
      delta.lastSeen = Math.max(delta.lastSeen, at)
      let payload: unknown
      try {
        payload = JSON.parse(input.payload)
      } catch {
        continue
      }
      if (payload === null || typeof payload !== 'object') continue
      let perEvent = fields.get(ekey)
      if (!perEvent) {
        perEvent = new Map()
        fields.set(ekey, perEvent)
      }
      eventNo++
      const ctx: FieldContext = {
        event,
        ekey,
        delta,
        paths,
        dropped: null,
        fields: perEvent,
        eventNo,
        at,
      }
      walkFields(
        payload as Record<string, unknown>,
        (path, value, type, joined) => {
          this.#field(ctx, path, value, type, joined)
        },
        DEFAULT_WALK_LIMITS,
        this.#pathCache,
      )
    }
    const last = inputs[inputs.length - 1]
    return {
      toSeq: last ? last.seq : 0,
      events: [...events.values()],
      fields: [...fields.values()].flatMap((perEvent) =>
        [...perEvent.values()].map((f) => f.delta),
      ),
    }
  }

  /**
   * One visit of a field. Hot path: a field already met in the batch costs one map lookup and
   * no allocation; its key class is looked up once per batch, its value classified only when
   * sampled and the key says nothing.
   */
  #field(
    ctx: FieldContext,
    path: readonly string[],
    value: unknown,
    type: JsonType,
    joined: string,
  ): void {
    const { at } = ctx
    let slot = ctx.fields.get(joined)
    if (!slot) {
      if (!ctx.paths.has(joined)) {
        if (ctx.paths.size >= this.#options.maxFieldsPerEvent) {
          ctx.dropped ??= new Set()
          if (!ctx.dropped.has(joined)) ctx.delta.droppedFields++
          ctx.dropped.add(joined)
          return
        }
        ctx.paths.add(joined)
      }
      const keyClass = this.#keyClass(path, joined)
      slot = {
        delta: {
          ...ctx.event,
          path: joined,
          count: 0,
          events: 0,
          types: {},
          firstSeen: at,
          lastSeen: at,
          piiClass: keyClass?.class ?? null,
          piiKind: keyClass?.kind ?? null,
        },
        lastEvent: 0,
        keyClass,
        samples: this.#samplesOf(ctx.ekey, joined),
      }
      ctx.fields.set(joined, slot)
    }
    const field = slot.delta
    field.count++
    if (slot.lastEvent !== ctx.eventNo) {
      field.events++
      slot.lastEvent = ctx.eventNo
    }
    field.types[type] = (field.types[type] ?? 0) + 1
    if (at < field.firstSeen) field.firstSeen = at
    if (at > field.lastSeen) field.lastSeen = at
    if (slot.keyClass === null && type === 'string' && this.#sample(slot.samples, at)) {
      const found = this.#options.classifier.classify(path, value)
      // Keep the most harmful class seen (a lower rank is more harmful).
      if (
        found !== null &&
        (field.piiClass === null || classRank(found.class) < classRank(field.piiClass))
      ) {
        field.piiClass = found.class
        field.piiKind = found.kind
      }
    }
  }
}
